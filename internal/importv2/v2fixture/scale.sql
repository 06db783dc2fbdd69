-- An old database at the scale of SPEC.md §8 for `make bench-import`
-- (psql -v personnel=10000 -v posts=3000 -v likes=1000 -v tiktok=1000 -v comments=500):
-- 30 Polres clients and DITBINMAS, personnel with handles, 30 days of
-- Instagram posts each liked by :likes accounts (3,000,000 likes), TikTok
-- posts each commented by :comments accounts (500,000 comments).
INSERT INTO clients (client_id, nama, client_type, client_insta, client_tiktok)
SELECT 'POLRES_' || lpad(c::text, 2, '0'), 'POLRES ' || c, 'org', 'polres_' || c, '@polres_' || c
FROM generate_series(1, 30) c;
INSERT INTO clients (client_id, nama, client_type, client_insta, client_tiktok)
VALUES ('DITBINMAS', 'DIREKTORAT BINMAS', 'direktorat', 'ditbinmas_jatim', 'ditbinmas');

INSERT INTO "user" (user_id, nama, title, divisi, jabatan, insta, tiktok, whatsapp, client_id, status, exception, created_at)
SELECT (75000000 + u)::text, 'PERSONEL ' || u, 'BRIPKA', 'SAT BINMAS', 'BANIT',
       CASE WHEN u % 10 = 0 THEN '@U' || lpad(u::text, 5, '0') ELSE 'u' || lpad(u::text, 5, '0') END,
       '@t' || lpad(u::text, 5, '0'), '0812' || lpad(u::text, 8, '0'),
       'POLRES_' || lpad((u % 30 + 1)::text, 2, '0'), u % 50 <> 0, u % 40 = 0, now() - interval '300 days'
FROM generate_series(1, :personnel) u;
INSERT INTO user_roles (user_id, role_id)
SELECT (75000000 + u)::text, (SELECT role_id FROM roles WHERE role_name = CASE WHEN u % 3 = 0 THEN 'ditbinmas' ELSE 'operator' END)
FROM generate_series(1, :personnel) u;

INSERT INTO insta_post (shortcode, client_id, caption, like_count, comment_count, created_at)
SELECT 'P' || lpad(p::text, 6, '0'), 'POLRES_' || lpad((p % 30 + 1)::text, 2, '0'), 'konten ' || p, :likes, 0,
       date_trunc('day', now()) - (p % 30) * interval '1 day' + (p % 14 + 6) * interval '1 hour'
FROM generate_series(1, :posts) p;
INSERT INTO insta_like (shortcode, likes, updated_at)
SELECT 'P' || lpad(p::text, 6, '0'),
       (SELECT jsonb_agg('u' || lpad(((p * 37 + k) % (:personnel * 2) + 1)::text, 5, '0')) FROM generate_series(0, :likes - 1) k),
       now()
FROM generate_series(1, :posts) p;

INSERT INTO tiktok_post (video_id, client_id, caption, like_count, comment_count, created_at)
SELECT (7300000000000000000 + v)::text, 'POLRES_' || lpad((v % 30 + 1)::text, 2, '0'), 'video ' || v, 100, :comments,
       (date_trunc('day', now()) - (v % 30) * interval '1 day' + (v % 14 + 6) * interval '1 hour') AT TIME ZONE 'UTC'
FROM generate_series(1, :tiktok) v;
INSERT INTO tiktok_comment (video_id, comments, updated_at)
SELECT (7300000000000000000 + v)::text,
       (SELECT jsonb_agg('@t' || lpad(((v * 53 + k) % (:personnel * 2) + 1)::text, 5, '0')) FROM generate_series(0, :comments - 1) k),
       now()
FROM generate_series(1, :tiktok) v;
ANALYZE;

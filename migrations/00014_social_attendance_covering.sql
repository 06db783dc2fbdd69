-- +goose Up
-- The primary key of social_daily_attendance carries posts (INCLUDE), so
-- the recaps' per-day counts are an index-only read (the table is vacuumed
-- by autovacuum; the visibility map decides how many heap pages are still
-- visited). Replacing the key rather than adding a second covering index
-- keeps one index to maintain on the engagements projection's upserts; the
-- price is that an update of posts is no longer HOT (posts is now in an
-- index). Measured in README "Performance", attendance recaps. The
-- rebuild copies the index (LIKE … INCLUDING ALL); ON CONFLICT infers it
-- from the key columns as before. The table is locked while the key is
-- rebuilt (seconds for the full demo set).
ALTER TABLE social_daily_attendance DROP CONSTRAINT social_daily_attendance_pkey,
    ADD CONSTRAINT social_daily_attendance_pkey PRIMARY KEY (platform, kind, task, jakarta_date, username) INCLUDE (posts);

-- +goose Down
ALTER TABLE social_daily_attendance DROP CONSTRAINT social_daily_attendance_pkey,
    ADD CONSTRAINT social_daily_attendance_pkey PRIMARY KEY (platform, kind, task, jakarta_date, username);

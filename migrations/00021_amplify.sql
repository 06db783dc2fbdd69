-- +goose Up
-- Read models of the AMPLIFY context (projections/amplify), rebuilt from
-- the AMPLIFY stream. A report keeps the post's instant and Jakarta date
-- (what the recaps filter by, as the old link_report.created_at did) and
-- its real submission time (which the old table lost).
CREATE TABLE amplify_reports (
    kind              text        NOT NULL CHECK (kind IN ('regular', 'khusus')),
    shortcode         text        NOT NULL,
    user_id           text        NOT NULL,
    client_id         text        NOT NULL,
    instagram_link    text,
    facebook_link     text,
    twitter_link      text,
    tiktok_link       text,
    youtube_link      text,
    post_published_at timestamptz NOT NULL,
    post_date         date        NOT NULL,
    submitted_at      timestamptz NOT NULL,
    submitted_date    date        NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           bigint      NOT NULL,
    PRIMARY KEY (kind, shortcode, user_id)
);
CREATE INDEX amplify_reports_client_idx ON amplify_reports (client_id, kind, post_date);
CREATE INDEX amplify_reports_user_idx ON amplify_reports (user_id, kind);

-- Khusus (special assignment) posts of a client: registered by the first
-- khusus report on them.
CREATE TABLE amplify_khusus_posts (
    client_id     text        NOT NULL,
    shortcode     text        NOT NULL,
    published_at  timestamptz NOT NULL,
    jakarta_date  date        NOT NULL,
    registered_at timestamptz NOT NULL,
    PRIMARY KEY (client_id, shortcode)
);
CREATE INDEX amplify_khusus_posts_date_idx ON amplify_khusus_posts (client_id, jakarta_date);

-- +goose Down
DROP TABLE amplify_khusus_posts;
DROP TABLE amplify_reports;

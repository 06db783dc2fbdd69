-- +goose Up
-- Read models of the SOCIAL context (projections/social), rebuilt from the
-- SOCIAL stream. No foreign keys: read models are rebuilt into shadow copies
-- and swapped. Every "day" is the Asia/Jakarta calendar date of the post's
-- publication instant, computed by the projection (never by a session time
-- zone).

-- social_posts (projection social_posts): one row per post.
CREATE TABLE social_posts (
    platform      text        NOT NULL CHECK (platform IN ('instagram', 'tiktok')),
    post_id       text        NOT NULL,
    account       text        NOT NULL DEFAULT '',
    caption       text        NOT NULL DEFAULT '',
    media         jsonb       NOT NULL DEFAULT '{}',
    published_at  timestamptz NOT NULL,
    jakarta_date  date        NOT NULL,
    likes         integer     NOT NULL DEFAULT 0,
    comments      integer     NOT NULL DEFAULT 0,
    source        text        NOT NULL DEFAULT 'fetch',
    version       bigint      NOT NULL,
    ingested_at   timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (platform, post_id)
);
CREATE INDEX social_posts_date_idx ON social_posts (platform, jakarta_date);

-- Which clients' feeds hold the post (a post shared by two clients belongs
-- to both); withdrawn once it left that client's feed of its day.
CREATE TABLE social_post_clients (
    platform      text        NOT NULL,
    post_id       text        NOT NULL,
    client_id     text        NOT NULL,
    jakarta_date  date        NOT NULL,
    published_at  timestamptz NOT NULL,
    withdrawn     boolean     NOT NULL DEFAULT false,
    ingested_at   timestamptz NOT NULL,
    withdrawn_at  timestamptz,
    PRIMARY KEY (platform, post_id, client_id)
);
-- Task sets: a client's posts of a day or a range.
CREATE INDEX social_post_clients_task_idx ON social_post_clients (client_id, platform, jakarta_date)
    INCLUDE (post_id) WHERE NOT withdrawn;

-- Posts tagged as a task for a directorate role.
CREATE TABLE social_post_roles (
    platform      text        NOT NULL,
    post_id       text        NOT NULL,
    role          text        NOT NULL,
    jakarta_date  date        NOT NULL,
    tagged_by     text        NOT NULL DEFAULT '',
    tagged_at     timestamptz NOT NULL,
    PRIMARY KEY (platform, post_id, role)
);
CREATE INDEX social_post_roles_task_idx ON social_post_roles (role, platform, jakarta_date) INCLUDE (post_id);

-- social_engagements (projection social_engagements): one row per post ×
-- normalised username × kind (like, comment), with when it was first seen.
-- The hot table of every recap: written by COPY, read by post and by user.
CREATE TABLE social_engagements (
    platform      text        NOT NULL,
    post_id       text        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('like', 'comment')),
    username      text        NOT NULL,
    first_seen    timestamptz NOT NULL,
    PRIMARY KEY (platform, post_id, kind, username)
);
CREATE INDEX social_engagements_user_idx ON social_engagements (username, platform, kind);

-- social_profiles and social_fetch_runs (projection social_accounts).
CREATE TABLE social_profiles (
    platform      text        NOT NULL,
    username      text        NOT NULL,
    full_name     text        NOT NULL DEFAULT '',
    bio           text        NOT NULL DEFAULT '',
    followers     integer     NOT NULL DEFAULT 0,
    following     integer     NOT NULL DEFAULT 0,
    posts         integer     NOT NULL DEFAULT 0,
    avatar_url    text        NOT NULL DEFAULT '',
    verified      boolean     NOT NULL DEFAULT false,
    external_id   text        NOT NULL DEFAULT '',
    observed_at   timestamptz NOT NULL,
    version       bigint      NOT NULL,
    PRIMARY KEY (platform, username)
);

CREATE TABLE social_fetch_runs (
    run_id        text        PRIMARY KEY,
    client_id     text        NOT NULL,
    platform      text        NOT NULL,
    host_used     text        NOT NULL DEFAULT '',
    posts         integer     NOT NULL DEFAULT 0,
    ingested      integer     NOT NULL DEFAULT 0,
    withdrawn     integer     NOT NULL DEFAULT 0,
    likes         integer     NOT NULL DEFAULT 0,
    comments      integer     NOT NULL DEFAULT 0,
    failures      integer     NOT NULL DEFAULT 0,
    errors        jsonb       NOT NULL DEFAULT '[]',
    succeeded     boolean     NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz NOT NULL,
    version       bigint      NOT NULL
);
CREATE INDEX social_fetch_runs_client_idx ON social_fetch_runs (client_id, platform, finished_at DESC);

-- +goose Down
DROP TABLE social_fetch_runs;
DROP TABLE social_profiles;
DROP TABLE social_engagements;
DROP TABLE social_post_roles;
DROP TABLE social_post_clients;
DROP TABLE social_posts;

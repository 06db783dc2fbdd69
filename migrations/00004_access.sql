-- +goose Up
-- Read model of the dashboard_users projection (stream ACCESS). No foreign
-- keys: read models are rebuilt from history into shadow copies and swapped.
-- The premium_* columns are the premium snapshot, written by the PREMIUM
-- context's projection; the dashboard_users projection never writes them.
-- So that a premium event applied before the account's registration can
-- leave a row, every column the dashboard_users projection writes has a
-- default, and username uniqueness ignores rows without a username.
CREATE TABLE dashboard_users (
    dashboard_user_id  uuid        PRIMARY KEY,
    username           text        NOT NULL DEFAULT '',
    -- events.UsernameKey(username): what logins compare, case-insensitively
    username_lower     text        NOT NULL DEFAULT '',
    password_hash      text        NOT NULL DEFAULT '',
    role               text        NOT NULL DEFAULT '',
    status             text        NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'approved', 'rejected')),
    -- the legacy boolean dashboard_user.status (true = approved)
    approved           boolean     GENERATED ALWAYS AS (status = 'approved') STORED,
    whatsapp           text        NOT NULL DEFAULT '',
    email              text        NOT NULL DEFAULT '',
    client_ids         text[]      NOT NULL DEFAULT '{}',
    premium_status     boolean     NOT NULL DEFAULT false,
    premium_tier       text,
    premium_expires_at timestamptz,
    last_login_at      timestamptz,
    version            bigint      NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX dashboard_users_username_idx ON dashboard_users (username_lower) WHERE username_lower <> '';
CREATE INDEX dashboard_users_pending_idx ON dashboard_users (created_at) WHERE status = 'pending';
CREATE INDEX dashboard_users_clients_idx ON dashboard_users USING gin (client_ids);

-- +goose Down
DROP TABLE dashboard_users;

-- +goose Up
-- A projection writes only its own tables: the premium snapshot of an
-- account is no longer copied into dashboard_users by the PREMIUM
-- projection but read from premium_subscriptions at query time. Rows that
-- projection left before an account's registration arrived go too (the
-- registration, when it comes, defines the row whole).
DELETE FROM dashboard_users WHERE username_lower = '';
ALTER TABLE dashboard_users
    DROP COLUMN premium_status,
    DROP COLUMN premium_tier,
    DROP COLUMN premium_expires_at;

-- +goose Down
ALTER TABLE dashboard_users
    ADD COLUMN premium_status     boolean NOT NULL DEFAULT false,
    ADD COLUMN premium_tier       text,
    ADD COLUMN premium_expires_at timestamptz;

-- +goose Up
-- Read model of the penmas_users projection (stream ACCESS): the accounts
-- of the Penmas editorial app (legacy table penmas_user, spec/ops.md §1.2).
-- Usernames are unique exactly as typed (case-sensitive). No foreign keys:
-- read models are rebuilt from history into shadow copies and swapped.
CREATE TABLE penmas_users (
    user_id       text        PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,
    role          text        NOT NULL,
    last_login_at timestamptz,
    version       bigint      NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE penmas_users;

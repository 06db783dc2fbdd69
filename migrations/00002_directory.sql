-- +goose Up
-- Read models of the directory projection. No foreign keys: read models are
-- rebuilt from history into shadow copies and swapped.
CREATE TABLE clients (
    client_id             text        PRIMARY KEY,
    nama                  text        NOT NULL,
    client_type           text        NOT NULL DEFAULT '',
    client_status         boolean     NOT NULL DEFAULT true,
    client_insta          text        NOT NULL DEFAULT '',
    client_insta_status   boolean     NOT NULL DEFAULT true,
    client_tiktok         text        NOT NULL DEFAULT '',
    client_tiktok_status  boolean     NOT NULL DEFAULT true,
    client_amplify_status boolean     NOT NULL DEFAULT true,
    client_operator       text        NOT NULL DEFAULT '',
    client_group          text        NOT NULL DEFAULT '',
    regional_id           text,
    parent_client_id      text,
    client_level          text,
    tiktok_secuid         text        NOT NULL DEFAULT '',
    client_super          text        NOT NULL DEFAULT '',
    version               bigint      NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
CREATE INDEX clients_regional_idx ON clients (regional_id);
CREATE INDEX clients_parent_idx ON clients (parent_client_id);

CREATE TABLE personnel (
    user_id                text        PRIMARY KEY,
    nama                   text        NOT NULL DEFAULT '',
    title                  text        NOT NULL DEFAULT '',
    divisi                 text        NOT NULL DEFAULT '',
    jabatan                text        NOT NULL DEFAULT '',
    desa                   text        NOT NULL DEFAULT '',
    client_id              text,
    insta                  text        NOT NULL DEFAULT '',
    tiktok                 text        NOT NULL DEFAULT '',
    -- lower-case, without '@': what engagement matching compares
    insta_norm             text        NOT NULL DEFAULT '',
    tiktok_norm            text        NOT NULL DEFAULT '',
    whatsapp               text        NOT NULL DEFAULT '',
    email                  text        NOT NULL DEFAULT '',
    status                 boolean     NOT NULL DEFAULT true,
    exception              boolean     NOT NULL DEFAULT false,
    wa_notification_opt_in boolean     NOT NULL DEFAULT false,
    roles                  text[]      NOT NULL DEFAULT '{}',
    version                bigint      NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
-- Free space on each page lets most updates stay HOT (no new index
-- entries when no indexed column changed): catch-up rewrites rows often.
) WITH (fillfactor = 70);
CREATE INDEX personnel_client_idx ON personnel (upper(client_id));
CREATE INDEX personnel_insta_idx ON personnel (insta_norm) WHERE insta_norm <> '';
CREATE INDEX personnel_tiktok_idx ON personnel (tiktok_norm) WHERE tiktok_norm <> '';
-- No GIN index on roles: it doubled the cost of every role or handle
-- change during catch-up, while role filters run next to a client filter
-- or over a table small enough (~10k rows) to scan.

-- +goose Down
DROP TABLE personnel;
DROP TABLE clients;

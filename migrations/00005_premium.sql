-- +goose Up
-- Read models of the premium projection (stream PREMIUM). No foreign keys
-- and no sequences: read models are rebuilt from history into shadow
-- copies and swapped. The premium snapshot on dashboard_users
-- (premium_status, premium_tier, premium_expires_at; table of 00004) is
-- written by the same projection.

-- One row per grant (legacy dashboard_user_subscriptions).
CREATE TABLE premium_subscriptions (
    subscription_id    uuid        PRIMARY KEY,
    dashboard_user_id  uuid        NOT NULL,
    tier               text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('active', 'expired', 'canceled')),
    started_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    canceled_at        timestamptz,
    -- when the expiry job recorded the end (expires_at is kept as granted)
    ended_at           timestamptz,
    request_token      uuid,
    granted_by         text        NOT NULL DEFAULT '',
    -- {request_id, request_token, client_id, transfer_amount} as the legacy approval wrote
    metadata           jsonb       NOT NULL DEFAULT '{}',
    version            bigint      NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX premium_subscriptions_user_idx ON premium_subscriptions (dashboard_user_id, status, expires_at);
-- the expiry job's scan: active rows by expiry
CREATE INDEX premium_subscriptions_due_idx ON premium_subscriptions (expires_at) WHERE status = 'active';

-- One row per request (legacy dashboard_premium_request). request_id is
-- the stream position of the PremiumRequested event: stable across
-- rebuilds, increasing with time.
CREATE TABLE premium_requests (
    request_id               bigint      PRIMARY KEY,
    request_token            uuid        NOT NULL UNIQUE,
    dashboard_user_id        uuid        NOT NULL,
    client_id                text,
    username                 text        NOT NULL,
    whatsapp                 text,
    bank_name                text        NOT NULL,
    account_number           text        NOT NULL,
    sender_name              text        NOT NULL,
    transfer_amount          numeric,
    premium_tier             text,
    proof_url                text,
    subscription_expires_at  timestamptz,
    status                   text        NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'confirmed', 'approved', 'denied', 'expired')),
    expired_at               timestamptz,
    responded_at             timestamptz,
    responded_by             text,
    admin_whatsapp           text,
    metadata                 jsonb       NOT NULL DEFAULT '{}',
    version                  bigint      NOT NULL,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL
);
CREATE INDEX premium_requests_status_idx ON premium_requests (status, expired_at);
CREATE INDEX premium_requests_user_idx ON premium_requests (dashboard_user_id, status);
CREATE INDEX premium_requests_client_idx ON premium_requests (client_id);

-- What happened to each request, one row per event (legacy
-- dashboard_premium_request_audit); keyed by the event id.
CREATE TABLE premium_request_audit (
    event_id           uuid        PRIMARY KEY,
    position           bigint      NOT NULL,
    -- the event's place in its message (a message may carry several)
    event_index        int         NOT NULL DEFAULT 0,
    request_id         bigint      NOT NULL,
    request_token      uuid        NOT NULL,
    dashboard_user_id  uuid        NOT NULL,
    action             text        NOT NULL CHECK (action IN ('created', 'confirmed', 'approved', 'denied', 'expired')),
    actor              text        NOT NULL,
    note               text,
    status_from        text,
    status_to          text,
    admin_whatsapp     text,
    metadata           jsonb       NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL
);
CREATE INDEX premium_request_audit_request_idx ON premium_request_audit (request_id, position, event_index);
CREATE INDEX premium_request_audit_action_idx ON premium_request_audit (action);

-- +goose Down
DROP TABLE premium_request_audit;
DROP TABLE premium_requests;
DROP TABLE premium_subscriptions;

-- +goose Up
-- Read models of the personnel_premium projection (stream PREMIUM,
-- subjects premium.personnel.<NRP>): the legacy premium of personnel
-- (spec/access.md §3.8; legacy premium_request and the premium columns of
-- "user"). No foreign keys and no sequences: read models are rebuilt from
-- history into shadow copies and swapped.

-- One row per request (legacy premium_request). request_id is the UUID the
-- command derived; created_position, the stream position of the
-- PersonnelPremiumRequested event, orders requests stably across rebuilds.
CREATE TABLE personnel_premium_requests (
    request_id        uuid        PRIMARY KEY,
    user_id           text        NOT NULL,
    sender_name       text        NOT NULL,
    account_number    text        NOT NULL,
    bank_name         text        NOT NULL,
    screenshot_url    text,
    status            text        NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'approved', 'rejected')),
    responded_at      timestamptz,
    decided_by        text,
    note              text,
    created_position  bigint      NOT NULL,
    version           bigint      NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX personnel_premium_requests_user_idx ON personnel_premium_requests (user_id, created_position);
CREATE INDEX personnel_premium_requests_status_idx ON personnel_premium_requests (status, created_position);
CREATE INDEX personnel_premium_requests_position_idx ON personnel_premium_requests (created_position);

-- One row per person who was ever granted premium (legacy "user".
-- premium_status / premium_end_date; the end date is cleared on expiry, as
-- the legacy job did).
CREATE TABLE personnel_premium (
    user_id           text        PRIMARY KEY,
    premium_status    boolean     NOT NULL DEFAULT false,
    premium_end_date  timestamptz,
    version           bigint      NOT NULL,
    updated_at        timestamptz NOT NULL
);
-- the expiry job's scan: active rows by end date
CREATE INDEX personnel_premium_due_idx ON personnel_premium (premium_end_date) WHERE premium_status;

-- +goose Down
DROP TABLE personnel_premium;
DROP TABLE personnel_premium_requests;

-- +goose Up
-- Long-horizon idempotency: a command id seen before returns its first outcome.
CREATE TABLE command_log (
    command_id  text PRIMARY KEY,
    command     text        NOT NULL,
    outcome     jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Where each projection (and saga) stands in each stream it reads. Moved in
-- the same transaction as the batch it covers.
CREATE TABLE projection_checkpoints (
    projection  text        NOT NULL,
    stream      text        NOT NULL,
    position    bigint      NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, stream)
);

-- Side effects decided by sagas, sent by dispatchers. One row per
-- (saga, event, recipient): replaying history inserts nothing new.
CREATE TABLE outbox (
    id               bigserial   PRIMARY KEY,
    saga             text        NOT NULL,
    event_id         text        NOT NULL,
    recipient        text        NOT NULL,
    channel          text        NOT NULL,
    payload          jsonb       NOT NULL,
    status           text        NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    claimed_until    timestamptz,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    UNIQUE (saga, event_id, recipient)
);
-- Dispatchers claim per channel the oldest due row. A 'sending' row keeps
-- next_attempt_at = claimed_until (its lease end), so this one index finds
-- both pending rows that are due and sending rows whose lease expired.
CREATE INDEX outbox_due_idx ON outbox (channel, next_attempt_at, id) WHERE status IN ('pending', 'sending');
-- Dead letters for /ops and the depth gauge without scanning sent history.
CREATE INDEX outbox_failed_idx ON outbox (id) WHERE status = 'failed';

-- +goose Down
DROP TABLE outbox;
DROP TABLE projection_checkpoints;
DROP TABLE command_log;

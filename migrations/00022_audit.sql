-- +goose Up
-- The auditor's index over the event store (projection "audit", built from
-- every stream's envelopes; SPEC.md §3 audit_index). The events themselves
-- stay in JetStream: these rows only say where to find them, so the audit
-- API pages and filters in SQL and reads the bodies by position.

-- One row per aggregate (subject): its kind (the subject without its id
-- token), the clients its events ever named, and where its history lies.
-- `cicero rebuild <projection> --client ID` finds a client's subjects here.
CREATE TABLE audit_aggregates (
    subject         text        PRIMARY KEY,
    stream          text        NOT NULL,
    kind            text        NOT NULL,
    aggregate_id    text        NOT NULL,
    clients         text[]      NOT NULL DEFAULT '{}',
    events          integer     NOT NULL,
    first_position  bigint      NOT NULL,
    last_position   bigint      NOT NULL,
    first_at        timestamptz NOT NULL,
    last_at         timestamptz NOT NULL
);
CREATE INDEX audit_aggregates_clients_idx ON audit_aggregates USING gin (clients);
CREATE INDEX audit_aggregates_kind_idx ON audit_aggregates (kind, aggregate_id);

-- One row per event: the envelope's searchable fields. clients are the
-- aggregate's clients as of the event (a like on a post counts for the
-- clients whose feeds hold the post).
CREATE TABLE audit_events (
    stream       text        NOT NULL,
    position     bigint      NOT NULL,
    idx          integer     NOT NULL,
    event_id     text        NOT NULL,
    type         text        NOT NULL,
    subject      text        NOT NULL,
    actor        text        NOT NULL DEFAULT '',
    channel      text        NOT NULL DEFAULT '',
    clients      text[]      NOT NULL DEFAULT '{}',
    occurred_at  timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL,
    PRIMARY KEY (stream, position, idx)
);
CREATE INDEX audit_events_recorded_idx ON audit_events (recorded_at, stream, position, idx);
CREATE INDEX audit_events_type_idx ON audit_events (type, recorded_at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor, recorded_at);
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at);
CREATE INDEX audit_events_clients_idx ON audit_events USING gin (clients);

-- Every read through the audit API or `cicero events` (who read what,
-- when, through which channel). Written before the answer is sent, in the
-- request: a read that cannot be logged is refused. Not a read model (no
-- projection writes it, a rebuild never touches it).
CREATE TABLE audit_reads (
    id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    actor    text        NOT NULL,
    channel  text        NOT NULL,
    query    text        NOT NULL,
    params   jsonb       NOT NULL DEFAULT '{}',
    results  integer     NOT NULL DEFAULT 0
);
CREATE INDEX audit_reads_at_idx ON audit_reads (at);

-- +goose Down
DROP TABLE audit_reads;
DROP TABLE audit_events;
DROP TABLE audit_aggregates;

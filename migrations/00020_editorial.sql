-- +goose Up
-- Read models of the editorial projection (stream EDITORIAL): the Penmas
-- editorial workflow (legacy tables editorial_event, press_release_detail,
-- approval_request, change_log; spec/ops.md §1.2). Ids are the legacy
-- integers: event and request ids from the command side's counters,
-- log_id from the stream position (and index) of the event that made
-- the entry. No foreign keys: read models are rebuilt into shadow copies
-- and swapped.
CREATE TABLE editorial_events (
    event_id     bigint      PRIMARY KEY,
    event_date   timestamptz NOT NULL,
    topic        text        NOT NULL,
    judul_berita text,
    assignee     text,
    status       text        NOT NULL,
    content      text,
    summary      text,
    image_path   text,
    tag          text,
    kategori     text,
    created_by   text        NOT NULL,
    updated_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_update  timestamptz NOT NULL,
    version      bigint      NOT NULL
);
-- GET /api/events: mine (created or assigned), by date.
CREATE INDEX editorial_events_created_by ON editorial_events (created_by, event_date);
CREATE INDEX editorial_events_assignee ON editorial_events (assignee, event_date);

CREATE TABLE editorial_press_releases (
    event_id     bigint PRIMARY KEY,
    judul        text,
    dasar        text,
    tersangka    text,
    tkp          text,
    kronologi    text,
    modus        text,
    barang_bukti text,
    pasal        text,
    ancaman      text,
    catatan      text,
    updated_by   text   NOT NULL,
    version      bigint NOT NULL
);

CREATE TABLE editorial_approvals (
    request_id   bigint      PRIMARY KEY,
    event_id     bigint      NOT NULL,
    requested_by text        NOT NULL,
    status       text        NOT NULL,
    note         text,
    decided_by   text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint      NOT NULL
);
CREATE INDEX editorial_approvals_event ON editorial_approvals (event_id);
CREATE INDEX editorial_approvals_created ON editorial_approvals (created_at DESC, request_id DESC);

CREATE TABLE editorial_change_logs (
    log_id    bigint      PRIMARY KEY,
    event_id  bigint      NOT NULL,
    user_id   text        NOT NULL,
    status    text,
    changes   text,
    logged_at timestamptz NOT NULL
);
CREATE INDEX editorial_change_logs_event ON editorial_change_logs (event_id, logged_at, log_id);

-- A Penmas user's WhatsApp number (set by an admin), where the editorial
-- notices go; '' when none.
ALTER TABLE penmas_users ADD COLUMN whatsapp text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE penmas_users DROP COLUMN whatsapp;
DROP TABLE editorial_change_logs;
DROP TABLE editorial_approvals;
DROP TABLE editorial_press_releases;
DROP TABLE editorial_events;

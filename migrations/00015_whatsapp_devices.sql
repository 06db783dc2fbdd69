-- +goose Up
-- One row per WhatsApp device id (APP_SESSION_NAME, USER_WA_CLIENT_ID,
-- GATEWAY_WA_CLIENT_ID): which of the three sessions uses it, the JID its
-- paired device has in whatsmeow's store (whatsmeow_device, created by
-- whatsmeow's own versioned upgrades at serve start), and the last state
-- the adapter saw. Adapter bookkeeping, not a read model: the pairing
-- history is in the MESSAGING stream (messaging.session.<name>).
CREATE TABLE whatsapp_devices (
    device_id              text PRIMARY KEY,
    session                text NOT NULL,
    jid                    text,
    state                  text NOT NULL DEFAULT 'unpaired',
    last_disconnect_reason text NOT NULL DEFAULT '',
    last_auth_failure_at   timestamptz,
    paired_at              timestamptz,
    updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Read model (projections/messaging): each session's pairing history as
-- recorded in the MESSAGING stream, for /ops on every instance (also those
-- without WhatsApp) and for auditors.
CREATE TABLE wa_sessions (
    session       text PRIMARY KEY,
    client_id     text NOT NULL DEFAULT '',
    jid           text NOT NULL DEFAULT '',
    paired        boolean NOT NULL DEFAULT false,
    paired_at     timestamptz,
    logged_out_at timestamptz,
    logout_reason text NOT NULL DEFAULT '',
    version       bigint NOT NULL
);

-- +goose Down
DROP TABLE wa_sessions;
DROP TABLE whatsapp_devices;

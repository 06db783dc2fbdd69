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

-- +goose Down
DROP TABLE whatsapp_devices;

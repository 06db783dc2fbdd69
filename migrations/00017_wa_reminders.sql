-- +goose Up
-- The personal reminders' state (spec/ops.md §5.6
-- wa_notification_reminder_state), owned by the messaging_reminders
-- projection. A reminder is a MessageQueued of kind "wa-reminder" whose
-- meta names its day, chat, client and stage; the state advances only
-- when the dispatcher records that message delivered (MessageDelivered),
-- so a failed send leaves it where it was and the next run tries again.

-- Each queued reminder, by the id of its MessageQueued event.
CREATE TABLE wa_reminder_messages (
    event_id  text     PRIMARY KEY,
    date_key  date     NOT NULL,
    chat_id   text     NOT NULL,
    client_id text     NOT NULL,
    stage     smallint NOT NULL,
    complete  boolean  NOT NULL
);

-- The stage each chat reached for a client on a Jakarta day: 0 initial,
-- 1 followup1, 2 followup2, 3 completed.
CREATE TABLE wa_reminder_state (
    date_key    date     NOT NULL,
    chat_id     text     NOT NULL,
    client_id   text     NOT NULL,
    last_stage  smallint NOT NULL,
    is_complete boolean  NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (date_key, chat_id, client_id)
);

-- +goose Down
DROP TABLE wa_reminder_state;
DROP TABLE wa_reminder_messages;

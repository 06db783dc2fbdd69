-- +goose Up
-- The retention job deletes command outcomes and finished outbox rows older
-- than COMMAND_LOG_RETENTION / OUTBOX_RETENTION, oldest first, in batches.
CREATE INDEX command_log_created_idx ON command_log (created_at);
CREATE INDEX outbox_finished_created_idx ON outbox (created_at) WHERE status IN ('sent', 'failed');

-- +goose Down
DROP INDEX outbox_finished_created_idx;
DROP INDEX command_log_created_idx;

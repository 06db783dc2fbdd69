-- +goose Up
-- A request whose answer depends on a delivery (an OTP code, a reset token)
-- waits for the outbox row of its event and recipient (sagas.Deliveries),
-- whatever saga made it due.
CREATE INDEX outbox_event_idx ON outbox (event_id, recipient);

-- +goose Down
DROP INDEX outbox_event_idx;

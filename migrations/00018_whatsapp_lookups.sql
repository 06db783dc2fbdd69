-- +goose Up
-- The WhatsApp router finds every private sender by number (who is this
-- person, which dashboard accounts are theirs) before it answers; without
-- these indexes each inbound message scanned personnel and
-- dashboard_users. Partial: most rows have no number, and the router never
-- looks up the empty one. The rebuild copies them (LIKE … INCLUDING ALL).
CREATE INDEX personnel_whatsapp_idx ON personnel (whatsapp) WHERE whatsapp <> '';
CREATE INDEX dashboard_users_whatsapp_idx ON dashboard_users (whatsapp) WHERE whatsapp <> '';

-- +goose Down
DROP INDEX dashboard_users_whatsapp_idx;
DROP INDEX personnel_whatsapp_idx;

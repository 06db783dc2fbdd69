-- +goose Up
-- Numbers saved as Google contacts (spec/access.md §6.10, the legacy table
-- of the same name): the contact saver reads it before calling Google and
-- writes it after, so a number is saved once. Adapter state, not a read
-- model: no projection builds it and a rebuild leaves it alone.
CREATE TABLE saved_contact (
    phone_number  text        PRIMARY KEY,
    resource_name text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE saved_contact;

-- +goose Up
-- Scheduled jobs (SPEC.md §6; spec/access.md §6.12). A job without a row
-- in job_config runs: the legacy cron_job_config rule.
CREATE TABLE job_config (
    job         text        PRIMARY KEY,
    active      boolean     NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per job and scheduled slot: the instance that inserts it runs
-- the slot, every other instance skips it.
CREATE TABLE job_runs (
    job          text        NOT NULL,
    slot         timestamptz NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    error        text,
    PRIMARY KEY (job, slot)
);

-- +goose Down
DROP TABLE job_runs;
DROP TABLE job_config;

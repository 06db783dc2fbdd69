-- +goose Up
-- Attendance materialisation of the social_engagements projection (it owns
-- these tables and social_engagements, and applies post and engagement
-- events in one ordered pass, so the counts always agree with the
-- engagement rows). Measured before adding them (README "Performance",
-- attendance): the plain join of task posts × engagements × personnel took
-- ~100 ms for a directorate month on the full demo set, 4× the legacy
-- layout instead of the 10× target.

-- The task-set state of each post: the clients whose feeds hold it now
-- (withdrawn ones removed) and its role tags.
CREATE TABLE social_attendance_posts (
    platform      text   NOT NULL,
    post_id       text   NOT NULL,
    jakarta_date  date   NOT NULL,
    feeds         text[] NOT NULL DEFAULT '{}',
    tags          text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (platform, post_id)
);

-- Task sets: task is 'client:<CLIENT_ID>' (the client's feed, not
-- withdrawn) or 'role:<role>' (a directorate's tasks: the posts in the
-- feed of the client named like the role, or tagged for it; SPEC.md §5.4).
-- A post withdrawn from every feed is in no task set.
CREATE TABLE social_attendance_tasks (
    platform      text NOT NULL,
    task          text NOT NULL,
    jakarta_date  date NOT NULL,
    post_id       text NOT NULL,
    PRIMARY KEY (platform, task, jakarta_date, post_id)
);

-- Per task set, Jakarta day and normalised username: how many of the
-- day's task posts the username engaged with (kind like or comment).
CREATE TABLE social_daily_attendance (
    platform      text    NOT NULL,
    kind          text    NOT NULL,
    task          text    NOT NULL,
    jakarta_date  date    NOT NULL,
    username      text    NOT NULL,
    posts         integer NOT NULL,
    PRIMARY KEY (platform, kind, task, jakarta_date, username)
);

-- +goose Down
DROP TABLE social_daily_attendance;
DROP TABLE social_attendance_tasks;
DROP TABLE social_attendance_posts;

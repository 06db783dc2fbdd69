package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestJobListAndRun(t *testing.T) {
	testEnv(t)
	steps := []struct {
		args    []string
		wantErr string
		wantOut []string
	}{
		{[]string{"job", "list"}, "", []string{"dashboard-subscription-expiry", "*/48 * * * *", "dashboard-premium-request-expiry",
			"20 * * * *", "true", "wa-notification-reminder", "5 17 * * * | 35 17 * * *", "./src/cron/cronWaNotificationReminder.js",
			"oprrequest-absensi-engagement", "20 15,18,20 * * *", "dirrequest-ditbinmas-absensi-today", "24 18 * * *"}},
		// A recap runs by its legacy key; with no clients it queues nothing.
		{[]string{"job", "run", "./src/cron/cronOprRequestAbsensiEngagement.js"}, "", []string{"done"}},
		{[]string{"job", "run", "dashboard-subscription-expiry"}, "", []string{"job dashboard-subscription-expiry done"}},
		{[]string{"job", "run", "dashboard-premium-request-expiry", "--client", "POLRESA"}, "", []string{"done"}},
		{[]string{"job", "run", "nope"}, "unknown job", nil},
		{[]string{"job", "run"}, "accepts 1 arg", nil},
	}
	for _, s := range steps {
		out, err := runCLI(t, s.args...)
		switch {
		case s.wantErr != "" && (err == nil || !strings.Contains(err.Error()+out, s.wantErr)):
			t.Fatalf("%v: want error %q, got %v / %q", s.args, s.wantErr, err, out)
		case s.wantErr == "" && err != nil:
			t.Fatalf("%v: %v", s.args, err)
		}
		for _, w := range s.wantOut {
			if !strings.Contains(out, w) {
				t.Fatalf("%v: output %q lacks %q", s.args, out, w)
			}
		}
	}
}

// TestRetentionJob: `cicero job run retention` deletes command outcomes and
// finished outbox rows older than their retention, keeps younger ones, and
// never touches a message still to be sent, however old.
func TestRetentionJob(t *testing.T) {
	t.Setenv("COMMAND_LOG_RETENTION", "720h")
	t.Setenv("OUTBOX_RETENTION", "240h")
	cfg := testEnv(t)
	if _, err := runCLI(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	day := 24 * time.Hour
	for i, age := range []time.Duration{40 * day, 31 * day, 29 * day, time.Hour} {
		exec(`INSERT INTO command_log (command_id, command, outcome, created_at) VALUES ($1, 'test', '{}', now() - $2::interval)`,
			fmt.Sprintf("cmd-%d", i), fmt.Sprintf("%d seconds", int(age.Seconds())))
	}
	for i, row := range []struct {
		status string
		age    time.Duration
	}{{"sent", 11 * day}, {"failed", 11 * day}, {"pending", 60 * day}, {"sending", 60 * day}, {"sent", 9 * day}} {
		exec(`INSERT INTO outbox (saga, event_id, recipient, channel, payload, status, created_at)
			VALUES ('s', $1, 'r', 'email', '{}', $2, now() - $3::interval)`,
			fmt.Sprintf("ev-%d", i), row.status, fmt.Sprintf("%d seconds", int(row.age.Seconds())))
	}
	if out, err := runCLI(t, "job", "run", "retention"); err != nil {
		t.Fatalf("job run retention: %v %s", err, out)
	}
	var cmds, rows []string
	r1, _ := pool.Query(ctx, `SELECT command_id FROM command_log ORDER BY command_id`)
	cmds, _ = pgx.CollectRows(r1, pgx.RowTo[string])
	r2, _ := pool.Query(ctx, `SELECT event_id FROM outbox ORDER BY event_id`)
	rows, _ = pgx.CollectRows(r2, pgx.RowTo[string])
	if strings.Join(cmds, ",") != "cmd-2,cmd-3" {
		t.Errorf("command_log kept %v, want the two younger than 30 days", cmds)
	}
	if strings.Join(rows, ",") != "ev-2,ev-3,ev-4" {
		t.Errorf("outbox kept %v, want the unfinished rows and the one younger than 10 days", rows)
	}
}

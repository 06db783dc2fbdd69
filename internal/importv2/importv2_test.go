package importv2_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/importv2"
	"github.com/cicero/cicero/internal/importv2/v2fixture"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/testkit"
)

func oldDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	_, db := testkit.NewDatabase(t)
	url, err := v2fixture.Create(ctx, db, "v2")
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte(v2fixture.OperatorPassword), 4)
	if err := v2fixture.Exec(ctx, url, v2fixture.EdgeCases(string(hash))...); err != nil {
		t.Fatal(err)
	}
	return url
}

// target is an empty Cicero: event store and database.
type target struct {
	store  *events.Store
	rt     *commands.Runtime
	cmdlog commands.CommandLog
	pool   *pgxpool.Pool
}

func newTarget(t *testing.T) target {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	cmdlog := commands.NewPGCommandLog(pool)
	return target{store: n.Store, rt: commands.NewRuntime(n.Store, cmdlog, testkit.Logger(t)), cmdlog: cmdlog, pool: pool}
}

func run(t *testing.T, ctx context.Context, tg target, oldURL string, opts importv2.Options, p importv2.Progress) (*importv2.Report, error) {
	t.Helper()
	src, err := importv2.Open(context.Background(), oldURL)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close(context.Background())
	if opts.Clock.Other == nil {
		opts.Clock = importv2.DefaultClock(jakarta.Location)
	}
	opts.Concurrency = 4
	return importv2.New(src, tg.rt, tg.cmdlog, opts, testkit.Logger(t), p).Run(ctx)
}

// history is every event of the imported streams as subject, type and
// payload (ids, positions and record times differ between stores).
func history(t *testing.T, s *events.Store) []string {
	t.Helper()
	var out []string
	for _, st := range []string{"DIRECTORY", "ACCESS", "PREMIUM", "SOCIAL", "AMPLIFY", "EDITORIAL"} {
		if err := s.ReadStream(context.Background(), st, 1, "", func(e events.Envelope) error {
			out = append(out, fmt.Sprintf("%s %s %s %s %s", e.Subject, e.Type, e.Data, e.Meta.Actor, e.Meta.CausationID))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(out)
	return out
}

// cancelAfter cancels the run after n rows are done: a crash mid-table.
type cancelAfter struct {
	n      int64
	done   atomic.Int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Start(string, int) {}
func (c *cancelAfter) Finish()           {}
func (c *cancelAfter) Add(k int) {
	if c.done.Add(int64(k)) >= c.n {
		c.cancel()
	}
}

// An import interrupted mid-run and run again ends with exactly the
// history of an uninterrupted one, for every interruption point; a third
// run appends nothing.
func TestImportResumesExactly(t *testing.T) {
	oldURL := oldDB(t)
	whole := newTarget(t)
	if _, err := run(t, context.Background(), whole, oldURL, importv2.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	want := history(t, whole.store)
	if len(want) < 20 {
		t.Fatalf("only %d events imported", len(want))
	}
	for _, at := range []int64{1, 5, 9, 14, 37, 40, 42, 46} {
		t.Run(fmt.Sprintf("cut after %d rows", at), func(t *testing.T) {
			tg := newTarget(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, err := run(t, ctx, tg, oldURL, importv2.Options{}, &cancelAfter{n: at, cancel: cancel})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted run: %v, want context.Canceled", err)
			}
			if got := history(t, tg.store); len(got) >= len(want) {
				t.Fatalf("the cut after %d rows came too late: %d of %d events already", at, len(got), len(want))
			}
			if _, err := run(t, context.Background(), tg, oldURL, importv2.Options{}, nil); err != nil {
				t.Fatalf("resumed run: %v", err)
			}
			if got := history(t, tg.store); !slices.Equal(got, want) {
				t.Fatalf("resumed history differs:\n%s", diff(want, got))
			}
			rep, err := run(t, context.Background(), tg, oldURL, importv2.Options{}, nil)
			if err != nil || rep.Events() != 0 {
				t.Fatalf("third run: %d events, %v", rep.Events(), err)
			}
			// Without the command log the decisions' "already recorded"
			// rules still keep everything once.
			if _, err := tg.pool.Exec(context.Background(), `DELETE FROM command_log`); err != nil {
				t.Fatal(err)
			}
			rep, err = run(t, context.Background(), tg, oldURL, importv2.Options{}, nil)
			if err != nil || rep.Events() != 0 {
				t.Fatalf("run without the command log: %d events, %v", rep.Events(), err)
			}
			if got := history(t, tg.store); !slices.Equal(got, want) {
				t.Fatalf("history after a run without the command log:\n%s", diff(want, got))
			}
		})
	}
}

// A second run after the old system changed imports only the change:
// a new like, a person's new handle, a new post.
func TestImportTakesOnlyChanges(t *testing.T) {
	oldURL := oldDB(t)
	tg := newTarget(t)
	if _, err := run(t, context.Background(), tg, oldURL, importv2.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	before := history(t, tg.store)
	if err := v2fixture.Exec(context.Background(), oldURL,
		`UPDATE insta_like SET likes = likes || '["siti_a"]' WHERE shortcode = 'IGLATE'`,
		`UPDATE "user" SET tiktok = '@Rina.TT' WHERE user_id = '75020004'`,
		`INSERT INTO insta_post (shortcode, client_id, caption, like_count, comment_count, created_at) VALUES ('IGNEW', 'POLRES_B', 'baru', 0, 0, '2026-11-22 09:00:00')`,
	); err != nil {
		t.Fatal(err)
	}
	rep, err := run(t, context.Background(), tg, oldURL, importv2.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	after := history(t, tg.store)
	var added []string
	for _, e := range after {
		if !slices.Contains(before, e) {
			added = append(added, e)
		}
	}
	for _, want := range []string{
		`social.ig.post.IGLATE LikesRecorded`,
		`directory.person.75020004 PersonHandleChanged`,
		`social.ig.post.IGNEW PostIngested`,
	} {
		if !slices.ContainsFunc(added, func(e string) bool { return strings.HasPrefix(e, want) }) {
			t.Errorf("the second run did not append %s; it appended:\n%s", want, strings.Join(added, "\n"))
		}
	}
	if len(added) != 3 || rep.Events() != 3 {
		t.Errorf("the second run appended %d events (report %d), want 3:\n%s", len(added), rep.Events(), strings.Join(added, "\n"))
	}
	if !strings.Contains(strings.Join(added, "\n"), `"siti_a"`) || strings.Contains(strings.Join(added, "\n"), `"budi.santoso"`) {
		t.Errorf("the new LikesRecorded must carry only the new liker:\n%s", strings.Join(added, "\n"))
	}
}

// --dry-run reads and checks everything, reports the same skips, and
// appends nothing.
func TestImportDryRun(t *testing.T) {
	oldURL := oldDB(t)
	tg := newTarget(t)
	rep, err := run(t, context.Background(), tg, oldURL, importv2.Options{DryRun: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := history(t, tg.store); len(got) != 0 {
		t.Fatalf("dry run appended %d events", len(got))
	}
	// On the fixture (no row a command refuses) the dry run skips and
	// takes exactly what a real run does.
	real, err := run(t, context.Background(), newTarget(t), oldURL, importv2.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tables) != len(real.Tables) {
		t.Fatalf("dry run reports %d tables, a real run %d", len(rep.Tables), len(real.Tables))
	}
	for i, rt := range real.Tables {
		dt := rep.Tables[i]
		if dt.Table != rt.Table || dt.Imported != rt.Imported || fmt.Sprint(dt.Skipped) != fmt.Sprint(rt.Skipped) || fmt.Sprint(dt.LeftOut) != fmt.Sprint(rt.LeftOut) {
			t.Errorf("%s: dry run took %d, skipped %v, left out %v; a real run took %d, skipped %v, left out %v",
				rt.Table, dt.Imported, dt.Skipped, dt.LeftOut, rt.Imported, rt.Skipped, rt.LeftOut)
		}
	}
	total := 0
	for _, rt := range real.Tables {
		total += rt.Imported
	}
	if total == 0 {
		t.Fatal("the real run imported nothing: the comparison above proves nothing")
	}
	var b strings.Builder
	rep.Print(&b)
	for _, want := range []string{fmt.Sprintf("dry run: nothing appended; %d rows would be imported", total), "invalid NRP/NIP", "orphan: the post's client", "password_hash is not a bcrypt hash"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("dry-run report lacks %q:\n%s", want, b.String())
		}
	}
}

func TestUsernames(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want []string
		ok   bool
	}{
		{`["alice","bob"]`, []string{"alice", "bob"}, true},
		{`["@Alice ", "@alice", "BOB"]`, []string{"alice", "bob"}, true},
		{`[{"username":"Alice"},{"username":"@bob"}]`, []string{"alice", "bob"}, true},
		{`"[\"@alice\"]"`, []string{"alice"}, true},
		{`null`, nil, true},
		{`[]`, nil, true},
		{`{"a":1}`, nil, false},
		{`[1, 2]`, nil, false},
	} {
		got, ok := importv2.Usernames([]byte(c.raw))
		if ok != c.ok || !slices.Equal(got, c.want) {
			t.Errorf("Usernames(%s) = %q, %v; want %q, %v", c.raw, got, ok, c.want, c.ok)
		}
	}
}

// The old naive timestamps are read in their platform's convention: the
// same wall clock is two different instants.
func TestClockConventions(t *testing.T) {
	clock := importv2.DefaultClock(jakarta.Location)
	naive := time.Date(2026, 11, 20, 16, 59, 0, 0, time.UTC)
	if got := importv2.Wall(naive, clock.TiktokPosts); jakarta.Date(got) != "2026-11-20" || got.Hour() != 16 {
		t.Errorf("tiktok: %v (%s)", got, jakarta.Date(got))
	}
	late := time.Date(2026, 11, 20, 23, 59, 0, 0, time.UTC)
	if got := importv2.Wall(late, clock.InstagramPosts); jakarta.Date(got) != "2026-11-20" || !got.Equal(time.Date(2026, 11, 20, 16, 59, 0, 0, time.UTC)) {
		t.Errorf("instagram: %v (%s)", got, jakarta.Date(got))
	}
}

func diff(want, got []string) string {
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			b.WriteString("- " + w + "\n")
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			b.WriteString("+ " + g + "\n")
		}
	}
	return b.String()
}

package access

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/internal/password"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// TestPenmasUsersReadModel registers Penmas accounts (one name in two
// cases), records logins (one in the batch of its registration for small
// batch sizes, later for others) beside a dashboard registration on the
// same stream, and checks the rows for several batch sizes and after a
// rebuild.
func TestPenmasUsersReadModel(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	logPool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(logPool), testkit.Logger(t))
	h := penmasuser.NewHandlers(rt, penmasuser.WithHashCost(bcrypt.MinCost))
	ctx := context.Background()
	at := func(i int) time.Time { return pt.T0.Add(time.Duration(i) * time.Minute) }
	meta := func(i int) commands.Meta { return commands.Meta{Actor: "test", OccurredAt: at(i)} }
	seq := func(out commands.Outcome, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return int64(out.Appended[0].Sequence)
	}
	register := func(i int, cmd penmasuser.Register) (string, int64) {
		t.Helper()
		id, out, err := h.Register(ctx, meta(i), cmd)
		return id, seq(out, err)
	}
	budi, _ := register(1, penmasuser.Register{Username: " Budi ", Password: "rahasia"})
	budiLow, budiLowSeq := register(2, penmasuser.Register{Username: "budi", Password: "lain", Role: "HUMAS"})
	// A dashboard account on the same stream is not this model's.
	if _, _, err := dashuser.NewHandlers(rt, dashuser.WithHashCost(bcrypt.MinCost)).CreateDashboardUser(ctx, meta(3),
		dashuser.CreateDashboardUser{ActorRole: "admin", Username: "Budi", Password: "rahasia123", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	loginSeq := seq(h.RecordLogin(ctx, meta(4), penmasuser.RecordLogin{UserID: budi, At: at(4).Add(time.Second)}))
	if _, _, err := h.Register(ctx, meta(5), penmasuser.Register{Username: "budi", Password: "x"}); err == nil {
		t.Fatal("a taken name registered again")
	}
	if _, err := h.RecordLogin(ctx, meta(6), penmasuser.RecordLogin{UserID: "0190a8a0-0000-7000-8000-00000000dead"}); err == nil {
		t.Fatal("login of an unknown account recorded")
	}
	head := accessHead(t, n)

	login := at(4).Add(time.Second)
	want := []PenmasUser{
		{UserID: budi, Username: "Budi", Role: "penulis", LastLoginAt: &login, Version: uint64(loginSeq), CreatedAt: at(1), UpdatedAt: at(1)},
		{UserID: budiLow, Username: "budi", Role: "humas", Version: uint64(budiLowSeq), CreatedAt: at(2), UpdatedAt: at(2)},
	}
	ignoreHash := cmpopts.IgnoreFields(PenmasUser{}, "PasswordHash")
	var first map[string][]string
	for _, batch := range []int{1, 5000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = batch
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, NewPenmasUsers(n.Store.Registry()), opts))
			pt.WaitProjection(t, pool, PenmasUsersName, "ACCESS", head)
			q := NewPenmasUserQueries(pool)
			for _, w := range want {
				got, err := q.ByUsername(ctx, w.Username)
				if err != nil {
					t.Fatalf("%s: %v", w.Username, err)
				}
				if d := cmp.Diff(w, got, ignoreHash); d != "" {
					t.Errorf("%s (-want +got):\n%s", w.Username, d)
				}
				if byID, err := q.ByID(ctx, w.UserID); err != nil || byID.Username != w.Username {
					t.Errorf("ByID(%s) = %+v, %v", w.UserID, byID, err)
				}
			}
			if got, _ := q.ByUsername(ctx, "Budi"); !password.Verify(got.PasswordHash, "rahasia") {
				t.Error("read model hash is not the password's")
			}
			for _, bad := range []string{"BUDI", "nobody", "", "a\x00b"} {
				if _, err := q.ByUsername(ctx, bad); !errors.Is(err, ErrNotFound) {
					t.Errorf("ByUsername(%q): want ErrNotFound, got %v", bad, err)
				}
			}
			d := pt.Dump(t, pool, "penmas_users")
			if len(d["penmas_users"]) != 2 {
				t.Errorf("rows %v, want the two Penmas accounts only", d)
			}
			if first == nil {
				first = d
			} else if diff := cmp.Diff(first, d); diff != "" {
				t.Errorf("read model depends on batch size (-batch 1 +this):\n%s", diff)
			}
			if batch != 5000 {
				return
			}
			if err := projections.Rebuild(ctx, pool, n.Store, NewPenmasUsers(n.Store.Registry()), nil); err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			if diff := cmp.Diff(d, pt.Dump(t, pool, "penmas_users")); diff != "" {
				t.Errorf("rebuilt read model differs (-live +rebuilt):\n%s", diff)
			}
		})
	}
}

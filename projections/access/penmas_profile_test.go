package access

import (
	"context"
	"fmt"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

// TestPenmasProfileChanges: an admin's role and WhatsApp changes reach
// the row, whether they land in the batch of the registration or later,
// and a cleared number is empty again.
func TestPenmasProfileChanges(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	logPool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(logPool), testkit.Logger(t))
	h := penmasuser.NewHandlers(rt, penmasuser.WithHashCost(bcrypt.MinCost))
	ctx := context.Background()
	id, _, err := h.Register(ctx, commands.Meta{}, penmasuser.Register{Username: "redaktur", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := h.Register(ctx, commands.Meta{}, penmasuser.Register{Username: "lain", Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	set := func(c penmasuser.SetProfile) uint64 {
		t.Helper()
		o, err := h.SetProfile(ctx, commands.Meta{}, c)
		if err != nil || len(o.Appended) != 1 {
			t.Fatalf("%+v: %+v, %v", c, o, err)
		}
		return o.Appended[0].Sequence
	}
	editor, wa, none := "editor", "0812 7777 6666", ""
	set(penmasuser.SetProfile{UserID: id, Role: &editor, WhatsApp: &wa})
	set(penmasuser.SetProfile{UserID: other, WhatsApp: &wa})
	head := set(penmasuser.SetProfile{UserID: other, WhatsApp: &none})
	for _, batch := range []int{1, 5000} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			pool, _ := testkit.NewDatabase(t)
			opts := pt.QuietOpts(t)
			opts.BatchSize = batch
			pt.StartRunner(t, projections.NewRunner(pool, n.Store, NewPenmasUsers(n.Store.Registry()), opts))
			pt.WaitProjection(t, pool, PenmasUsersName, "ACCESS", head)
			q := NewPenmasUserQueries(pool)
			if u, err := q.ByID(ctx, id); err != nil || u.Role != "editor" || u.WhatsApp != "6281277776666" {
				t.Errorf("editor row %+v, %v", u, err)
			}
			if u, err := q.ByID(ctx, other); err != nil || u.Role != "penulis" || u.WhatsApp != "" || u.Version != head {
				t.Errorf("cleared row %+v, %v (want version %d)", u, err, head)
			}
		})
	}
}

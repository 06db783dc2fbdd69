package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections/directory"
)

// TestRebuildOneClientFromTheCLI: `cicero rebuild directory --client`
// while serve runs replaces POLRESA's rows (a damaged one comes back right)
// and leaves POLRESB's alone; serve keeps projecting afterwards.
func TestRebuildOneClientFromTheCLI(t *testing.T) {
	cfg := testEnv(t)
	startApp(t, cfg)
	for _, args := range [][]string{
		{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org"},
		{"admin", "client", "create", "--id", "POLRESB", "--name", "POLRES B", "--type", "org"},
		{"admin", "person", "create", "--nrp", "75020001", "--name", "budi", "--client", "POLRESA", "--insta", "budi.a"},
		{"admin", "person", "create", "--nrp", "75020002", "--name", "siti", "--client", "POLRESB", "--insta", "siti.b"},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	pool := openPool(t, cfg)
	q := directory.NewQueries(pool)
	ctx := context.Background()
	testkit.Eventually(t, 10*time.Second, func() error {
		for _, nrp := range []string{"75020001", "75020002"} {
			if _, err := q.Person(ctx, nrp); err != nil {
				return err
			}
		}
		return nil
	})
	a, _ := q.Person(ctx, "75020001")
	for _, s := range []string{`UPDATE personnel SET nama = 'RUSAK' WHERE user_id IN ('75020001', '75020002')`} {
		if _, err := pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runCLI(t, "rebuild", "directory", "--client", "POLRESA")
	if err != nil || !strings.Contains(out, "rebuilt directory for client POLRESA: 2 aggregates") {
		t.Fatalf("rebuild --client: %v %q", err, out)
	}
	if got, err := q.Person(ctx, "75020001"); err != nil || !cmp.Equal(a, got) {
		t.Fatalf("POLRESA's person after the rebuild: %v %s", err, cmp.Diff(a, got))
	}
	if got, _ := q.Person(ctx, "75020002"); got.Nama != "RUSAK" {
		t.Fatalf("POLRESB's person was touched: %+v (want the damaged row left as it was)", got)
	}
	if _, err := runCLI(t, "rebuild", "social_posts", "--client", "POLRESA"); err == nil || !strings.Contains(err.Error(), "per client") {
		t.Fatalf("social_posts --client: %v", err)
	}
	if out, err := runCLI(t, "admin", "person", "update", "--nrp", "75020001", "--title", "aiptu"); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	testkit.Eventually(t, 10*time.Second, func() error {
		p, err := q.Person(ctx, "75020001")
		if err != nil || p.Title != "AIPTU" {
			return fmt.Errorf("update after the client rebuild not projected: %+v %v", p, err)
		}
		return nil
	})
}

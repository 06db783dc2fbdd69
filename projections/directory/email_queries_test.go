package directory

import (
	"context"
	"slices"
	"testing"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/projections"
	pt "github.com/cicero/cicero/projections/projectiontest"
)

func TestPeopleByEmail(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	a := pt.NewAppender(n.Store)
	a.Person(t, a.At(1), "75020001", events.PersonRegistered{NRP: "75020001", Nama: "BUDI", Email: "budi@polri.test"})
	a.Person(t, a.At(2), "75020002", events.PersonRegistered{NRP: "75020002", Nama: "BUDI LAMA", Email: "Budi@Polri.test"})
	a.Person(t, a.At(3), "75020002", events.PersonDeactivated{NRP: "75020002"})
	a.Person(t, a.At(4), "75020003", events.PersonRegistered{NRP: "75020003", Nama: "ANDI", Email: "budi@polri.test"})
	a.Person(t, a.At(5), "75020004", events.PersonRegistered{NRP: "75020004", Nama: "SITI"})
	pt.StartRunner(t, projections.NewRunner(pool, n.Store, New(n.Store.Registry()), pt.QuietOpts(t)))
	pt.WaitCheckpoint(t, pool, Name, a.Head())

	q := NewQueries(pool)
	for _, c := range []struct {
		email string
		want  []string
	}{
		{" BUDI@polri.test ", []string{"75020001", "75020003", "75020002"}}, // active first, then NRP
		{"siti@polri.test", nil},
		{"", nil}, // SITI has no e-mail: blank matches nobody
	} {
		got, err := q.PeopleByEmail(context.Background(), c.email)
		if err != nil {
			t.Fatalf("%q: %v", c.email, err)
		}
		var ids []string
		for _, p := range got {
			ids = append(ids, p.UserID)
		}
		if !slices.Equal(ids, c.want) {
			t.Errorf("PeopleByEmail(%q) = %v, want %v", c.email, ids, c.want)
		}
	}
}

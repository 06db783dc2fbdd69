package projections

import (
	"context"
	"slices"
	"testing"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
)

func TestPeopleByEmail(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	a := newAppender(n.Store)
	a.person(t, a.at(1), "75020001", events.PersonRegistered{NRP: "75020001", Nama: "BUDI", Email: "budi@polri.test"})
	a.person(t, a.at(2), "75020002", events.PersonRegistered{NRP: "75020002", Nama: "BUDI LAMA", Email: "Budi@Polri.test"})
	a.person(t, a.at(3), "75020002", events.PersonDeactivated{NRP: "75020002"})
	a.person(t, a.at(4), "75020003", events.PersonRegistered{NRP: "75020003", Nama: "ANDI", Email: "budi@polri.test"})
	a.person(t, a.at(5), "75020004", events.PersonRegistered{NRP: "75020004", Nama: "SITI"})
	startRunner(t, NewRunner(pool, n.Store, NewDirectory(n.Store.Registry()), quietOpts(t)))
	waitCheckpoint(t, pool, DirectoryName, a.head())

	q := NewDirectoryQueries(pool)
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

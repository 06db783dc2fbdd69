package events_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/cicero/cicero/events"
)

// The personnel aggregates live in the PREMIUM stream (its subjects are
// premium.>) and never on a dashboard user's subject: theirs have three
// tokens, a dashboard user's (premium.<uuid>) two.
func TestPersonnelPremiumSubject(t *testing.T) {
	s := events.PersonnelPremiumSubject("75020001")
	if s != "premium.personnel.75020001" || events.StreamOf(s) != "PREMIUM" {
		t.Fatalf("subject %q in stream %q", s, events.StreamOf(s))
	}
	dash := events.PremiumSubject(uuid.NewString())
	if n, m := strings.Count(s, "."), strings.Count(dash, "."); n != 2 || m != 1 {
		t.Fatalf("%q has %d dots, %q has %d", s, n, dash, m)
	}
	// Even an id that is not an NRP stays one token.
	if got := events.PersonnelPremiumSubject("a.b"); got != "premium.personnel.a~2Eb" {
		t.Fatalf("subject of a.b: %q", got)
	}
	reg := events.NewRegistry()
	for _, typ := range []string{"PersonnelPremiumRequested", "PersonnelPremiumRequestUpdated", "PersonnelPremiumGranted",
		"PersonnelPremiumRequestRejected", "PersonnelPremiumExpired"} {
		if v, err := reg.Version(typ); err != nil || v != 1 {
			t.Errorf("%s: version %d, %v", typ, v, err)
		}
	}
}

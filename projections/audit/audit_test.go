package audit_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections/audit"
)

func TestClients(t *testing.T) {
	cases := []struct {
		name, subject, body string
		want                []string
	}{
		{"client aggregate", events.ClientSubject("polres_a"), `{"nama":"X"}`, []string{"POLRES_A"}},
		{"top-level client_id", events.PersonSubject("1"), `{"client_id":" polres_b "}`, []string{"POLRES_B"}},
		{"client_ids", events.DashboardUserSubject("u"), `{"client_ids":["B","a","B"]}`, []string{"A", "B"}},
		{"changed fields", events.PersonSubject("1"), `{"changes":{"client_id":"C"}}`, []string{"C"}},
		{"renumbered snapshot", events.PersonSubject("2"), `{"person":{"client_id":"D","active":true}}`, []string{"D"}},
		{"two levels down is not read", events.PersonSubject("3"), `{"a":{"b":{"client_id":"E"}}}`, nil},
		{"none", events.PostSubject("instagram", "x"), `{"usernames":["a"]}`, nil},
		{"blank", events.PersonSubject("4"), `{"client_id":""}`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := audit.Clients(&events.Envelope{Subject: c.subject, Data: json.RawMessage(c.body)})
			if !slices.Equal(got, c.want) {
				t.Fatalf("Clients = %v, want %v", got, c.want)
			}
		})
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := audit.Cursor{RecordedAt: time.Date(2026, 12, 3, 9, 0, 0, 123456000, time.UTC), Stream: "SOCIAL", Position: 42, Index: 3}
	got, err := audit.ParseCursor(c.String())
	if err != nil || got != c {
		t.Fatalf("ParseCursor(%q) = %+v %v", c.String(), got, err)
	}
	for _, bad := range []string{"", "abc", "1.SOCIAL.2", "x.SOCIAL.2.0", "1..2.0", "1.SOCIAL.-2.0", "1.SOCIAL.2.-1"} {
		if _, err := audit.ParseCursor(bad); err == nil {
			t.Errorf("ParseCursor(%q) accepted", bad)
		}
	}
}

func TestSplitSubject(t *testing.T) {
	kind, id := audit.SplitSubject(events.Subject("social.ig.account", "budi.ig"))
	if kind != "social.ig.account" || id != "budi.ig" {
		t.Fatalf("SplitSubject = %q %q", kind, id)
	}
}

package dirreport

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/projections/recap"
)

// fakeReader answers one client; every action over it is checked in
// sagas/jobs against the real read models.
type fakeReader struct{ members []recap.Member }

func (f fakeReader) Client(_ context.Context, id string) (recap.Client, error) {
	if id != "DITBINMAS" {
		return recap.Client{}, recap.ErrNotFound
	}
	return recap.Client{Client: recaptext.Client{ID: "DITBINMAS", Name: "DIREKTORAT BINMAS"}, Type: "direktorat"}, nil
}

func (fakeReader) TaskPosts(context.Context, recap.Client, string, string, string, bool) ([]recaptext.Post, map[string]map[string]bool, error) {
	return nil, nil, nil
}

func (fakeReader) People(context.Context, recap.Client, string, string, string, string) ([]recaptext.Person, error) {
	return nil, nil
}

func (f fakeReader) Members(context.Context, recap.Client, string, bool) ([]recap.Member, error) {
	return f.members, nil
}

func TestBuildRefusals(t *testing.T) {
	b := New(fakeReader{}, nil)
	ctx := context.Background()
	var unknown *UnknownActionError
	for _, a := range []int{0, 4, 11, 36, -1} {
		if _, err := b.Build(ctx, "DITBINMAS", a, Options{}); !errors.As(err, &unknown) || unknown.Action != a {
			t.Errorf("action %d: err = %v, want *UnknownActionError", a, err)
		}
	}
	if _, err := b.Build(ctx, "NOPE", 5, Options{}); !errors.Is(err, recap.ErrNotFound) {
		t.Errorf("unknown client: err = %v, want recap.ErrNotFound", err)
	}
	if _, err := b.Build(ctx, "DITBINMAS", 22, Options{Period: "fortnight"}); !errors.Is(err, ErrPeriod) {
		t.Errorf("unknown period: err = %v, want ErrPeriod", err)
	}
	// Everybody's data complete: action 3 has nothing to send.
	full := fakeReader{members: []recap.Member{{Member: recaptext.Member{NRP: "1", Name: "A", Insta: "a", Tiktok: "a"}}}}
	if parts, err := New(full, nil).Build(ctx, "DITBINMAS", 3, Options{}); err != nil || len(parts) != 0 {
		t.Errorf("action 3 with complete data = %v, %v; want no part", parts, err)
	}
	for _, a := range Actions() {
		parts, err := b.Build(ctx, "DITBINMAS", a, Options{})
		if a == 3 {
			continue // no personnel: nothing incomplete
		}
		if err != nil || len(parts) != 1 || parts[0].Text == "" {
			t.Errorf("action %d = %+v, %v; want one text", a, parts, err)
		}
	}
}

func TestPeriods(t *testing.T) {
	ref := time.Date(2026, 11, 20, 23, 30, 0, 0, jakarta.Location) // a Friday
	for _, tc := range []struct{ name, from, to, label string }{
		{"", "2026-11-20", "2026-11-20", "2026-11-20"},
		{"daily", "2026-11-20", "2026-11-20", "2026-11-20"},
		{"yesterday", "2026-11-19", "2026-11-19", "2026-11-19"},
		{"this_week", "2026-11-16", "2026-11-20", "2026-11-16 s.d. 2026-11-20"},
		{"last_week", "2026-11-09", "2026-11-15", "2026-11-09 s.d. 2026-11-15"},
		{"this_month", "2026-11-01", "2026-11-20", "2026-11-01 s.d. 2026-11-20"},
		{"last_month", "2026-10-01", "2026-10-31", "2026-10-01 s.d. 2026-10-31"},
		{"all_time", "", "", "semua"},
	} {
		p, err := periodOf(tc.name, ref.UTC())
		if err != nil || p.from != tc.from || p.to != tc.to || p.label != tc.label {
			t.Errorf("period %q = %+v, %v; want %s..%s %q", tc.name, p, err, tc.from, tc.to, tc.label)
		}
	}
	// Early on the 1st of a month, a Monday, in Jakarta it is still the
	// last day of the month before (a Sunday) in UTC: the Jakarta date counts.
	dawn := time.Date(2026, 6, 1, 6, 0, 0, 0, jakarta.Location).UTC() // 2026-05-31T23:00Z
	for _, tc := range []struct{ name, from, to string }{
		{"today", "2026-06-01", "2026-06-01"},
		{"yesterday", "2026-05-31", "2026-05-31"},
		{"this_week", "2026-06-01", "2026-06-01"},
		{"last_week", "2026-05-25", "2026-05-31"},
		{"this_month", "2026-06-01", "2026-06-01"},
		{"last_month", "2026-05-01", "2026-05-31"},
	} {
		if p, err := periodOf(tc.name, dawn); err != nil || p.from != tc.from || p.to != tc.to {
			t.Errorf("period %q at 06:00 WIB on the 1st = %+v, %v; want %s..%s", tc.name, p, err, tc.from, tc.to)
		}
	}
	// Sunday belongs to the week that began the Monday before.
	if p, _ := periodOf("this_week", time.Date(2026, 11, 22, 1, 0, 0, 0, jakarta.Location)); p.from != "2026-11-16" {
		t.Errorf("this_week on a Sunday starts %s, want 2026-11-16", p.from)
	}
}

package taskboard

import (
	"testing"
	"time"
)

// The group is told until 17:14:59 WIB and not from 17:15:00 WIB to the end
// of the Jakarta day; the next Jakarta day (from 17:00 UTC) it is told
// again. Instants are written in UTC so a check done in UTC or server time
// would fail.
func TestCutoffIsJakartaQuarterPastFive(t *testing.T) {
	for _, tc := range []struct {
		utc  string
		late bool
	}{
		{"2026-11-20T10:14:59Z", false}, // 17:14:59 WIB
		{"2026-11-20T10:15:00Z", true},  // 17:15:00 WIB
		{"2026-11-20T11:00:00Z", true},  // 18:00 WIB
		{"2026-11-20T16:59:59Z", true},  // 23:59:59 WIB
		{"2026-11-20T17:00:00Z", false}, // 00:00 WIB the next day
		{"2026-11-19T23:30:00Z", false}, // 06:30 WIB (the UTC date is the day before)
		{"2026-11-20T17:15:00Z", false}, // 00:15 WIB: 17:15 UTC is no cut-off
	} {
		at, err := time.Parse(time.RFC3339, tc.utc)
		if err != nil {
			t.Fatal(err)
		}
		if got := late(at); got != tc.late {
			t.Errorf("late(%s) = %v, want %v", tc.utc, got, tc.late)
		}
	}
}

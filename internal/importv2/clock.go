package importv2

import (
	"fmt"
	"time"
)

// Clock says how the old database's naive `timestamp` columns were
// written (spec social.md §1.3–1.4): Instagram post times as Asia/Jakarta
// wall time, TikTok post times as UTC wall time, and the other naive
// columns (NOW() of a server running in Jakarta) as Jakarta wall time.
// A database that ran differently overrides them with flags.
type Clock struct {
	InstagramPosts *time.Location
	TiktokPosts    *time.Location
	Other          *time.Location
}

// DefaultClock is the old code's convention.
func DefaultClock(jakarta *time.Location) Clock {
	return Clock{InstagramPosts: jakarta, TiktokPosts: time.UTC, Other: jakarta}
}

// ParseLocation reads a flag's zone name ("Asia/Jakarta", "UTC").
func ParseLocation(flag, name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%s: unknown time zone %q", flag, name)
	}
	return loc, nil
}

// wall reads a naive timestamp (pgx gives its wall clock as UTC) as wall
// time in loc: the instant the old code meant.
func wall(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}

// plausible rejects timestamps no real row has (zero, year 1, far future):
// such a row is skipped as "unparseable timestamp" rather than dated 0001.
func plausible(t time.Time) bool {
	return t.Year() >= 2000 && t.Year() <= 2100
}

// Wall is wall for tests and tools: a naive timestamp read in loc.
func Wall(t time.Time, loc *time.Location) time.Time { return wall(t, loc) }

// Package jakarta holds the business calendar: every "day" in Cicero is an
// Asia/Jakarta date, whatever the server's or database's time zone.
package jakarta

import (
	"time"
	_ "time/tzdata" // the zone must load on machines without tzdata
)

// Location is Asia/Jakarta (UTC+7, no daylight saving).
var Location = mustLoad()

func mustLoad() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.FixedZone("WIB", 7*3600)
	}
	return loc
}

// Date returns the Jakarta calendar date of t as YYYY-MM-DD.
func Date(t time.Time) string { return t.In(Location).Format(time.DateOnly) }

// Format renders t in Jakarta time with its offset (RFC 3339).
func Format(t time.Time) string { return t.In(Location).Format(time.RFC3339) }

// EndOfDay is the last instant of t's Asia/Jakarta day (23:59:59.999…).
func EndOfDay(t time.Time) time.Time {
	j := t.In(Location)
	return time.Date(j.Year(), j.Month(), j.Day(), 0, 0, 0, 0, Location).AddDate(0, 0, 1).Add(-time.Nanosecond)
}

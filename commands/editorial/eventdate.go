package editorial

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
)

var (
	dmyRE = regexp.MustCompile(`^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)
	ymdRE = regexp.MustCompile(`^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)
)

// ParseTime reads the dates the Penmas app sends (formatIsoTimestamp,
// spec/ops.md §1.5): dd/mm/yyyy or dd-mm-yyyy, yyyy-mm-dd or yyyy/mm/dd,
// each with an optional HH:MM[:SS] (space or T), or RFC 3339. Wall times
// are Asia/Jakarta (the legacy code read them as UTC, quirk 3). ok is
// false for anything else, including impossible dates (31/02/2025), which
// the legacy code turned into a 500.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	var y, m, d, hh, mm, ss string
	if p := dmyRE.FindStringSubmatch(s); p != nil {
		d, m, y, hh, mm, ss = p[1], p[2], p[3], p[4], p[5], p[6]
	} else if p := ymdRE.FindStringSubmatch(s); p != nil {
		y, m, d, hh, mm, ss = p[1], p[2], p[3], p[4], p[5], p[6]
	} else {
		return time.Time{}, false
	}
	n := func(v string) int { i, _ := strconv.Atoi(v); return i }
	t := time.Date(n(y), time.Month(n(m)), n(d), n(hh), n(mm), n(ss), 0, jakarta.Location)
	if t.Day() != n(d) || int(t.Month()) != n(m) || n(hh) > 23 || n(mm) > 59 || n(ss) > 59 {
		return time.Time{}, false
	}
	return t, true
}

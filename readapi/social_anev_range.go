package readapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/jakarta"
)

// The ANEV time ranges (spec/social.md §4.1) and their refusals.
var anevTimeRanges = []string{"today", "7d", "30d", "90d", "custom", "all"}

const (
	anevMsgRange       = "time_range tidak valid"
	anevMsgCustomDates = "start_date dan end_date wajib diisi untuk time_range custom"
	anevMsgDates       = "Rentang tanggal tidak valid"
	anevMsgAllEnd      = "Rentang waktu tidak valid"
	anevAllFrom        = "2000-01-01"
)

// anevRange is a resolved time range: inclusive Jakarta dates.
type anevRange struct {
	name, from, to string
}

// startRFC and endRFC are the bounds as the legacy answer spells them.
func (r anevRange) startRFC() string { return r.from + "T00:00:00+07:00" }
func (r anevRange) endRFC() string   { return r.to + "T23:59:59.999+07:00" }

// rangeError is a refused time range: 400 with the permitted ranges.
type rangeError struct{ msg string }

func (e rangeError) Error() string { return e.msg }

func (e rangeError) write(w http.ResponseWriter) {
	httpx.JSON(w, http.StatusBadRequest, map[string]any{"success": false, "message": e.msg,
		"permitted_time_ranges": anevTimeRanges})
}

// parseAnevRange reads time_range (alias timeRange, default 7d) with
// start_date/startDate and end_date/endDate at instant now.
func parseAnevRange(q map[string][]string, now time.Time) (anevRange, error) {
	get := func(keys ...string) string {
		for _, k := range keys {
			if v := strings.TrimSpace(first(q[k])); v != "" {
				return v
			}
		}
		return ""
	}
	name := strings.ToLower(get("time_range", "timeRange"))
	if name == "" {
		name = "7d"
	}
	today, _ := time.Parse(time.DateOnly, jakarta.Date(now))
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	switch name {
	case "today":
		return anevRange{name, day(today), day(today)}, nil
	case "7d", "30d", "90d":
		n := map[string]int{"7d": 7, "30d": 30, "90d": 90}[name]
		return anevRange{name, day(today.AddDate(0, 0, 1-n)), day(today)}, nil
	case "custom":
		from, ok1 := anevDate(get("start_date", "startDate"))
		to, ok2 := anevDate(get("end_date", "endDate"))
		if !ok1 || !ok2 {
			return anevRange{}, rangeError{anevMsgCustomDates}
		}
		if from > to {
			return anevRange{}, rangeError{anevMsgDates}
		}
		return anevRange{name, from, to}, nil
	case "all":
		to := day(today)
		if raw := get("end_date", "endDate"); raw != "" {
			d, ok := anevDate(raw)
			if !ok {
				return anevRange{}, rangeError{anevMsgAllEnd}
			}
			to = d
		}
		if anevAllFrom > to {
			return anevRange{}, rangeError{anevMsgDates}
		}
		return anevRange{name, anevAllFrom, to}, nil
	}
	return anevRange{}, rangeError{anevMsgRange}
}

// anevDate reads a date (YYYY-MM-DD) or an instant (RFC 3339) as its
// Jakarta date. Year 0 parses in Go but is no Postgres date: refused.
func anevDate(s string) (string, bool) {
	day := ""
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		day = t.Format(time.DateOnly)
	} else if t, err := time.Parse(time.RFC3339, s); err == nil {
		day = jakarta.Date(t)
	}
	return day, day != "" && !strings.HasPrefix(day, "0000-")
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

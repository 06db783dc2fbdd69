// Package period reads the dashboard's period vocabulary (spec/social.md
// §3.6) into an inclusive range of Asia/Jakarta calendar dates: `periode`
// harian (default: today or `tanggal`), mingguan (the Monday-based week of
// `tanggal` or today), bulanan (the month of `tanggal`, YYYY-MM or
// YYYY-MM-DD, or the current month), semua (no bound); `start_date` +
// `end_date` (aliases `tanggal_mulai` / `tanggal_selesai`) override it.
//
// The old system compared dates in whatever time zone the database
// session had; here every bound is a Jakarta date and queries compare it
// with the post's Jakarta date, computed when the post was projected.
package period

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/jakarta"
)

// Names of the periods.
const (
	Harian   = "harian"
	Mingguan = "mingguan"
	Bulanan  = "bulanan"
	Semua    = "semua"
	Range    = "range" // start_date + end_date
)

// Messages of refused periods (400).
const (
	MsgPeriode   = "periode harus harian, mingguan, bulanan atau semua"
	MsgTanggal   = "tanggal tidak valid (format YYYY-MM-DD)"
	MsgBulan     = "tanggal tidak valid untuk periode bulanan (format YYYY-MM atau YYYY-MM-DD)"
	MsgRangePair = "start_date dan end_date harus diisi bersamaan"
	MsgRangeDate = "start_date/end_date tidak valid (format YYYY-MM-DD)"
	MsgRangeFlip = "Rentang tanggal tidak valid"
)

// Period is an inclusive range of Jakarta dates (YYYY-MM-DD); All means no
// bound (From and To empty).
type Period struct {
	Name     string // Harian, Mingguan, Bulanan, Semua or Range
	From, To string
	All      bool
}

// Contains reports whether the Jakarta date day (YYYY-MM-DD) is inside p.
func (p Period) Contains(day string) bool {
	return p.All || (day >= p.From && day <= p.To)
}

// Label is a human label of the period ("2026-11-20", "2026-11-16 s.d.
// 2026-11-22", "semua").
func (p Period) Label() string {
	switch {
	case p.All:
		return "semua"
	case p.From == p.To:
		return p.From
	default:
		return p.From + " s.d. " + p.To
	}
}

// first returns the first non-empty value among the keys.
func first(q url.Values, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			return v
		}
	}
	return ""
}

// FromQuery reads the period of a request's query at instant now. Bad
// values are Invalid (400) naming the field.
func FromQuery(q url.Values, now time.Time) (Period, error) {
	start := first(q, "start_date", "tanggal_mulai", "startDate")
	end := first(q, "end_date", "tanggal_selesai", "endDate")
	if start != "" || end != "" {
		if start == "" || end == "" {
			return Period{}, apperr.Invalidf("start_date", "%s", MsgRangePair)
		}
		from, err1 := parseDay(start)
		to, err2 := parseDay(end)
		if err1 != nil || err2 != nil {
			return Period{}, apperr.Invalidf("start_date", "%s", MsgRangeDate)
		}
		if from > to {
			return Period{}, apperr.Invalidf("start_date", "%s", MsgRangeFlip)
		}
		return Period{Name: Range, From: from, To: to}, nil
	}
	return Of(first(q, "periode"), first(q, "tanggal"), now)
}

// Of resolves periode name with the optional tanggal at instant now.
func Of(name, tanggal string, now time.Time) (Period, error) {
	today := jakarta.Date(now)
	name = strings.ToLower(strings.TrimSpace(name))
	switch name {
	case "", Harian:
		day := today
		if tanggal != "" {
			d, err := parseDay(tanggal)
			if err != nil {
				return Period{}, apperr.Invalidf("tanggal", "%s", MsgTanggal)
			}
			day = d
		}
		return Period{Name: Harian, From: day, To: day}, nil
	case Mingguan:
		day := today
		if tanggal != "" {
			d, err := parseDay(tanggal)
			if err != nil {
				return Period{}, apperr.Invalidf("tanggal", "%s", MsgTanggal)
			}
			day = d
		}
		t, _ := time.Parse(time.DateOnly, day)
		monday := t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
		return Period{Name: Mingguan, From: monday.Format(time.DateOnly), To: monday.AddDate(0, 0, 6).Format(time.DateOnly)}, nil
	case Bulanan:
		month := today[:7]
		if tanggal != "" {
			m, err := parseMonth(tanggal)
			if err != nil {
				return Period{}, apperr.Invalidf("tanggal", "%s", MsgBulan)
			}
			month = m
		}
		t, _ := time.Parse("2006-01", month)
		return Period{Name: Bulanan, From: t.Format(time.DateOnly), To: t.AddDate(0, 1, -1).Format(time.DateOnly)}, nil
	case Semua:
		return Period{Name: Semua, All: true}, nil
	}
	return Period{}, apperr.Invalidf("periode", "%s", MsgPeriode)
}

// parseDay accepts YYYY-MM-DD, or an RFC 3339 instant taken as its
// Jakarta date.
// Year 0 parses in Go but is no Postgres date: refused (400, not 500).
func parseDay(s string) (string, error) {
	day := ""
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		day = t.Format(time.DateOnly)
	} else if t, err := time.Parse(time.RFC3339, s); err == nil {
		day = jakarta.Date(t)
	}
	if day == "" || strings.HasPrefix(day, "0000-") {
		return "", fmt.Errorf("date %q", s)
	}
	return day, nil
}

func parseMonth(s string) (string, error) {
	if t, err := time.Parse("2006-01", s); err == nil && t.Year() > 0 {
		return t.Format("2006-01"), nil
	}
	d, err := parseDay(s)
	if err != nil {
		return "", err
	}
	return d[:7], nil
}

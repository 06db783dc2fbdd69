package recaptext

import (
	"math"
	"strconv"
	"strings"
)

// formatInt writes n the id-ID way: 1.234.567.
func formatInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatPercent is 100×num/den with at most one decimal, id-ID style
// (66,7; 50; 100), rounded half away from zero like Intl; 0 when den is 0.
func formatPercent(num, den int) string {
	if den == 0 {
		return "0"
	}
	tenths := int(math.Round(float64(num) * 1000 / float64(den)))
	s := formatInt(tenths / 10)
	if r := tenths % 10; r != 0 {
		s += "," + strconv.Itoa(r)
	}
	return s
}

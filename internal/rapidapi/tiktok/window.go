package tiktok

import (
	"time"

	"github.com/cicero/cicero/internal/jakarta"
)

// The username fallback window, in minutes after midnight Asia/Jakarta:
// 11:00 through 17:15, both minutes included (spec §2.3 step 4). Outside
// it the extra call is not worth its quota: before 11:00 few accounts have
// posted, after 17:15 the day's task broadcast is over.
const (
	windowStart = 11 * 60
	windowEnd   = 17*60 + 15
)

// UsernameFallbackAllowed reports whether t falls in the username fallback
// window: 11:00:00 to 17:15:59 Asia/Jakarta.
func UsernameFallbackAllowed(t time.Time) bool {
	j := t.In(jakarta.Location)
	m := j.Hour()*60 + j.Minute()
	return m >= windowStart && m <= windowEnd
}

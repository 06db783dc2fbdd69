package complainttext

import (
	"regexp"
	"strings"
	"unicode"
)

// Known issues (§5.4).
const (
	InstagramNotRecorded   = "instagram_not_recorded"
	TiktokNotRecorded      = "tiktok_not_recorded"
	AttendanceLess         = "attendance_less"
	ActivityFlaggedNotDone = "activity_flagged_not_done"
)

var (
	notRecordedRE = regexp.MustCompile(`(belum|blm|tidak) terdata`)
	lessRE        = regexp.MustCompile(`terabsen kurang|absen kurang`)
	flaggedRE     = regexp.MustCompile(`terabsen(s|i)? (belum|blm) melaksanakan|status belum melaksanakan`)
)

// normalizeIssue lower-cases, turns anything but letters and digits into
// spaces and collapses them.
func normalizeIssue(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Detect returns the known issues the lines describe, each once, in the
// order first met. Platform mentions are substring matches ("ig", "tt"),
// as in the old system, so words containing them count too.
func Detect(issues []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, line := range issues {
		s := normalizeIssue(line)
		ig := strings.Contains(s, "instagram") || strings.Contains(s, "ig")
		tt := strings.Contains(s, "tiktok") || strings.Contains(s, "tt")
		executed := strings.Contains(s, "sudah melaksanakan")
		notRecorded := notRecordedRE.MatchString(s)
		if executed && ig && notRecorded {
			add(InstagramNotRecorded)
		}
		if executed && tt && notRecorded {
			add(TiktokNotRecorded)
		}
		if executed && lessRE.MatchString(s) {
			add(AttendanceLess)
		}
		if flaggedRE.MatchString(s) {
			add(ActivityFlaggedNotDone)
		}
	}
	return out
}

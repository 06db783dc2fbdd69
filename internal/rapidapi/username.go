package rapidapi

import "github.com/cicero/cicero/internal/normalize"

// NormalizeUsername is the matching form of a liker's or commenter's
// username (spec §2.6): trimmed, lower-cased, "" for empty. It is
// normalize.Handle, the same function the directory applies to personnel
// handles, so both sides of a match are computed alike. Handle strips every
// '@', not only a leading one (it keeps only [a-z0-9._]); that is the SQL
// rule of the old matching, and an '@' can never be part of a real
// Instagram or TikTok username, so nothing that should match is lost.
func NormalizeUsername(s string) string { return normalize.Handle(s) }

// NormalizeUsernames normalises raw usernames, dropping empty ones and
// duplicates, keeping first-seen order.
func NormalizeUsernames(raw []string) []string {
	seen := make(map[string]bool, len(raw))
	out := make([]string, 0, len(raw))
	for _, r := range raw {
		n := NormalizeUsername(r)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out
}

// Package waid builds WhatsApp addresses the way the legacy system did
// (spec/ops.md §3.4): numbers in their stored form (digits, 62 prefix),
// user JIDs and group JIDs. A saga's WhatsApp recipient is always one of
// UserJID or GroupJID's results; the adapter accepts the legacy "@c.us"
// spelling too, so ids typed by people or imported keep working.
package waid

import (
	"regexp"
	"strings"

	"github.com/cicero/cicero/internal/normalize"
)

// Servers of the two kinds of chat.
const (
	UserServer  = "s.whatsapp.net"
	GroupServer = "g.us"
	// LegacyUserServer is whatsapp-web.js's user suffix (old rows, ADMIN_WHATSAPP).
	LegacyUserServer = "c.us"
)

// MinDigits is the shortest number a user address may have
// (normalizeUserWhatsAppId's default).
const MinDigits = 8

// Number is formatToWhatsAppId without its suffix: digits only; a number
// not starting with 62 loses one leading 0 and gets 62 in front. Empty in,
// empty out.
func Number(s string) string { return normalize.WhatsApp(s) }

// UserJID is the chat of a person's number ("62…@s.whatsapp.net"), or ""
// when the number has fewer than MinDigits digits. A value that already
// carries a user suffix keeps its digits as they are (legacy rule).
func UserJID(s string) string {
	s = strings.TrimSpace(s)
	if user, server, ok := strings.Cut(s, "@"); ok && (server == UserServer || server == LegacyUserServer) {
		d := digitsOf(user)
		if len(d) < MinDigits {
			return ""
		}
		return d + "@" + UserServer
	}
	n := Number(s)
	if len(n) < MinDigits {
		return ""
	}
	return n + "@" + UserServer
}

var (
	inviteRE = regexp.MustCompile(`(?i)^(?:https?://)?chat\.whatsapp\.com/(?:invite/)?`)
	groupRE  = regexp.MustCompile(`^(\d{10,22}(?:-\d{6,12})?)(?:@g\.us)?$`)
)

// GroupJID is normalizeGroupId: a group id ("<digits>@g.us", bare digits,
// or the legacy "<digits>-<digits>" form) in lower case with its suffix,
// or "" when the value is not a group id (non-numeric invite codes).
func GroupJID(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = inviteRE.ReplaceAllString(s, "")
	m := groupRE.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1] + "@" + GroupServer
}

// Recipient is the chat a stored contact field points at: a group id as a
// group, anything else as a user number; "" when it is neither.
func Recipient(s string) string {
	if strings.HasSuffix(strings.ToLower(strings.TrimSpace(s)), "@"+GroupServer) {
		return GroupJID(s)
	}
	return UserJID(s)
}

// Split is splitRecipientField: several values in one field separated by
// ';', ',' or newlines, trimmed, empty ones dropped.
func Split(field string) []string {
	parts := strings.FieldsFunc(field, func(r rune) bool { return r == ';' || r == ',' || r == '\n' || r == '\r' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Admins reads ADMIN_WHATSAPP (comma separated) into user JIDs, with the
// 62 normalisation the legacy getAdminWAIds lacked (a 08… entry there
// never matched a sender). Invalid entries are dropped, duplicates once.
func Admins(list string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range strings.Split(list, ",") {
		if j := UserJID(s); j != "" && !seen[j] {
			seen[j] = true
			out = append(out, j)
		}
	}
	return out
}

// IsAdmin reports whether sender (any spelling) is one of admins (JIDs
// from Admins).
func IsAdmin(admins []string, sender string) bool {
	j := UserJID(sender)
	if j == "" {
		return false
	}
	for _, a := range admins {
		if a == j {
			return true
		}
	}
	return false
}

// NumberOf is the stored number of a user JID ("62…"), "" for a group.
func NumberOf(jid string) string {
	user, server, ok := strings.Cut(jid, "@")
	if ok && server != UserServer && server != LegacyUserServer {
		return ""
	}
	return Number(user)
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Package normalize holds the directory's normalisation rules (spec
// access.md §1.4) in one place: the person and client commands store these
// forms, and the directory projection and the engagement matching compute
// the same forms (e.g. insta_norm, tiktok_norm) with the same functions.
package normalize

import (
	"regexp"
	"strings"
	"unicode"
)

// MinWhatsAppDigits is the shortest stored WhatsApp number (legacy
// minPhoneDigitLength).
const MinWhatsAppDigits = 8

// NRP bounds: the WhatsApp self-service accepts 6–18 digits; the commands
// apply the same bounds to every entry point.
const (
	MinNRPDigits = 6
	MaxNRPDigits = 18
)

// NRP returns the digits of an NRP/NIP (legacy normalizeUserId): trimmed,
// every non-digit removed. "75.020 001" → "75020001".
func NRP(s string) string { return digits(s) }

// ClientID returns a client id in its stored form: trimmed, upper-case.
func ClientID(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Text returns a personnel text field (nama, title, divisi, jabatan, desa)
// in its stored form: trimmed, upper-case.
func Text(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Email returns an e-mail address trimmed and lower-cased.
func Email(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Role returns a role name trimmed and lower-cased.
func Role(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// WhatsApp returns a phone number in its storage form: digits only, a
// leading 0 replaced by 62 (numbers not starting with 62 get 62 in front
// after one leading 0 is dropped). Empty input gives "". The caller checks
// the length with ValidWhatsApp.
func WhatsApp(s string) string {
	d := digits(s)
	if d == "" || strings.HasPrefix(d, "62") {
		return d
	}
	return "62" + strings.TrimPrefix(d, "0")
}

// ValidWhatsApp reports whether a normalised number is long enough to store.
func ValidWhatsApp(n string) bool { return len(n) >= MinWhatsAppDigits }

var emailRE = regexp.MustCompile(`^[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)+$`)

// ValidEmail reports whether a normalised address looks like name@domain.tld.
func ValidEmail(e string) bool { return emailRE.MatchString(e) }

var roleRE = regexp.MustCompile(`^[a-z0-9_]+$`)

// ValidRole reports whether a normalised role name is acceptable: the known
// roles and any other name of [a-z0-9_].
func ValidRole(r string) bool { return roleRE.MatchString(r) }

func digits(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isSpace also covers the no-break spaces that pasted text carries.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }

package events_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cicero/cicero/events"
)

func TestEncodeToken(t *testing.T) {
	for _, tc := range []struct{ id, token string }{
		{"", ""},
		{"75020001", "75020001"},
		{"Ab_-09", "Ab_-09"},
		{"budi.ig", "budi~2Eig"},
		{"budi ig", "budi~20ig"},
		{"*", "~2A"},
		{">", "~3E"},
		{"~", "~7E"},
		{"ü", "~C3~BC"},
		{"\x00\xff", "~00~FF"},
	} {
		if got := events.EncodeToken(tc.id); got != tc.token {
			t.Errorf("EncodeToken(%q) = %q, want %q", tc.id, got, tc.token)
		}
		if back, err := events.DecodeToken(tc.token); err != nil || back != tc.id {
			t.Errorf("DecodeToken(%q) = %q, %v; want %q", tc.token, back, err, tc.id)
		}
	}
}

// DecodeToken accepts only what EncodeToken writes, so an id has exactly one
// subject.
func TestDecodeTokenRefusesNonCanonical(t *testing.T) {
	for _, tok := range []string{
		"~2e",    // lower-case hex
		"~41",    // escape of a plain byte
		"~4",     // truncated
		"abc~",   // truncated
		"~ZZ",    // not hex
		"~+1",    // sign
		"a.b",    // a subject separator
		"a b",    // white space
		"*", ">", // wildcards
		"ü", // raw non-ASCII
		"~", // lone escape
	} {
		if got, err := events.DecodeToken(tok); err == nil {
			t.Errorf("DecodeToken(%q) = %q, want an error", tok, got)
		}
	}
}

func TestSubjectAndStreamOf(t *testing.T) {
	if got := events.Subject("directory.person", "budi.ig"); got != "directory.person.budi~2Eig" {
		t.Fatalf("Subject = %q", got)
	}
	for subj, want := range map[string]string{"directory.person.x": "DIRECTORY", "social": "SOCIAL", "messaging.delivery.1": "MESSAGING"} {
		if got := events.StreamOf(subj); got != want {
			t.Errorf("StreamOf(%q) = %q, want %q", subj, got, want)
		}
	}
}

// FuzzTokenRoundTrip checks that every string, treated as an id, survives
// EncodeToken → DecodeToken as one literal token, and, treated as a token,
// is either refused or re-encodes to itself.
func FuzzTokenRoundTrip(f *testing.F) {
	for _, s := range []string{"", "budi.ig", "budi ig", "*", ">", "a.*.>", "~", "~7E", "~2e", "ünïcødé", "🚀", "\x00\xff", "tab\there"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok := events.EncodeToken(s)
		if (tok == "") != (s == "") {
			t.Fatalf("EncodeToken(%q) = %q: empty iff the id is", s, tok)
		}
		if strings.ContainsAny(tok, ".*> \t\r\n\x00") || !utf8.ValidString(tok) {
			t.Fatalf("EncodeToken(%q) = %q is not one literal ASCII token", s, tok)
		}
		back, err := events.DecodeToken(tok)
		if err != nil || back != s {
			t.Fatalf("DecodeToken(EncodeToken(%q)) = %q, %v", s, back, err)
		}
		if id, err := events.DecodeToken(s); err == nil {
			if re := events.EncodeToken(id); re != s {
				t.Fatalf("token %q decodes to %q which encodes to %q", s, id, re)
			}
		}
	})
}

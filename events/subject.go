package events

import (
	"fmt"
	"strings"
)

// EncodeToken turns an arbitrary id into one subject token. Ids such as
// Instagram usernames may hold '.', spaces, '*' or '>', which would split or
// wildcard the subject; every byte outside [A-Za-z0-9_-] is written as ~XX.
// The function is reversible through DecodeToken.
func EncodeToken(id string) string {
	var b strings.Builder
	b.Grow(len(id))
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "~%02X", c)
	}
	return b.String()
}

// DecodeToken reverses EncodeToken.
func DecodeToken(tok string) (string, error) {
	if !strings.Contains(tok, "~") {
		return tok, nil
	}
	var b strings.Builder
	for i := 0; i < len(tok); i++ {
		if tok[i] != '~' {
			b.WriteByte(tok[i])
			continue
		}
		if i+2 >= len(tok) {
			return "", fmt.Errorf("decode token %q: truncated escape", tok)
		}
		var v byte
		if _, err := fmt.Sscanf(tok[i+1:i+3], "%02X", &v); err != nil {
			return "", fmt.Errorf("decode token %q: %w", tok, err)
		}
		b.WriteByte(v)
		i += 2
	}
	return b.String(), nil
}

// Subject joins a context prefix (e.g. "directory.person") with an encoded id.
func Subject(prefix, id string) string { return prefix + "." + EncodeToken(id) }

// StreamOf names the stream that holds a subject: its first token upper-cased.
func StreamOf(subject string) string {
	if i := strings.IndexByte(subject, '.'); i > 0 {
		return strings.ToUpper(subject[:i])
	}
	return strings.ToUpper(subject)
}

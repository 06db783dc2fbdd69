package events

import (
	"fmt"
	"strings"
)

const hexDigits = "0123456789ABCDEF"

// plainByte reports whether c may stand for itself inside an encoded token.
func plainByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// EncodeToken turns an arbitrary id into one subject token. Ids such as
// Instagram usernames may hold '.', spaces, '*' or '>', which would split or
// wildcard the subject; every byte outside [A-Za-z0-9_-] is written as ~XX
// (upper-case hex). The function is reversible through DecodeToken, and the
// token of a non-empty id is never empty. An empty id gives an empty token,
// which Append refuses as part of a subject.
func EncodeToken(id string) string {
	n := len(id)
	for i := 0; i < len(id); i++ {
		if !plainByte(id[i]) {
			n += 2
		}
	}
	if n == len(id) {
		return id
	}
	b := make([]byte, 0, n)
	for i := 0; i < len(id); i++ {
		c := id[i]
		if plainByte(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '~', hexDigits[c>>4], hexDigits[c&0x0f])
	}
	return string(b)
}

// DecodeToken reverses EncodeToken. It accepts only tokens EncodeToken can
// produce (plain bytes and ~XX escapes, upper-case hex, of bytes that need
// escaping), so every id has exactly one token and back.
func DecodeToken(tok string) (string, error) {
	if strings.IndexByte(tok, '~') < 0 {
		for i := 0; i < len(tok); i++ {
			if !plainByte(tok[i]) {
				return "", fmt.Errorf("decode token %q: byte %q at %d is not allowed in a token", tok, tok[i], i)
			}
		}
		return tok, nil
	}
	b := make([]byte, 0, len(tok))
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c != '~' {
			if !plainByte(c) {
				return "", fmt.Errorf("decode token %q: byte %q at %d is not allowed in a token", tok, c, i)
			}
			b = append(b, c)
			continue
		}
		if i+2 >= len(tok) {
			return "", fmt.Errorf("decode token %q: truncated escape", tok)
		}
		hi, lo := unhex(tok[i+1]), unhex(tok[i+2])
		if hi < 0 || lo < 0 {
			return "", fmt.Errorf("decode token %q: bad escape %q", tok, tok[i:i+3])
		}
		v := byte(hi<<4 | lo)
		if plainByte(v) {
			return "", fmt.Errorf("decode token %q: escape %q of a plain byte", tok, tok[i:i+3])
		}
		b = append(b, v)
		i += 2
	}
	return string(b), nil
}

// unhex reads one upper-case hex digit (-1 for anything else).
func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
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

// checkSubject refuses subjects an aggregate cannot live on: empty tokens
// (an empty id), wildcards, white space, or a single token (no stream).
func checkSubject(subject string) error {
	if subject == "" {
		return fmt.Errorf("invalid subject %q: empty", subject)
	}
	tokens := 0
	start := 0
	for i := 0; i <= len(subject); i++ {
		if i < len(subject) {
			switch subject[i] {
			case ' ', '\t', '\r', '\n', 0:
				return fmt.Errorf("invalid subject %q: white space or NUL", subject)
			case '.':
			default:
				continue
			}
		}
		tok := subject[start:i]
		switch tok {
		case "":
			return fmt.Errorf("invalid subject %q: empty token", subject)
		case "*", ">":
			return fmt.Errorf("invalid subject %q: wildcard", subject)
		}
		tokens++
		start = i + 1
	}
	if tokens < 2 {
		return fmt.Errorf("invalid subject %q: no aggregate token", subject)
	}
	return nil
}

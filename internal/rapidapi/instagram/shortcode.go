package instagram

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/cicero/cicero/internal/apperr"
)

// shortcodeRE is what an Instagram shortcode looks like: base64url
// characters; 11 for most public posts, longer for some.
var shortcodeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{5,64}$`)

// postSegments are the path segments a post's shortcode follows.
var postSegments = map[string]bool{"p": true, "reel": true, "reels": true, "tv": true}

// ErrShortcodeMessage is the message of ParseShortcode's error.
const ErrShortcodeMessage = "Format link atau shortcode Instagram tidak dikenali. " +
	"Pastikan link berisi /p/<kode>/, /reel/<kode>/ atau /tv/<kode>/."

// ParseShortcode takes what an operator pastes to import one post — a post
// link (instagram.com/p/<code>/, /reel/<code>/, /reels/<code>/, /tv/<code>/,
// with or without scheme, query or a username before the segment) or a bare
// shortcode — and returns the shortcode. Anything else is an
// apperr Invalid error (field "link") with ErrShortcodeMessage.
func ParseShortcode(input string) (string, error) {
	s := strings.TrimSpace(input)
	if shortcodeRE.MatchString(s) {
		return s, nil
	}
	if code := fromPostURL(s); code != "" {
		return code, nil
	}
	return "", apperr.Invalidf("link", "%s", ErrShortcodeMessage)
}

func fromPostURL(s string) string {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	host := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."), "m.")
	if host != "instagram.com" && host != "instagr.am" {
		return ""
	}
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	for i := 0; i+1 < len(segs); i++ {
		if postSegments[strings.ToLower(segs[i])] && shortcodeRE.MatchString(segs[i+1]) {
			return segs[i+1]
		}
	}
	return ""
}

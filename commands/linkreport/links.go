package linkreport

import (
	"regexp"
	"strings"
)

var (
	firstURLRE = regexp.MustCompile(`https?://\S+`)
	khususRE   = regexp.MustCompile(`(?i)^(?:https?://)?(?:www\.)?instagram\.com/(?:p|reel)/([^/?#\s]+)`)
	codeRE     = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// FirstURL is the legacy extractFirstUrl: the first http(s):// token of s,
// or "" when it holds none. No platform check (any URL in any field).
func FirstURL(s string) string { return firstURLRE.FindString(s) }

// KhususShortcode is the shortcode of a khusus Instagram link: the code of
// an instagram.com/p/… or /reel/… URL, else the text before the first
// '/', '?' or '#'; "" when that is not a shortcode.
func KhususShortcode(link string) string {
	s := strings.TrimSpace(link)
	code := ""
	if m := khususRE.FindStringSubmatch(s); m != nil {
		code = m[1]
	} else {
		code = s
		if i := strings.IndexAny(s, "/?#"); i >= 0 {
			code = s[:i]
		}
	}
	if !codeRE.MatchString(code) {
		return ""
	}
	return code
}

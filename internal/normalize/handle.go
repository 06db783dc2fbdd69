package normalize

import (
	"regexp"
	"strings"
)

// Handle returns the matching form of an Instagram or TikTok username:
// lower-case, without '@', only [a-z0-9._], taken out of a profile link
// when one is given (instagram.com/<name>, instagram.com/u/<name>,
// tiktok.com/@<name>). A link that names no profile (a post, a short link,
// another site) gives "". It never fails, so projections can apply it to
// anything; commands validate input with InstagramHandle / TiktokHandle,
// whose results Handle leaves unchanged.
func Handle(s string) string {
	if stored(s) {
		// The common case (a fetch's likers): already in stored form.
		return s
	}
	name, _ := extractHandle(s, "")
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if c := name[i]; handleByte(c) {
			b.WriteByte(c)
		}
	}
	return b.String()
}

var (
	instagramRE = regexp.MustCompile(`^[a-z0-9._]{1,30}$`)
	tiktokRE    = regexp.MustCompile(`^[a-z0-9._]{1,24}$`)
)

// InstagramHandle parses a typed Instagram username or profile link into
// its stored form. Blank input gives ("", true): it clears the handle. ok
// is false when the input is not an Instagram username (1–30 of [a-z0-9._]
// after lower-casing) or profile link.
func InstagramHandle(s string) (string, bool) { return strictHandle(s, "instagram.com", instagramRE) }

// TiktokHandle is InstagramHandle for TikTok (tiktok.com/@<name>, 1–24
// of [a-z0-9._]).
func TiktokHandle(s string) (string, bool) { return strictHandle(s, "tiktok.com", tiktokRE) }

func strictHandle(s, site string, re *regexp.Regexp) (string, bool) {
	if strings.TrimSpace(s) == "" {
		return "", true
	}
	name, ok := extractHandle(s, site)
	if !ok || !re.MatchString(name) {
		return "", false
	}
	return name, true
}

// extractHandle lower-cases s and pulls the username out of it. site, when
// not empty, is the only host accepted for a link.
func extractHandle(s, site string) (string, bool) {
	t := strings.ToLower(strings.TrimFunc(s, isSpace))
	if looksLikeURL(t) {
		return handleFromURL(t, site)
	}
	for strings.HasPrefix(t, "@") {
		t = strings.TrimLeftFunc(t[1:], isSpace)
	}
	return strings.TrimRight(t, "/"), true
}

func looksLikeURL(t string) bool {
	return strings.Contains(t, "://") || strings.HasPrefix(t, "www.") ||
		strings.Contains(t, "instagram.com") || strings.Contains(t, "tiktok.com")
}

// instagramNonProfile are first path segments of Instagram links that are
// not profiles.
var instagramNonProfile = map[string]bool{"p": true, "reel": true, "reels": true, "tv": true,
	"explore": true, "accounts": true, "direct": true}

func handleFromURL(t, site string) (string, bool) {
	if i := strings.Index(t, "://"); i >= 0 {
		t = t[i+3:]
	}
	if i := strings.IndexAny(t, "?#"); i >= 0 {
		t = t[:i]
	}
	host, path, _ := strings.Cut(t, "/")
	host = strings.TrimPrefix(strings.TrimPrefix(host, "www."), "m.")
	var segs []string
	for _, p := range strings.Split(path, "/") {
		if p != "" {
			segs = append(segs, p)
		}
	}
	switch {
	case host == "instagram.com" && (site == "" || site == host):
		if len(segs) == 0 || instagramNonProfile[segs[0]] {
			return "", false
		}
		if (segs[0] == "u" || segs[0] == "stories") && len(segs) > 1 {
			return strings.TrimPrefix(segs[1], "@"), true
		}
		return strings.TrimPrefix(segs[0], "@"), true
	case host == "tiktok.com" && (site == "" || site == host):
		for _, p := range segs {
			if strings.HasPrefix(p, "@") && len(p) > 1 {
				return p[1:], true
			}
		}
	}
	return "", false
}

// stored reports whether s is already what Handle makes of it: only
// handle bytes (so nothing to trim, lower-case or strip) and not a link.
func stored(s string) bool {
	for i := 0; i < len(s); i++ {
		if !handleByte(s[i]) {
			return false
		}
	}
	return !looksLikeURL(s)
}

func handleByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_'
}

package post

import (
	"regexp"
	"slices"
	"strings"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// Refusal texts.
const (
	msgPlatform       = "platform harus instagram atau tiktok"
	msgPostIDRequired = "id konten wajib diisi"
	msgShortcode      = "shortcode Instagram tidak valid"
	msgVideoID        = "video ID TikTok tidak valid"
	msgClientRequired = "client_id wajib diisi"
	msgClientNotFound = "Client tidak ditemukan"
	msgPublished      = "waktu unggah konten wajib diisi"
	msgPostNotFound   = "Konten tidak ditemukan"
	msgRole           = "role harus salah satu direktorat: ditbinmas, ditlantas, bidhumas, ditsamapta, ditintelkam"
	msgObservedAt     = "waktu pengamatan wajib diisi"
	msgCounts         = "jumlah like dan komentar tidak boleh negatif"
)

// DirectorateRoles are the roles a post can be tagged for (spec/social.md
// §2.5: a directorate's tasks).
var DirectorateRoles = []string{"ditbinmas", "ditlantas", "bidhumas", "ditsamapta", "ditintelkam"}

var (
	shortcodeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{5,64}$`)
	videoIDRE   = regexp.MustCompile(`^[0-9]{6,25}$`)
)

func invalid(field, msg string) error { return apperr.Invalidf(field, "%s", msg) }

// target checks and normalises the platform and post id every command
// names.
func target(platform, id string) (string, string, error) {
	platform = strings.ToLower(strings.TrimSpace(platform))
	switch platform {
	case "ig":
		platform = events.PlatformInstagram
	case "tt":
		platform = events.PlatformTiktok
	}
	id = strings.TrimSpace(id)
	switch {
	case platform != events.PlatformInstagram && platform != events.PlatformTiktok:
		return "", "", invalid("platform", msgPlatform)
	case id == "":
		return "", "", invalid("post_id", msgPostIDRequired)
	case platform == events.PlatformInstagram && !shortcodeRE.MatchString(id):
		return "", "", invalid("post_id", msgShortcode)
	case platform == events.PlatformTiktok && !videoIDRE.MatchString(id):
		return "", "", invalid("post_id", msgVideoID)
	}
	return platform, id, nil
}

// role checks a tag's role against the closed set.
func role(r string) (string, error) {
	r = normalize.Role(r)
	if !slices.Contains(DirectorateRoles, r) {
		return "", invalid("role", msgRole)
	}
	return r, nil
}

// usernames normalises, drops empties and dedupes, keeping first order.
func usernames(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, u := range in {
		if n := normalize.Handle(u); n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

package tiktok

import (
	"regexp"
	"strings"

	"github.com/cicero/cicero/internal/apperr"
)

// ErrVideoIDMessage is the message of ParseVideoID's error (the old
// system's text).
const ErrVideoIDMessage = "Format link atau video ID TikTok tidak dikenali. Pastikan link berisi /video/<ID>."

var (
	pureDigitsRE = regexp.MustCompile(`^\d{6,}$`)
	videoIDREs   = []*regexp.Regexp{
		regexp.MustCompile(`/video/(\d{8,21})(?:\D|$)`),
		regexp.MustCompile(`[?&](?:video_id|videoId|item_id|itemId)=(\d{8,21})(?:\D|$)`),
		regexp.MustCompile(`share_video_id=(\d{8,21})(?:\D|$)`),
		regexp.MustCompile(`(?:^|\D)(\d{8,21})(?:\D|$)`),
	}
)

// ParseVideoID takes what an operator pastes to import one video and
// returns the numeric video id: a string of ≥ 6 digits as it is; else the
// id after /video/, in a video_id / videoId / item_id / itemId or
// share_video_id query parameter, or any free-standing run of 8–21 digits.
// Short links (vt.tiktok.com/…) carry no id and are refused. The error is
// apperr Invalid (field "video") with ErrVideoIDMessage.
func ParseVideoID(input string) (string, error) {
	s := strings.TrimSpace(input)
	if pureDigitsRE.MatchString(s) {
		return s, nil
	}
	for _, re := range videoIDREs {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[1], nil
		}
	}
	return "", apperr.Invalidf("video", "%s", ErrVideoIDMessage)
}

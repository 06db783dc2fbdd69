package instagram_test

import (
	"errors"
	"testing"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
)

func TestParseShortcode(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://www.instagram.com/p/C1abcDEF-_9/", "C1abcDEF-_9"},
		{"https://instagram.com/reel/C2xyz123456/?igsh=abc", "C2xyz123456"},
		{"instagram.com/tv/B3tv_video1", "B3tv_video1"},
		{"https://www.instagram.com/reels/C4reels0001/", "C4reels0001"},
		{"https://www.instagram.com/polres_x/p/C5byuser001/", "C5byuser001"},
		{"http://m.instagram.com/p/C6mobile0001", "C6mobile0001"},
		{"  C7bare00001  ", "C7bare00001"},
	}
	for _, tt := range tests {
		got, err := instagram.ParseShortcode(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseShortcode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "   ", "https://www.instagram.com/polres_x/", "https://example.com/p/C1abcDEF/",
		"https://www.instagram.com/p/", "abc", "not a shortcode!", "instagram.com/p/ab"} {
		_, err := instagram.ParseShortcode(bad)
		if !errors.Is(err, apperr.ErrInvalid) || apperr.MessageOf(err) != instagram.ErrShortcodeMessage {
			t.Errorf("ParseShortcode(%q) err = %v", bad, err)
		}
	}
}

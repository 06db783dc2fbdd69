// Package account is the account aggregate of the SOCIAL context: one
// Instagram or TikTok account (an official client account, usually) and its
// profile as last observed. Subject social.<ig|tt>.account.<username>.
package account

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// Profile is an account's profile as last recorded.
type Profile struct {
	FullName, Bio, AvatarURL, ExternalID string
	Followers, Following, Posts          int
	Verified                             bool
}

func profileOf(e *events.ProfileObserved) Profile {
	return Profile{FullName: e.FullName, Bio: e.Bio, AvatarURL: e.AvatarURL, ExternalID: e.ExternalID,
		Followers: e.Followers, Following: e.Following, Posts: e.Posts, Verified: e.Verified}
}

// ObserveProfile records the account's profile as a fetch saw it →
// ProfileObserved when anything differs from the last recorded profile,
// else nothing (a profile polled every half hour records only changes).
// Refusals: Invalid platform, username, observed_at, negative counts.
type ObserveProfile struct {
	Platform   string    `json:"platform"`
	Username   string    `json:"username"`
	FullName   string    `json:"full_name"`
	Bio        string    `json:"bio"`
	Followers  int       `json:"followers"`
	Following  int       `json:"following"`
	Posts      int       `json:"posts"`
	AvatarURL  string    `json:"avatar_url"`
	Verified   bool      `json:"verified"`
	ExternalID string    `json:"external_id"`
	ObservedAt time.Time `json:"observed_at"`
}

func (cmd ObserveProfile) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	platform := strings.ToLower(strings.TrimSpace(cmd.Platform))
	username := normalize.Handle(cmd.Username)
	switch {
	case platform != events.PlatformInstagram && platform != events.PlatformTiktok:
		return nil, apperr.Invalidf("platform", "platform harus instagram atau tiktok")
	case username == "":
		return nil, apperr.Invalidf("username", "username akun wajib diisi")
	case cmd.ObservedAt.IsZero():
		return nil, apperr.Invalidf("observed_at", "waktu pengamatan wajib diisi")
	case cmd.Followers < 0 || cmd.Following < 0 || cmd.Posts < 0:
		return nil, apperr.Invalidf("followers", "jumlah tidak boleh negatif")
	}
	subject := events.AccountSubject(platform, username)
	envs, v, err := l.Load(ctx, subject)
	if err != nil {
		return nil, fmt.Errorf("load account: %w", err)
	}
	var last *Profile
	for i := range envs {
		p, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return nil, fmt.Errorf("load account: %w", err)
		}
		if e, ok := p.(*events.ProfileObserved); ok {
			pr := profileOf(e)
			last = &pr
		}
	}
	ev := events.ProfileObserved{Platform: platform, Username: username, FullName: strings.TrimSpace(cmd.FullName),
		Bio: cmd.Bio, Followers: cmd.Followers, Following: cmd.Following, Posts: cmd.Posts, AvatarURL: cmd.AvatarURL,
		Verified: cmd.Verified, ExternalID: cmd.ExternalID, ObservedAt: cmd.ObservedAt.UTC()}
	if last != nil && *last == profileOf(&ev) {
		return nil, nil
	}
	return []events.Commit{{Subject: subject, AggregateID: username, Expected: v, Events: []events.Payload{ev}}}, nil
}

// Handlers runs the account's commands.
type Handlers struct{ rt *commands.Runtime }

// NewHandlers returns the account handlers over rt.
func NewHandlers(rt *commands.Runtime) *Handlers { return &Handlers{rt: rt} }

// ObserveProfile → ProfileObserved, or nothing when unchanged.
func (h *Handlers) ObserveProfile(ctx context.Context, meta commands.Meta, cmd ObserveProfile) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "account.ObserveProfile", meta, cmd.decide)
}

package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/account"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/tiktok"
)

// ProfileObserve reads one account's profile from the platform's API and
// records it with account.ObserveProfile, for the dashboard's rapid-profile
// and rapid-posts reads when nothing was ever observed of the username:
// the next read is then served from the social_profiles read model, never
// from the API.
type ProfileObserve struct {
	Instagram interface {
		Profile(ctx context.Context, username string) (instagram.Profile, error)
	}
	TikTok interface {
		UserInfo(ctx context.Context, username string) (tiktok.Profile, error)
	}
	Accounts *account.Handlers
	Now      func() time.Time // nil: time.Now
}

// ObserveProfile reads and records username's profile on platform
// (instagram or tiktok) on behalf of actor (the reader), returning the positions appended (none when the
// profile was recorded already). An account the API does not know is
// NotFound; an API that cannot be reached now is Unavailable.
func (o ProfileObserve) ObserveProfile(ctx context.Context, actor, platform, username string) ([]events.Position, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	cmd := account.ObserveProfile{Platform: platform, Username: username, ObservedAt: now()}
	switch platform {
	case events.PlatformInstagram:
		p, err := o.Instagram.Profile(ctx, username)
		if err != nil {
			return nil, profileError(err, "Instagram")
		}
		cmd.FullName, cmd.Bio, cmd.Followers, cmd.Following, cmd.Posts = p.FullName, p.Biography, int(p.Followers), int(p.Following), int(p.MediaCount)
		cmd.AvatarURL, cmd.Verified, cmd.ExternalID = p.ProfilePicURL, p.IsVerified, p.ID
	case events.PlatformTiktok:
		p, err := o.TikTok.UserInfo(ctx, username)
		if err != nil {
			return nil, profileError(err, "TikTok")
		}
		cmd.FullName, cmd.Followers, cmd.Following, cmd.Posts = p.Nickname, int(p.Followers), int(p.Following), int(p.Videos)
		cmd.AvatarURL, cmd.Verified, cmd.ExternalID = p.AvatarThumb, p.Verified, p.SecUID
	default:
		return nil, apperr.Invalidf("platform", "%s", msgImportPlatform)
	}
	out, err := o.Accounts.ObserveProfile(ctx, commands.Meta{Actor: actor}, cmd)
	if err != nil {
		return nil, fmt.Errorf("observe %s profile of %s: %w", platform, username, err)
	}
	return out.Positions(), nil
}

// profileError maps what the API answered: an account it does not know
// (4xx, no profile in the answer) is NotFound; an API that cannot be
// reached now is Unavailable.
func profileError(err error, platform string) error {
	if errors.Is(err, rapidapi.ErrRetryable) || errors.Is(err, rapidapi.ErrKeyMissing) || errors.Is(err, context.DeadlineExceeded) {
		return &apperr.Error{Code: apperr.Unavailable, Message: fmt.Sprintf("Layanan %s tidak dapat dihubungi. Coba beberapa saat lagi.", platform)}
	}
	return &apperr.Error{Code: apperr.NotFound, Field: "username", Message: fmt.Sprintf("Akun %s tidak ditemukan", platform)}
}

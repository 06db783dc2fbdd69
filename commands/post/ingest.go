package post

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// IngestPost records that a client's official account published the post
// (a fetch saw it in the feed, or an editor imported it). A post new to the
// client → PostIngested (also when the client had it withdrawn and it is
// back); a post the client already has → PostStatsObserved when the counts
// changed, else nothing. A post shared by two clients' accounts belongs to
// both: ownership never flips. The client must be registered.
// Refusals: Invalid (platform, post_id, client_id, published_at, counts),
// NotFound "Client tidak ditemukan".
type IngestPost struct {
	Platform    string           `json:"platform"`
	PostID      string           `json:"post_id"`
	ClientID    string           `json:"client_id"`
	Account     string           `json:"account"`
	Caption     string           `json:"caption"`
	Media       events.PostMedia `json:"media"`
	PublishedAt time.Time        `json:"published_at"`
	Likes       int              `json:"likes"`
	Comments    int              `json:"comments"`
	// Source is "fetch" (default) or "import".
	Source string `json:"source"`
	// ObservedAt is when the counts were seen (default: the command's time).
	ObservedAt time.Time `json:"observed_at"`
}

func (cmd IngestPost) decide(ctx context.Context, l *commands.Loader, now time.Time) ([]events.Commit, error) {
	platform, id, err := target(cmd.Platform, cmd.PostID)
	if err != nil {
		return nil, err
	}
	clientID := normalize.ClientID(cmd.ClientID)
	switch {
	case clientID == "":
		return nil, invalid("client_id", msgClientRequired)
	case cmd.PublishedAt.IsZero():
		return nil, invalid("published_at", msgPublished)
	case cmd.Likes < 0 || cmd.Comments < 0:
		return nil, invalid("likes", msgCounts)
	}
	p, v, err := Load(ctx, l, platform, id)
	if err != nil {
		return nil, err
	}
	if active, known := p.Clients[clientID]; known && active {
		if p.Likes == cmd.Likes && p.Comments == cmd.Comments {
			return nil, nil
		}
		at := cmd.ObservedAt
		if at.IsZero() {
			at = now
		}
		return p.commit(v, events.PostStatsObserved{Platform: platform, PostID: id, Likes: cmd.Likes,
			Comments: cmd.Comments, ObservedAt: at.UTC()}), nil
	}
	c, _, err := client.Load(ctx, l, clientID)
	if err != nil {
		return nil, err
	}
	if !c.Registered {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "client_id", Message: msgClientNotFound}
	}
	source := cmd.Source
	if source == "" {
		source = "fetch"
	}
	return p.commit(v, events.PostIngested{Platform: platform, PostID: id, ClientID: clientID,
		Account: normalize.Handle(cmd.Account), Caption: strings.TrimSpace(cmd.Caption), Media: cmd.Media,
		PublishedAt: cmd.PublishedAt.UTC(), Likes: cmd.Likes, Comments: cmd.Comments, Source: source}), nil
}

package post

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
)

// WithdrawPost records that the post is gone from the client's feed of its
// day. The caller (the fetch job) issues it only after that client's own
// fetch succeeded with at least one post of the day (SPEC §5.5). A post the
// client does not have, or already had withdrawn, changes nothing; the
// other clients sharing it keep it.
// Refusals: Invalid (platform, post_id, client_id).
type WithdrawPost struct {
	Platform string `json:"platform"`
	PostID   string `json:"post_id"`
	ClientID string `json:"client_id"`
	RunID    string `json:"run_id"`
}

func (cmd WithdrawPost) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	platform, id, err := target(cmd.Platform, cmd.PostID)
	if err != nil {
		return nil, err
	}
	clientID := normalize.ClientID(cmd.ClientID)
	if clientID == "" {
		return nil, invalid("client_id", msgClientRequired)
	}
	p, v, err := Load(ctx, l, platform, id)
	if err != nil {
		return nil, err
	}
	if !p.Clients[clientID] {
		return nil, nil
	}
	return p.commit(v, events.PostWithdrawn{Platform: platform, PostID: id, ClientID: clientID, RunID: cmd.RunID}), nil
}

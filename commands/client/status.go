package client

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// SetClientStatus activates or deactivates a client (client_status). Asking
// for the state the client is already in appends nothing.
// Refusals: NotFound "client tidak ditemukan".
type SetClientStatus struct {
	ClientID string `json:"client_id"`
	Active   bool   `json:"client_status"`
}

func (cmd SetClientStatus) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	id, err := clientID(cmd.ClientID)
	if err != nil {
		return nil, err
	}
	c, v, err := Load(ctx, l, id)
	if err != nil {
		return nil, err
	}
	if err := c.mustExist(); err != nil {
		return nil, err
	}
	switch {
	case cmd.Active == c.Active:
		return nil, nil
	case cmd.Active:
		return c.commit(v, events.ClientActivated{ClientID: id}), nil
	default:
		return c.commit(v, events.ClientDeactivated{ClientID: id}), nil
	}
}

package person

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// SetException marks the person as exempt from engagement duties (always
// counted as done in recaps) or not. No change appends nothing.
// Refusals: NotFound.
type SetException struct {
	NRP       string `json:"user_id"`
	Exception bool   `json:"exception"`
}

func (cmd SetException) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	p, v, err := loadExisting(ctx, l, cmd.NRP)
	if err != nil {
		return nil, err
	}
	if p.Exception == cmd.Exception {
		return nil, nil
	}
	return p.commit(v, events.PersonExceptionChanged{NRP: p.NRP, Exception: cmd.Exception}), nil
}

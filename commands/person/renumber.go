package person

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// RenumberPerson moves a person from one NRP to another (legacy
// /api/user_roles/update, a typo fix or NIP→NRP). PersonRenumbered, carrying
// the whole state, is appended to both subjects in one atomic batch, each
// checked against the version the decision saw: the old aggregate then
// refuses further commands, the new one continues from the snapshot. The new
// NRP must be free (never registered, or itself renumbered away — so a
// renumbering can be undone).
// Refusals: Invalid (nrp rules, "nrp baru sama dengan nrp lama"), NotFound
// (old NRP), Conflict "nrp sudah terdaftar" (new NRP).
// Meta.ExpectedVersion, when set, is checked against the old NRP's subject.
type RenumberPerson struct {
	OldNRP string `json:"old_user_id"`
	NewNRP string `json:"new_user_id"`
}

func (cmd RenumberPerson) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	oldNRP, err := parseNRP("old_user_id", cmd.OldNRP)
	if err != nil {
		return nil, err
	}
	newNRP, err := parseNRP("new_user_id", cmd.NewNRP)
	if err != nil {
		return nil, err
	}
	if oldNRP == newNRP {
		return nil, invalid("new_user_id", msgNRPSame)
	}
	// The old subject is loaded first: it is the command's own aggregate.
	p, oldV, err := Load(ctx, l, oldNRP)
	if err != nil {
		return nil, err
	}
	if err := p.mustExist(); err != nil {
		return nil, err
	}
	target, newV, err := Load(ctx, l, newNRP)
	if err != nil {
		return nil, err
	}
	if target.present() {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "new_user_id", Message: msgNRPTaken}
	}
	ev := events.PersonRenumbered{OldNRP: p.NRP, NewNRP: newNRP, Person: p.Snapshot(newNRP)}
	return []events.Commit{
		p.commit(oldV, ev)[0],
		target.commit(newV, ev)[0],
	}, nil
}

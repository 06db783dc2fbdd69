package person

import (
	"context"
	"fmt"
	"slices"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// Deactivate is the legacy role-aware deactivation (DELETE /api/users/:id).
// Without a role: the person becomes inactive (nothing when already so).
// With a role: the person must hold it (else NotFound
// "Role <role> tidak ditemukan untuk user"); it is revoked, and when no
// role remains the person also becomes inactive — both events in one
// message, so they land together.
type Deactivate struct {
	NRP  string `json:"user_id"`
	Role string `json:"role,omitempty"`
}

func (cmd Deactivate) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	var role string
	if cmd.Role != "" {
		var err error
		if role, err = parseRole("role", cmd.Role); err != nil {
			return nil, err
		}
	}
	p, v, err := loadExisting(ctx, l, cmd.NRP)
	if err != nil {
		return nil, err
	}
	var evs []events.Payload
	if role != "" {
		if !p.HasRole(role) {
			return nil, &apperr.Error{Code: apperr.NotFound, Field: "role", Message: fmt.Sprintf(msgRoleNotHeld, role)}
		}
		evs = append(evs, events.PersonRoleRevoked{NRP: p.NRP, Role: role})
		if len(p.Roles) > 1 {
			return p.commit(v, evs...), nil
		}
	}
	if p.Active {
		evs = append(evs, events.PersonDeactivated{NRP: p.NRP})
	}
	if len(evs) == 0 {
		return nil, nil
	}
	return p.commit(v, evs...), nil
}

// Reactivate makes an inactive person active again (nothing when already
// active). ResetRoles, when not nil, replaces the roles of a person being
// reactivated with exactly these (legacy create-on-existing-inactive: the
// requester's role only); it is ignored for a person already active, whose
// roles the caller changes with GrantRole. All events share one message.
// Refusals: NotFound, Invalid "role tidak valid" / "role <r> tidak dikenal;
// role yang tersedia: …" (reset roles are known roles only).
type Reactivate struct {
	NRP        string   `json:"user_id"`
	ResetRoles []string `json:"reset_roles,omitempty"`
}

func (cmd Reactivate) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	var want []string
	if cmd.ResetRoles != nil {
		var err error
		if want, err = parseRoles(cmd.ResetRoles); err != nil {
			return nil, err
		}
	}
	p, v, err := loadExisting(ctx, l, cmd.NRP)
	if err != nil {
		return nil, err
	}
	if p.Active {
		return nil, nil
	}
	evs := []events.Payload{events.PersonReactivated{NRP: p.NRP}}
	if cmd.ResetRoles != nil {
		for _, r := range p.Roles {
			if !slices.Contains(want, r) {
				evs = append(evs, events.PersonRoleRevoked{NRP: p.NRP, Role: r})
			}
		}
		for _, r := range want {
			if !p.HasRole(r) {
				evs = append(evs, events.PersonRoleGranted{NRP: p.NRP, Role: r})
			}
		}
	}
	return p.commit(v, evs...), nil
}

package person

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// GrantRole gives the person a role (lower-cased; one of KnownRoles).
// Granting a role already held appends nothing. Inactive personnel may be
// granted roles, as in the legacy system.
// Refusals: NotFound, Invalid "role wajib diisi" / "role tidak valid" /
// "role <r> tidak dikenal; role yang tersedia: …".
type GrantRole struct {
	NRP  string `json:"user_id"`
	Role string `json:"role"`
}

func (cmd GrantRole) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	role, err := parseKnownRole("role", cmd.Role)
	if err != nil {
		return nil, err
	}
	p, v, err := loadExisting(ctx, l, cmd.NRP)
	if err != nil {
		return nil, err
	}
	if p.HasRole(role) {
		return nil, nil
	}
	return p.commit(v, events.PersonRoleGranted{NRP: p.NRP, Role: role}), nil
}

// RevokeRole takes a role away; any well-formed name, so that ad-hoc roles
// imported from the legacy open set can still be removed. Revoking a role the person does not hold
// appends nothing (the command is idempotent on state); the legacy
// "Role <role> tidak ditemukan untuk user" refusal belongs to Deactivate
// with a role, which is what the legacy DELETE did.
// Refusals: NotFound, Invalid "role wajib diisi" / "role tidak valid".
type RevokeRole struct {
	NRP  string `json:"user_id"`
	Role string `json:"role"`
}

func (cmd RevokeRole) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	role, err := parseRole("role", cmd.Role)
	if err != nil {
		return nil, err
	}
	p, v, err := loadExisting(ctx, l, cmd.NRP)
	if err != nil {
		return nil, err
	}
	if !p.HasRole(role) {
		return nil, nil
	}
	return p.commit(v, events.PersonRoleRevoked{NRP: p.NRP, Role: role}), nil
}

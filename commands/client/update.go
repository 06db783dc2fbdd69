package client

import (
	"context"
	"fmt"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// UpdateClient changes some fields of a registered client; nil fields are
// left alone. Values are normalised as in RegisterClient, and the event
// carries only the fields whose stored value really changes: an update that
// changes nothing appends nothing. An empty parent_client_id clears the
// parent; a new parent must exist and must not make the hierarchy loop.
// The fields that place the client or name its operator (client_operator,
// client_level, parent_client_id, regional_id, client_type, client_super)
// change only when ActorRole is admin: anyone else gets Forbidden
// "<field> hanya dapat diubah oleh admin" for a real change, so a row sent
// back unchanged still passes.
// Refusals: NotFound "client tidak ditemukan", Invalid (field named),
// Forbidden (field named).
type UpdateClient struct {
	ClientID       string  `json:"client_id"`
	Nama           *string `json:"nama,omitempty"`
	ClientType     *string `json:"client_type,omitempty"`
	ClientInsta    *string `json:"client_insta,omitempty"`
	ClientTiktok   *string `json:"client_tiktok,omitempty"`
	InstaStatus    *bool   `json:"client_insta_status,omitempty"`
	TiktokStatus   *bool   `json:"client_tiktok_status,omitempty"`
	AmplifyStatus  *bool   `json:"client_amplify_status,omitempty"`
	ClientOperator *string `json:"client_operator,omitempty"`
	ClientGroup    *string `json:"client_group,omitempty"`
	RegionalID     *string `json:"regional_id,omitempty"`
	ParentClientID *string `json:"parent_client_id,omitempty"`
	ClientLevel    *string `json:"client_level,omitempty"`
	TiktokSecUID   *string `json:"tiktok_secuid,omitempty"`
	ClientSuper    *string `json:"client_super,omitempty"`
	// ActorRole is the caller's role, established by the caller (RoleAdmin
	// for the CLI and dashboard admins).
	ActorRole string `json:"-"`
}

// RoleAdmin is the ActorRole that may change every field.
const RoleAdmin = "admin"

const msgAdminOnly = "%s hanya dapat diubah oleh admin"

func (cmd UpdateClient) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
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
	ch, err := cmd.changes(c)
	if err != nil {
		return nil, err
	}
	if ch == (events.ClientFields{}) {
		return nil, nil
	}
	if ch.ParentClientID != nil {
		if err := checkParent(ctx, l, id, *ch.ParentClientID); err != nil {
			return nil, err
		}
	}
	return c.commit(v, events.ClientUpdated{ClientID: id, Changes: ch}), nil
}

// changes normalises every given field and keeps those that differ from c.
func (cmd UpdateClient) changes(c Client) (events.ClientFields, error) {
	var ch events.ClientFields
	admin := normalize.Role(cmd.ActorRole) == RoleAdmin
	steps := []struct {
		name      string
		in        *string
		norm      func(string) (string, error)
		cur       string
		field     **string
		adminOnly bool
	}{
		{"nama", cmd.Nama, nama, c.Nama, &ch.Nama, false},
		{"client_type", cmd.ClientType, clientType, c.ClientType, &ch.ClientType, true},
		{"client_insta", cmd.ClientInsta, insta, c.ClientInsta, &ch.ClientInsta, false},
		{"client_tiktok", cmd.ClientTiktok, tiktok, c.ClientTiktok, &ch.ClientTiktok, false},
		{"client_operator", cmd.ClientOperator, operator, c.ClientOperator, &ch.ClientOperator, true},
		{"client_group", cmd.ClientGroup, trimmed, c.ClientGroup, &ch.ClientGroup, false},
		{"regional_id", cmd.RegionalID, upper, c.RegionalID, &ch.RegionalID, true},
		{"parent_client_id", cmd.ParentClientID, upper, c.ParentClientID, &ch.ParentClientID, true},
		{"client_level", cmd.ClientLevel, trimmed, c.ClientLevel, &ch.ClientLevel, true},
		{"tiktok_secuid", cmd.TiktokSecUID, trimmed, c.TiktokSecUID, &ch.TiktokSecUID, false},
		{"client_super", cmd.ClientSuper, trimmed, c.ClientSuper, &ch.ClientSuper, true},
	}
	for _, s := range steps {
		if s.in == nil {
			continue
		}
		val, err := s.norm(*s.in)
		if err != nil {
			return events.ClientFields{}, err
		}
		if val == s.cur {
			continue
		}
		if s.adminOnly && !admin {
			return events.ClientFields{}, &apperr.Error{Code: apperr.Forbidden, Field: s.name,
				Message: fmt.Sprintf(msgAdminOnly, s.name)}
		}
		*s.field = &val
	}
	ch.InstaStatus = changedBool(cmd.InstaStatus, c.InstaStatus)
	ch.TiktokStatus = changedBool(cmd.TiktokStatus, c.TiktokStatus)
	ch.AmplifyStatus = changedBool(cmd.AmplifyStatus, c.AmplifyStatus)
	return ch, nil
}

func changedBool(in *bool, cur bool) *bool {
	if in == nil || *in == cur {
		return nil
	}
	v := *in
	return &v
}

func trimmed(s string) (string, error) { return strings.TrimSpace(s), nil }
func upper(s string) (string, error)   { return normalize.ClientID(s), nil }

package access

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// PenmasUsersName is the penmas_users projection's name.
const PenmasUsersName = "penmas_users"

// PenmasUsers is the read model of Penmas accounts (table penmas_users,
// the legacy penmas_user) built from the ACCESS stream: the Penmas login
// reads the hash and role from it, the editorial routes join usernames
// from it. Rows carry version = the stream sequence of the account's last
// event, created_at/updated_at from the registration's business time and
// last_login_at from the login record (logins leave updated_at alone, as
// the legacy code never touched it).
//
// Apply is set-based: registrations fold in memory and go out as one
// multi-row upsert, logins of accounts registered earlier as one
// multi-row update.
type PenmasUsers struct {
	reg *events.Registry
}

var _ projections.Projection = (*PenmasUsers)(nil)

// NewPenmasUsers builds the projection; reg decodes event bodies.
func NewPenmasUsers(reg *events.Registry) *PenmasUsers { return &PenmasUsers{reg: reg} }

// Name implements Projection.
func (*PenmasUsers) Name() string { return PenmasUsersName }

// Streams implements Projection.
func (*PenmasUsers) Streams() []string { return []string{"ACCESS"} }

// projections.Tables implements Projection.
func (*PenmasUsers) Tables() []string { return []string{"penmas_users"} }

// EventTypes implements projections.Projection.
func (*PenmasUsers) EventTypes() []string {
	return events.Types(
		events.PenmasUserRegistered{},
		events.PenmasUserLoggedIn{},
		events.PenmasUserRoleChanged{},
		events.PenmasUserWhatsAppChanged{},
	)
}

type penmasUserRow struct {
	ID, Username, PasswordHash, Role, WhatsApp string
	LastLoginAt                                *time.Time
	Version                                    int64
	CreatedAt                                  time.Time
}

type penmasLogin struct {
	at      time.Time
	version int64
}

// penmasProfile is an admin's change of an account registered in an
// earlier batch (nil: unchanged).
type penmasProfile struct {
	role, whatsapp *string
	at             time.Time
	version        int64
}

// Apply implements Projection.
func (p *PenmasUsers) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	table := t["penmas_users"]
	created := map[string]*penmasUserRow{}
	logins := map[string]penmasLogin{}
	profiles := map[string]*penmasProfile{}
	profile := func(id string) *penmasProfile {
		if profiles[id] == nil {
			profiles[id] = &penmasProfile{}
		}
		return profiles[id]
	}
	for i := range batch {
		env := &batch[i]
		if !strings.HasPrefix(env.Subject, events.PenmasUserSubjectPrefix+".") {
			continue // dashboard accounts and reservations: not ours, not decoded
		}
		ev, err := p.reg.Decode(env)
		if err != nil {
			return fmt.Errorf("penmas_users: %w", err)
		}
		at := env.Meta.OccurredAt
		if at.IsZero() {
			at = env.RecordedAt
		}
		seq := int64(env.Position)
		switch e := ev.(type) {
		case *events.PenmasUserRegistered:
			created[e.UserID] = &penmasUserRow{ID: e.UserID, Username: e.Username, PasswordHash: e.PasswordHash,
				Role: e.Role, Version: seq, CreatedAt: at}
		case *events.PenmasUserLoggedIn:
			login := e.At
			if login.IsZero() {
				login = at
			}
			if r := created[e.UserID]; r != nil {
				r.LastLoginAt, r.Version = &login, seq
				continue
			}
			logins[e.UserID] = penmasLogin{at: login, version: seq}
		case *events.PenmasUserRoleChanged:
			if r := created[e.UserID]; r != nil {
				r.Role, r.Version = e.Role, seq
				continue
			}
			p := profile(e.UserID)
			p.role, p.at, p.version = &e.Role, at, seq
		case *events.PenmasUserWhatsAppChanged:
			if r := created[e.UserID]; r != nil {
				r.WhatsApp, r.Version = e.WhatsApp, seq
				continue
			}
			p := profile(e.UserID)
			p.whatsapp, p.at, p.version = &e.WhatsApp, at, seq
		}
	}
	if err := writePenmasUsers(ctx, tx, table, created); err != nil {
		return err
	}
	if err := writePenmasLogins(ctx, tx, table, logins); err != nil {
		return err
	}
	return writePenmasProfiles(ctx, tx, table, profiles)
}

func writePenmasUsers(ctx context.Context, tx pgx.Tx, table string, rows map[string]*penmasUserRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]string, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	slices.Sort(ids) // a stable lock order
	n := len(ids)
	var (
		name, hash, role = make([]string, n), make([]string, n), make([]string, n)
		wa               = make([]string, n)
		login            = make([]*time.Time, n)
		version          = make([]int64, n)
		at               = make([]time.Time, n)
	)
	for i, id := range ids {
		r := rows[id]
		name[i], hash[i], role[i], login[i], version[i], at[i] = r.Username, r.PasswordHash, r.Role, r.LastLoginAt, r.Version, r.CreatedAt
		wa[i] = r.WhatsApp
	}
	// A registration defines the row; redelivering it gives the same row.
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (user_id, username, password_hash, role, last_login_at,
			version, created_at, updated_at, whatsapp)
		SELECT u.id, u.name, u.hash, u.role, u.login, u.version, u.at, u.at, u.wa
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[], $7::timestamptz[], $8::text[])
			AS u(id, name, hash, role, login, version, at, wa)
		ON CONFLICT (user_id) DO UPDATE SET
			username = EXCLUDED.username, password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
			last_login_at = EXCLUDED.last_login_at, version = EXCLUDED.version,
			created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, whatsapp = EXCLUDED.whatsapp`,
		ids, name, hash, role, login, version, at, wa)
	if err != nil {
		return fmt.Errorf("upsert %s: %w", table, err)
	}
	return nil
}

func writePenmasLogins(ctx context.Context, tx pgx.Tx, table string, logins map[string]penmasLogin) error {
	if len(logins) == 0 {
		return nil
	}
	ids := make([]string, 0, len(logins))
	for id := range logins {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	at, version := make([]time.Time, len(ids)), make([]int64, len(ids))
	for i, id := range ids {
		at[i], version[i] = logins[id].at, logins[id].version
	}
	// A login of an account this model never saw registered changes
	// nothing: the command side refuses those.
	_, err := tx.Exec(ctx, `UPDATE `+projections.Ident(table)+` p SET last_login_at = u.at, version = u.version
		FROM unnest($1::text[], $2::timestamptz[], $3::bigint[]) AS u(id, at, version)
		WHERE p.user_id = u.id`, ids, at, version)
	if err != nil {
		return fmt.Errorf("update %s logins: %w", table, err)
	}
	return nil
}

func writePenmasProfiles(ctx context.Context, tx pgx.Tx, table string, profiles map[string]*penmasProfile) error {
	if len(profiles) == 0 {
		return nil
	}
	ids := make([]string, 0, len(profiles))
	for id := range profiles {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	n := len(ids)
	role, wa := make([]*string, n), make([]*string, n)
	at, version := make([]time.Time, n), make([]int64, n)
	for i, id := range ids {
		p := profiles[id]
		role[i], wa[i], at[i], version[i] = p.role, p.whatsapp, p.at, p.version
	}
	// An admin's change is the account's change: updated_at moves (a
	// login does not).
	_, err := tx.Exec(ctx, `UPDATE `+projections.Ident(table)+` p SET role = COALESCE(u.role, p.role),
			whatsapp = COALESCE(u.wa, p.whatsapp), updated_at = u.at, version = u.version
		FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bigint[]) AS u(id, role, wa, at, version)
		WHERE p.user_id = u.id`, ids, role, wa, at, version)
	if err != nil {
		return fmt.Errorf("update %s profiles: %w", table, err)
	}
	return nil
}

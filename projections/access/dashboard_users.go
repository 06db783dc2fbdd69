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

// DashboardUsersName is the dashboard_users projection's name.
const DashboardUsersName = "dashboard_users"

// DashboardUsers is the read model of dashboard accounts (table
// dashboard_users) built from the ACCESS stream: login reads the hash and
// status from it, the directory and approval pages list it. Rows carry
// version = the stream sequence of the account's last event (every event,
// logins included, so a write may name it as the expected version),
// created_at/updated_at from the events' business time (logins and reset
// requests leave updated_at alone) and last_login_at from the login record.
//
// The table holds only what ACCESS events say; an account's premium
// snapshot is read from the PREMIUM context's premium_subscriptions at query
// time (DashboardUserQueries), so no other projection writes this table.
//
// Apply is set-based: one query loads the rows a batch touches (skipping
// accounts the batch registers), the events fold in memory, and one
// multi-row upsert writes them back.
type DashboardUsers struct {
	reg *events.Registry
}

var _ projections.Projection = (*DashboardUsers)(nil)

// NewDashboardUsers builds the projection; reg decodes event bodies.
func NewDashboardUsers(reg *events.Registry) *DashboardUsers { return &DashboardUsers{reg: reg} }

// Name implements Projection.
func (*DashboardUsers) Name() string { return DashboardUsersName }

// Streams implements Projection.
func (*DashboardUsers) Streams() []string { return []string{"ACCESS"} }

// projections.Tables implements Projection.
func (*DashboardUsers) Tables() []string { return []string{"dashboard_users"} }

// EventTypes implements projections.Projection.
func (*DashboardUsers) EventTypes() []string {
	return events.Types(
		events.DashboardUserRegistered{},
		events.DashboardUserApproved{},
		events.DashboardUserRejected{},
		events.DashboardUserClientsAssigned{},
		events.DashboardPasswordResetRequested{},
		events.DashboardPasswordChanged{},
		events.DashboardUserLoggedIn{},
		events.DashboardUserDetailsChanged{},
	)
}

// dashUserRow is one row of dashboard_users while a batch folds.
type dashUserRow struct {
	ID, Username, PasswordHash, Role, Status, WhatsApp, Email string
	ClientIDs                                                 []string
	LastLoginAt                                               *time.Time
	Version                                                   int64
	CreatedAt, UpdatedAt                                      time.Time
}

// Apply implements Projection.
func (d *DashboardUsers) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	table := t["dashboard_users"]
	evs := make([]decoded, 0, len(batch))
	set := projections.NewRowSet[dashUserRow](0)
	for i := range batch {
		p, err := d.reg.Decode(&batch[i])
		if err != nil {
			return fmt.Errorf("dashboard_users: %w", err)
		}
		id, defines := dashUserKey(p)
		if id == "" {
			continue // a username reservation, or a type this model does not show
		}
		set.Touch(id, defines)
		evs = append(evs, decoded{env: &batch[i], p: p})
	}
	if len(evs) == 0 {
		return nil
	}
	if err := loadDashUsers(ctx, tx, table, set); err != nil {
		return err
	}
	for _, e := range evs {
		at := e.env.Meta.OccurredAt
		if at.IsZero() {
			at = e.env.RecordedAt
		}
		foldDashUser(e.p, int64(e.env.Position), at, set)
	}
	return writeDashUsers(ctx, tx, table, set)
}

// dashUserKey names the account an event changes, and whether the event
// defines its row from scratch.
func dashUserKey(p events.Payload) (string, bool) {
	switch e := p.(type) {
	case *events.DashboardUserRegistered:
		return e.DashboardUserID, true
	case *events.DashboardUserApproved:
		return e.DashboardUserID, false
	case *events.DashboardUserRejected:
		return e.DashboardUserID, false
	case *events.DashboardUserClientsAssigned:
		return e.DashboardUserID, false
	case *events.DashboardPasswordResetRequested:
		return e.DashboardUserID, false
	case *events.DashboardPasswordChanged:
		return e.DashboardUserID, false
	case *events.DashboardUserLoggedIn:
		return e.DashboardUserID, false
	case *events.DashboardUserDetailsChanged:
		return e.DashboardUserID, false
	}
	return "", false
}

func foldDashUser(p events.Payload, seq int64, at time.Time, set *projections.RowSet[dashUserRow]) {
	id, _ := dashUserKey(p)
	if e, ok := p.(*events.DashboardUserRegistered); ok {
		status := e.Status
		if status == "" {
			status = events.DashboardStatusPending
		}
		set.Rows[id] = &dashUserRow{ID: id, Username: e.Username, PasswordHash: e.PasswordHash, Role: e.Role,
			Status: status, WhatsApp: e.WhatsApp, Email: e.Email, ClientIDs: normClientIDs(e.ClientIDs),
			Version: seq, CreatedAt: at, UpdatedAt: at}
		return
	}
	r := set.Rows[id]
	if r == nil {
		return // not registered: the command side refuses these
	}
	r.Version = seq
	switch e := p.(type) {
	case *events.DashboardUserApproved:
		r.Status = events.DashboardStatusApproved
	case *events.DashboardUserRejected:
		r.Status = events.DashboardStatusRejected
	case *events.DashboardUserClientsAssigned:
		r.ClientIDs = normClientIDs(e.ClientIDs)
	case *events.DashboardPasswordChanged:
		r.PasswordHash = e.PasswordHash
	case *events.DashboardUserDetailsChanged:
		r.Role, r.WhatsApp, r.Email = e.Role, e.WhatsApp, e.Email
	case *events.DashboardUserLoggedIn:
		login := e.At
		if login.IsZero() {
			login = at
		}
		r.LastLoginAt = &login
		return
	case *events.DashboardPasswordResetRequested:
		return
	}
	r.UpdatedAt = at
}

// normClientIDs keeps client ids upper-case, once each, sorted.
func normClientIDs(in []string) []string {
	out := make([]string, 0, len(in))
	for _, id := range in {
		if id = strings.ToUpper(strings.TrimSpace(id)); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

const dashUserCols = `dashboard_user_id::text, username, password_hash, role, status, whatsapp, email,
	client_ids, last_login_at, version, created_at, updated_at`

func loadDashUsers(ctx context.Context, tx pgx.Tx, table string, set *projections.RowSet[dashUserRow]) error {
	keys := set.ToLoad()
	if len(keys) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT `+dashUserCols+` FROM `+projections.Ident(table)+`
		WHERE dashboard_user_id = ANY($1::text[]::uuid[])`, keys)
	if err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		r := &dashUserRow{}
		if err := rows.Scan(&r.ID, &r.Username, &r.PasswordHash, &r.Role, &r.Status, &r.WhatsApp, &r.Email,
			&r.ClientIDs, &r.LastLoginAt, &r.Version, &r.CreatedAt, &r.UpdatedAt); err != nil {
			return fmt.Errorf("load %s: %w", table, err)
		}
		set.Rows[r.ID] = r
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	return nil
}

func writeDashUsers(ctx context.Context, tx pgx.Tx, table string, set *projections.RowSet[dashUserRow]) error {
	var up []*dashUserRow
	for _, k := range set.Order {
		if r := set.Rows[k]; r != nil {
			up = append(up, r)
		}
	}
	if len(up) == 0 {
		return nil
	}
	slices.SortFunc(up, func(a, b *dashUserRow) int { return strings.Compare(a.ID, b.ID) })
	n := len(up)
	var (
		id, name, lower, hash, role, status = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		wa, email, clients                  = make([]string, n), make([]string, n), make([]string, n)
		login                               = make([]*time.Time, n)
		version                             = make([]int64, n)
		created, updated                    = make([]time.Time, n), make([]time.Time, n)
	)
	for i, r := range up {
		id[i], name[i], lower[i], hash[i], role[i] = r.ID, r.Username, events.UsernameKey(r.Username), r.PasswordHash, r.Role
		status[i], wa[i], email[i], clients[i] = r.Status, r.WhatsApp, r.Email, projections.TextArray(r.ClientIDs)
		login[i], version[i], created[i], updated[i] = r.LastLoginAt, r.Version, r.CreatedAt, r.UpdatedAt
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (dashboard_user_id, username, username_lower,
			password_hash, role, status, whatsapp, email, client_ids, last_login_at, version, created_at, updated_at)
		SELECT u.id::uuid, u.name, u.lower, u.hash, u.role, u.status, u.wa, u.email, u.clients::text[],
			u.login, u.version, u.created, u.updated
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::timestamptz[], $11::bigint[], $12::timestamptz[], $13::timestamptz[])
			AS u(id, name, lower, hash, role, status, wa, email, clients, login, version, created, updated)
		ON CONFLICT (dashboard_user_id) DO UPDATE SET
			username = EXCLUDED.username, username_lower = EXCLUDED.username_lower,
			password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, status = EXCLUDED.status,
			whatsapp = EXCLUDED.whatsapp, email = EXCLUDED.email, client_ids = EXCLUDED.client_ids,
			last_login_at = EXCLUDED.last_login_at, version = EXCLUDED.version,
			created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`,
		id, name, lower, hash, role, status, wa, email, clients, login, version, created, updated)
	if err != nil {
		return fmt.Errorf("upsert %s: %w", table, err)
	}
	return nil
}

// decoded is one event of a batch with its payload.
type decoded struct {
	env *events.Envelope
	p   events.Payload
}

package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// ErrNotFound: the row asked for is not in the read model.
var ErrNotFound = projections.ErrNotFound

// Querier runs read queries: a pool, a connection or a transaction.
type Querier = projections.Querier

// Client is one row of the clients read model, with the legacy JSON names.
type Client struct {
	ClientID            string    `json:"client_id"`
	Nama                string    `json:"nama"`
	ClientType          string    `json:"client_type"`
	ClientStatus        bool      `json:"client_status"`
	ClientInsta         string    `json:"client_insta"`
	ClientInstaStatus   bool      `json:"client_insta_status"`
	ClientTiktok        string    `json:"client_tiktok"`
	ClientTiktokStatus  bool      `json:"client_tiktok_status"`
	ClientAmplifyStatus bool      `json:"client_amplify_status"`
	ClientOperator      string    `json:"client_operator"`
	ClientGroup         string    `json:"client_group"`
	RegionalID          *string   `json:"regional_id"`
	ParentClientID      *string   `json:"parent_client_id"`
	ClientLevel         *string   `json:"client_level"`
	TiktokSecUID        string    `json:"tiktok_secuid"`
	ClientSuper         string    `json:"client_super"`
	Version             uint64    `json:"version"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// RoleFlags are the legacy boolean role columns computed from roles.
type RoleFlags struct {
	Ditbinmas   bool `json:"ditbinmas"`
	Ditlantas   bool `json:"ditlantas"`
	Bidhumas    bool `json:"bidhumas"`
	Ditsamapta  bool `json:"ditsamapta"`
	Ditintelkam bool `json:"ditintelkam"`
	Operator    bool `json:"operator"`
}

// Person is one row of the personnel read model with its client's name and
// regional id (joined, case-insensitively, from clients) and role flags.
type Person struct {
	UserID              string    `json:"user_id"`
	Nama                string    `json:"nama"`
	Title               string    `json:"title"`
	Divisi              string    `json:"divisi"`
	Jabatan             string    `json:"jabatan"`
	Desa                string    `json:"desa"`
	ClientID            *string   `json:"client_id"`
	Insta               string    `json:"insta"`
	Tiktok              string    `json:"tiktok"`
	WhatsApp            string    `json:"whatsapp"`
	Email               string    `json:"email"`
	Status              bool      `json:"status"`
	Exception           bool      `json:"exception"`
	WANotificationOptIn bool      `json:"wa_notification_opt_in"`
	Roles               []string  `json:"roles"`
	Version             uint64    `json:"version"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
	ClientName          *string   `json:"client_name"`
	RegionalID          *string   `json:"regional_id"`
	RoleFlags
}

// Roles are the roles with a legacy flag column.
var Roles = []string{"ditbinmas", "ditlantas", "bidhumas", "ditsamapta", "ditintelkam", "operator"}

// DirectorateRoles are the roles that stand for a directorate client.
var DirectorateRoles = []string{"ditbinmas", "ditlantas", "bidhumas", "ditsamapta", "ditintelkam"}

// Queries reads the directory read model. Queries name the live
// tables and join in SQL (no views), so a rebuild's table swap is invisible
// to them.
type Queries struct {
	db Querier
}

// NewQueries reads through db.
func NewQueries(db Querier) *Queries { return &Queries{db: db} }

const clientSelect = `SELECT ` + clientCols + ` FROM clients c`

func scanClient(row pgx.Row) (Client, error) {
	var c Client
	var v int64
	err := row.Scan(&c.ClientID, &c.Nama, &c.ClientType, &c.ClientStatus, &c.ClientInsta, &c.ClientInstaStatus,
		&c.ClientTiktok, &c.ClientTiktokStatus, &c.ClientAmplifyStatus, &c.ClientOperator, &c.ClientGroup,
		&c.RegionalID, &c.ParentClientID, &c.ClientLevel, &c.TiktokSecUID, &c.ClientSuper, &v, &c.CreatedAt, &c.UpdatedAt)
	c.Version = uint64(v)
	return c, err
}

// Client returns one client by id, compared case-insensitively as the
// legacy model did; ErrNotFound when there is none.
func (q *Queries) Client(ctx context.Context, clientID string) (Client, error) {
	c, err := scanClient(q.db.QueryRow(ctx, clientSelect+` WHERE lower(c.client_id) = lower($1)
		ORDER BY c.client_id = $1 DESC LIMIT 1`, clientID))
	if errors.Is(err, pgx.ErrNoRows) {
		return Client{}, fmt.Errorf("client %s: %w", clientID, ErrNotFound)
	}
	if err != nil {
		return Client{}, fmt.Errorf("client %s: %w", clientID, err)
	}
	return c, nil
}

// ClientFilter narrows Clients; empty fields do not filter.
type ClientFilter struct {
	Type       string // client_type, case-insensitive (e.g. "org", "direktorat")
	RegionalID string // case-insensitive
	ActiveOnly bool   // client_status = true
}

// Clients lists clients ordered by id.
func (q *Queries) Clients(ctx context.Context, f ClientFilter) ([]Client, error) {
	rows, err := q.db.Query(ctx, clientSelect+`
		WHERE ($1 = '' OR lower(c.client_type) = lower($1))
		  AND ($2 = '' OR upper(c.regional_id) = upper($2))
		  AND (NOT $3 OR c.client_status)
		ORDER BY c.client_id`, f.Type, f.RegionalID, f.ActiveOnly)
	if err != nil {
		return nil, fmt.Errorf("list clients: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Client, error) { return scanClient(r) })
	if err != nil {
		return nil, fmt.Errorf("list clients: %w", err)
	}
	return out, nil
}

const personSelect = `SELECT p.user_id, p.nama, p.title, p.divisi, p.jabatan, p.desa, p.client_id, p.insta, p.tiktok,
	p.whatsapp, p.email, p.status, p.exception, p.wa_notification_opt_in, p.roles, p.version, p.created_at, p.updated_at,
	c.nama, c.regional_id,
	'ditbinmas' = ANY(p.roles), 'ditlantas' = ANY(p.roles), 'bidhumas' = ANY(p.roles),
	'ditsamapta' = ANY(p.roles), 'ditintelkam' = ANY(p.roles), 'operator' = ANY(p.roles)
	FROM personnel p LEFT JOIN clients c ON upper(c.client_id) = upper(p.client_id)`

func scanPerson(row pgx.Row) (Person, error) {
	var p Person
	var v int64
	err := row.Scan(&p.UserID, &p.Nama, &p.Title, &p.Divisi, &p.Jabatan, &p.Desa, &p.ClientID, &p.Insta, &p.Tiktok,
		&p.WhatsApp, &p.Email, &p.Status, &p.Exception, &p.WANotificationOptIn, &p.Roles, &v, &p.CreatedAt, &p.UpdatedAt,
		&p.ClientName, &p.RegionalID,
		&p.Ditbinmas, &p.Ditlantas, &p.Bidhumas, &p.Ditsamapta, &p.Ditintelkam, &p.Operator)
	p.Version = uint64(v)
	return p, err
}

func collectPeople(rows pgx.Rows, err error, what string) ([]Person, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Person, error) { return scanPerson(r) })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// Person returns one member of personnel by NRP/NIP; ErrNotFound when none.
func (q *Queries) Person(ctx context.Context, userID string) (Person, error) {
	p, err := scanPerson(q.db.QueryRow(ctx, personSelect+` WHERE p.user_id = $1`, userID))
	if errors.Is(err, pgx.ErrNoRows) {
		return Person{}, fmt.Errorf("person: %w", ErrNotFound)
	}
	if err != nil {
		return Person{}, fmt.Errorf("person: %w", err)
	}
	return p, nil
}

// PersonByHandle finds the person whose Instagram or TikTok handle matches
// (compared in normalised form); ErrNotFound when nobody has it.
func (q *Queries) PersonByHandle(ctx context.Context, platform, handle string) (Person, error) {
	col := ""
	switch platform {
	case events.PlatformInstagram:
		col = "p.insta_norm"
	case events.PlatformTiktok:
		col = "p.tiktok_norm"
	default:
		return Person{}, fmt.Errorf("person by handle: unknown platform %q", platform)
	}
	h := handleNorm(handle)
	if h == "" {
		return Person{}, fmt.Errorf("person by handle: %w", ErrNotFound)
	}
	p, err := scanPerson(q.db.QueryRow(ctx, personSelect+` WHERE `+col+` = $1 ORDER BY p.status DESC, p.user_id LIMIT 1`, h))
	if errors.Is(err, pgx.ErrNoRows) {
		return Person{}, fmt.Errorf("person by handle: %w", ErrNotFound)
	}
	if err != nil {
		return Person{}, fmt.Errorf("person by handle: %w", err)
	}
	return p, nil
}

// PersonnelFilter narrows PersonnelByClient.
type PersonnelFilter struct {
	// Role, when set, is the role filter of the legacy membership clause
	// (lower-cased before comparing).
	Role string
	// Strict keeps only personnel whose client_id is the client (the
	// directory's "org" scope), ignoring role-named membership.
	Strict bool
	// IncludeInactive also returns deactivated personnel.
	IncludeInactive bool
	// RegionalID keeps only personnel whose client is in this region.
	RegionalID string
}

// PersonnelByClient lists a client's personnel ordered by name and NRP,
// following the legacy membership rule (spec access.md §1.2): for a
// directorate client (client_type 'direktorat') the members are those
// holding the role named by the filter or, without one, by the client id
// lower-cased; for other clients those whose client_id is the client or who
// hold a role named after it, and when the filter names one of ditbinmas,
// ditlantas, bidhumas, ditsamapta or operator, only those holding it. With
// Strict, membership is client_id alone plus the role filter if given.
func (q *Queries) PersonnelByClient(ctx context.Context, clientID string, f PersonnelFilter) ([]Person, error) {
	role := strings.ToLower(strings.TrimSpace(f.Role))
	rows, err := q.db.Query(ctx, personSelect+`
		WHERE ($3 OR p.status)
		  AND ($4 = '' OR upper(c.regional_id) = upper($4))
		  AND CASE
			WHEN $5 THEN upper(p.client_id) = upper($1) AND ($2 = '' OR $2 = ANY(p.roles))
			WHEN (SELECT lower(client_type) FROM clients WHERE client_id = $1) = 'direktorat'
				THEN coalesce(nullif($2, ''), lower($1)) = ANY(p.roles)
			ELSE (upper(p.client_id) = upper($1) OR lower($1) = ANY(p.roles))
				AND ($2 NOT IN ('ditbinmas', 'ditlantas', 'bidhumas', 'ditsamapta', 'operator') OR $2 = ANY(p.roles))
		  END
		ORDER BY p.nama, p.user_id`, clientID, role, f.IncludeInactive, f.RegionalID, f.Strict)
	return collectPeople(rows, err, "personnel of client")
}

// PersonnelByDirectorate lists the active personnel holding a directorate
// role, optionally only those of the given clients (case-insensitive).
func (q *Queries) PersonnelByDirectorate(ctx context.Context, role string, clientIDs []string) ([]Person, error) {
	role = strings.ToLower(strings.TrimSpace(role))
	valid := false
	for _, r := range DirectorateRoles {
		valid = valid || r == role
	}
	if !valid {
		return nil, fmt.Errorf("personnel by directorate: unknown directorate role %q", role)
	}
	upper := make([]string, len(clientIDs))
	for i, id := range clientIDs {
		upper[i] = strings.ToUpper(id)
	}
	rows, err := q.db.Query(ctx, personSelect+`
		WHERE p.status AND $1 = ANY(p.roles)
		  AND (cardinality($2::text[]) = 0 OR upper(p.client_id) = ANY($2))
		ORDER BY p.nama, p.user_id`, role, upper)
	return collectPeople(rows, err, "personnel by directorate")
}

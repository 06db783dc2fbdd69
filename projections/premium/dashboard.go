package premium

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// DashboardName is the premium projection's name (checkpoints, lock, CLI).
const DashboardName = "premium"

// Dashboard is the read model of dashboard premium, built from the PREMIUM
// stream: premium_requests (one row per request, request_id = the stream
// position of its PremiumRequested), premium_request_audit (one row per
// request event) and premium_subscriptions (one row per grant). Rows carry
// version = the stream sequence of their last event and
// created_at/updated_at from the events' business time.
//
// It writes only these tables. An account's premium snapshot — its active
// subscription (by status: the expiry job's PremiumExpired ends it, not the
// clock) ending last — is read from premium_subscriptions by whoever shows
// it (the ACCESS queries, the premium guard), so it depends only on events
// and readers apply the clock (the guard refuses an expiry in the past).
//
// Apply is set-based: one query per table loads the touched users'
// requests and subscriptions, the events fold in memory, and one
// multi-row statement per table writes back.
type Dashboard struct {
	reg *events.Registry
}

var _ projections.Projection = (*Dashboard)(nil)

// NewDashboard builds the projection; reg decodes event bodies.
func NewDashboard(reg *events.Registry) *Dashboard { return &Dashboard{reg: reg} }

// Name implements Projection.
func (*Dashboard) Name() string { return DashboardName }

// Streams implements Projection.
func (*Dashboard) Streams() []string { return []string{"PREMIUM"} }

// projections.Tables implements Projection.
func (*Dashboard) Tables() []string {
	return []string{"premium_subscriptions", "premium_requests", "premium_request_audit"}
}

// EventTypes implements projections.Projection.
func (*Dashboard) EventTypes() []string {
	return events.Types(
		events.PremiumRequested{},
		events.PremiumRequestConfirmed{},
		events.PremiumGranted{},
		events.PremiumRequestRejected{},
		events.PremiumRevoked{},
		events.PremiumExpired{},
		events.PremiumRequestExpired{},
	)
}

// premiumRequestRow is one row of premium_requests while a batch folds.
type premiumRequestRow struct {
	RequestID                        int64
	Token, UserID                    string
	ClientID, WhatsApp               *string
	Username                         string
	BankName, AccountNumber, Sender  string
	TransferAmount, Tier, ProofURL   *string
	SubscriptionExpiresAt, ExpiredAt *time.Time
	Status                           string
	RespondedAt                      *time.Time
	RespondedBy, AdminWhatsApp       *string
	Metadata                         map[string]any
	Version                          int64
	CreatedAt, UpdatedAt             time.Time
}

// premiumSubRow is one row of premium_subscriptions while a batch folds.
type premiumSubRow struct {
	ID, UserID, Tier, Status string
	StartedAt, ExpiresAt     time.Time
	CanceledAt, EndedAt      *time.Time
	RequestToken             *string
	GrantedBy                string
	Metadata                 map[string]any
	Version                  int64
	CreatedAt, UpdatedAt     time.Time
	dirty                    bool
}

// premiumAuditRow is one row of premium_request_audit.
type premiumAuditRow struct {
	EventID                         string
	Position                        int64
	Index                           int
	RequestID                       int64
	Token, UserID, Action, Actor    string
	Note, StatusFrom, AdminWhatsApp *string
	StatusTo                        string
	Metadata                        map[string]any
	CreatedAt                       time.Time
}

// premiumBatch is the in-memory state of the users one batch touches.
type premiumBatch struct {
	users    []string // touched, first touch first
	requests map[string]*premiumRequestRow
	subs     map[string]*premiumSubRow
	dirtyReq map[string]bool
	audit    []premiumAuditRow
}

// Apply implements Projection.
func (p *Dashboard) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	evs := make([]decoded, 0, len(batch))
	b := &premiumBatch{requests: map[string]*premiumRequestRow{}, subs: map[string]*premiumSubRow{}, dirtyReq: map[string]bool{}}
	seen := map[string]bool{}
	for i := range batch {
		pl, err := p.reg.Decode(&batch[i])
		if err != nil {
			return fmt.Errorf("premium: %w", err)
		}
		id := premiumUser(pl)
		if id == "" {
			continue
		}
		if !seen[id] {
			seen[id] = true
			b.users = append(b.users, id)
		}
		evs = append(evs, decoded{env: &batch[i], p: pl})
	}
	if len(evs) == 0 {
		return nil
	}
	if err := loadPremium(ctx, tx, t, b); err != nil {
		return err
	}
	for _, e := range evs {
		at := e.env.Meta.OccurredAt
		if at.IsZero() {
			at = e.env.RecordedAt
		}
		b.fold(e.env, e.p, at)
	}
	if err := writePremiumRequests(ctx, tx, t["premium_requests"], b); err != nil {
		return err
	}
	if err := writePremiumSubs(ctx, tx, t["premium_subscriptions"], b); err != nil {
		return err
	}
	return writePremiumAudit(ctx, tx, t["premium_request_audit"], b.audit)
}

// premiumUser is the dashboard user a premium event belongs to.
func premiumUser(p events.Payload) string {
	switch e := p.(type) {
	case *events.PremiumRequested:
		return e.DashboardUserID
	case *events.PremiumRequestConfirmed:
		return e.DashboardUserID
	case *events.PremiumGranted:
		return e.DashboardUserID
	case *events.PremiumRequestRejected:
		return e.DashboardUserID
	case *events.PremiumRevoked:
		return e.DashboardUserID
	case *events.PremiumExpired:
		return e.DashboardUserID
	case *events.PremiumRequestExpired:
		return e.DashboardUserID
	}
	return ""
}

func (b *premiumBatch) fold(env *events.Envelope, p events.Payload, at time.Time) {
	seq := int64(env.Position)
	switch e := p.(type) {
	case *events.PremiumRequested:
		r := &premiumRequestRow{RequestID: seq, Token: e.RequestToken, UserID: e.DashboardUserID,
			ClientID: projections.Nullable(e.ClientID), WhatsApp: projections.Nullable(e.WhatsApp), Username: e.Username,
			BankName: e.BankName, AccountNumber: e.AccountNumber, Sender: e.SenderName,
			TransferAmount: projections.Nullable(e.TransferAmount), Tier: projections.Nullable(e.PremiumTier), ProofURL: projections.Nullable(e.ProofURL),
			SubscriptionExpiresAt: e.SubscriptionExpiresAt, ExpiredAt: &e.ExpiredAt, Status: e.Status,
			Metadata: mergeJSON(map[string]any{}, e.Metadata), CreatedAt: at}
		b.requests[r.Token] = r
		b.touchRequest(r, seq, at)
		b.addAudit(env, r, "created", r.actorName(), nil, nil, nil, nil, at)
	case *events.PremiumRequestConfirmed:
		r := b.requests[e.RequestToken]
		if r == nil {
			return // no such request: the command side refuses these
		}
		from := r.Status
		r.confirm(e)
		b.touchRequest(r, seq, at)
		b.addAudit(env, r, "confirmed", r.actorName(), nil, &from, nil, nil, at)
	case *events.PremiumGranted:
		b.foldGranted(env, e, seq, at)
	case *events.PremiumRequestRejected:
		r := b.requests[e.RequestToken]
		if r == nil {
			return
		}
		from := r.Status
		r.Status, r.RespondedAt, r.RespondedBy, r.AdminWhatsApp = events.PremiumStatusDenied, &at, &e.By, projections.Nullable(e.AdminWhatsApp)
		b.touchRequest(r, seq, at)
		b.addAudit(env, r, "denied", e.By, projections.Nullable(e.Note), &from, projections.Nullable(e.AdminWhatsApp), nil, at)
	case *events.PremiumRequestExpired:
		r := b.requests[e.RequestToken]
		if r == nil {
			return
		}
		from := r.Status
		r.Status = events.PremiumStatusExpired
		if r.RespondedAt == nil {
			when := e.At
			r.RespondedAt = &when
		}
		b.touchRequest(r, seq, at)
		b.addAudit(env, r, "expired", "system", nil, &from, nil, nil, at)
	case *events.PremiumRevoked:
		when := e.At
		b.endSubs(e.SubscriptionIDs, events.SubscriptionCanceled, func(s *premiumSubRow) { s.CanceledAt = &when }, seq, at)
	case *events.PremiumExpired:
		when := e.At
		b.endSubs(e.SubscriptionIDs, events.SubscriptionExpired, func(s *premiumSubRow) { s.EndedAt = &when }, seq, at)
	}
}

func (b *premiumBatch) foldGranted(env *events.Envelope, e *events.PremiumGranted, seq int64, at time.Time) {
	s := &premiumSubRow{ID: e.SubscriptionID, UserID: e.DashboardUserID, Tier: e.Tier, Status: events.SubscriptionActive,
		StartedAt: e.StartsAt, ExpiresAt: e.ExpiresAt, GrantedBy: e.By, Metadata: map[string]any{},
		Version: seq, CreatedAt: at, UpdatedAt: at, dirty: true}
	b.subs[s.ID] = s
	r := b.requests[e.RequestToken]
	if r == nil {
		return
	}
	s.RequestToken = &r.Token
	s.Metadata = map[string]any{"request_id": r.RequestID, "request_token": r.Token, "client_id": e.ClientID,
		"transfer_amount": e.TransferAmount}
	from := r.Status
	r.Status, r.RespondedAt, r.RespondedBy, r.AdminWhatsApp = events.PremiumStatusApproved, &at, &e.By, projections.Nullable(e.AdminWhatsApp)
	r.Metadata = mergeJSON(r.Metadata, nil)
	r.Metadata["subscription_id"] = s.ID
	b.touchRequest(r, seq, at)
	b.addAudit(env, r, "approved", e.By, nil, &from, projections.Nullable(e.AdminWhatsApp), map[string]any{"subscription_id": s.ID}, at)
}

func (b *premiumBatch) endSubs(ids []string, status string, set func(*premiumSubRow), seq int64, at time.Time) {
	for _, id := range ids {
		s := b.subs[id]
		if s == nil || s.Status != events.SubscriptionActive {
			continue
		}
		s.Status = status
		set(s)
		s.Version, s.UpdatedAt, s.dirty = seq, at, true
	}
}

func (b *premiumBatch) touchRequest(r *premiumRequestRow, seq int64, at time.Time) {
	r.Version, r.UpdatedAt = seq, at
	b.dirtyReq[r.Token] = true
}

// actorName is who acts for the requester in the audit: the username, or
// the account id when there is none.
func (r *premiumRequestRow) actorName() string {
	if r.Username != "" {
		return r.Username
	}
	return r.UserID
}

func (r *premiumRequestRow) confirm(e *events.PremiumRequestConfirmed) {
	c := e.Changes
	if c.TransferAmount != nil {
		r.TransferAmount = projections.Nullable(*c.TransferAmount)
	}
	projections.Assign(&r.BankName, c.BankName)
	projections.Assign(&r.AccountNumber, c.AccountNumber)
	projections.Assign(&r.Sender, c.SenderName)
	if c.PremiumTier != nil {
		r.Tier = projections.Nullable(*c.PremiumTier)
	}
	if c.SubscriptionExpiresAt != nil {
		r.SubscriptionExpiresAt = c.SubscriptionExpiresAt
	}
	deadline := e.ExpiredAt
	r.ProofURL, r.Status, r.ExpiredAt = projections.Nullable(e.ProofURL), events.PremiumStatusConfirmed, &deadline
	r.Metadata = mergeJSON(r.Metadata, e.Metadata)
}

// addAudit records one request event with the legacy audit metadata
// (client, tier, amount, proof, requested expiry) plus extra.
func (b *premiumBatch) addAudit(env *events.Envelope, r *premiumRequestRow, action, actor string,
	note, from, adminWA *string, extra map[string]any, at time.Time) {
	meta := map[string]any{"client_id": r.ClientID, "premium_tier": r.Tier, "transfer_amount": r.TransferAmount,
		"proof_url": r.ProofURL, "subscription_expires_at": r.SubscriptionExpiresAt}
	maps.Copy(meta, extra)
	b.audit = append(b.audit, premiumAuditRow{EventID: env.ID, Position: int64(env.Position), Index: env.Index,
		RequestID: r.RequestID, Token: r.Token, UserID: r.UserID, Action: action, Actor: actor, Note: note,
		StatusFrom: from, StatusTo: r.Status, AdminWhatsApp: adminWA, Metadata: meta, CreatedAt: at})
}

// mergeJSON adds the keys of a JSON object to m (invalid or empty: m as is).
func mergeJSON(m map[string]any, raw json.RawMessage) map[string]any {
	if m == nil {
		m = map[string]any{}
	}
	if len(raw) == 0 {
		return m
	}
	var add map[string]any
	if json.Unmarshal(raw, &add) == nil {
		maps.Copy(m, add)
	}
	return m
}

const premiumRequestCols = `request_id, request_token::text, dashboard_user_id::text, client_id, whatsapp, username,
	bank_name, account_number, sender_name, transfer_amount::text, premium_tier, proof_url, subscription_expires_at,
	expired_at, status, responded_at, responded_by, admin_whatsapp, metadata, version, created_at, updated_at`

const premiumSubCols = `subscription_id::text, dashboard_user_id::text, tier, status, started_at, expires_at,
	canceled_at, ended_at, request_token::text, granted_by, metadata, version, created_at, updated_at`

func scanPremiumRequestRow(row pgx.Row) (*premiumRequestRow, error) {
	r := &premiumRequestRow{}
	err := row.Scan(&r.RequestID, &r.Token, &r.UserID, &r.ClientID, &r.WhatsApp, &r.Username, &r.BankName,
		&r.AccountNumber, &r.Sender, &r.TransferAmount, &r.Tier, &r.ProofURL, &r.SubscriptionExpiresAt,
		&r.ExpiredAt, &r.Status, &r.RespondedAt, &r.RespondedBy, &r.AdminWhatsApp, &r.Metadata, &r.Version,
		&r.CreatedAt, &r.UpdatedAt)
	return r, err
}

func scanPremiumSubRow(row pgx.Row) (*premiumSubRow, error) {
	s := &premiumSubRow{}
	err := row.Scan(&s.ID, &s.UserID, &s.Tier, &s.Status, &s.StartedAt, &s.ExpiresAt, &s.CanceledAt, &s.EndedAt,
		&s.RequestToken, &s.GrantedBy, &s.Metadata, &s.Version, &s.CreatedAt, &s.UpdatedAt)
	return s, err
}

// loadPremium reads the touched users' requests and subscriptions.
func loadPremium(ctx context.Context, tx pgx.Tx, t projections.Tables, b *premiumBatch) error {
	reqTable, subTable := t["premium_requests"], t["premium_subscriptions"]
	rows, err := tx.Query(ctx, `SELECT `+premiumRequestCols+` FROM `+projections.Ident(reqTable)+`
		WHERE dashboard_user_id = ANY($1::text[]::uuid[])`, b.users)
	if err != nil {
		return fmt.Errorf("load %s: %w", reqTable, err)
	}
	reqs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*premiumRequestRow, error) { return scanPremiumRequestRow(r) })
	if err != nil {
		return fmt.Errorf("load %s: %w", reqTable, err)
	}
	for _, r := range reqs {
		b.requests[r.Token] = r
	}
	rows, err = tx.Query(ctx, `SELECT `+premiumSubCols+` FROM `+projections.Ident(subTable)+`
		WHERE dashboard_user_id = ANY($1::text[]::uuid[])`, b.users)
	if err != nil {
		return fmt.Errorf("load %s: %w", subTable, err)
	}
	subs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*premiumSubRow, error) { return scanPremiumSubRow(r) })
	if err != nil {
		return fmt.Errorf("load %s: %w", subTable, err)
	}
	for _, s := range subs {
		b.subs[s.ID] = s
	}
	return nil
}

// jsonText encodes a metadata map for a jsonb column.
func jsonText(m map[string]any) (string, error) {
	if m == nil {
		return "{}", nil
	}
	out, err := json.Marshal(m)
	return string(out), err
}

func writePremiumRequests(ctx context.Context, tx pgx.Tx, table string, b *premiumBatch) error {
	var up []*premiumRequestRow
	for tok := range b.dirtyReq {
		up = append(up, b.requests[tok])
	}
	if len(up) == 0 {
		return nil
	}
	slices.SortFunc(up, func(a, b *premiumRequestRow) int { return cmp.Compare(a.RequestID, b.RequestID) })
	n := len(up)
	var (
		reqID, version                      = make([]int64, n), make([]int64, n)
		token, user, name, bank, acct, send = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		status, meta                        = make([]string, n), make([]string, n)
		client, wa, amount, tier, proof     = make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n)
		by, adminWA                         = make([]*string, n), make([]*string, n)
		subExp, deadline, responded         = make([]*time.Time, n), make([]*time.Time, n), make([]*time.Time, n)
		created, updated                    = make([]time.Time, n), make([]time.Time, n)
	)
	for i, r := range up {
		var err error
		if meta[i], err = jsonText(r.Metadata); err != nil {
			return fmt.Errorf("upsert %s: metadata: %w", table, err)
		}
		reqID[i], token[i], user[i], client[i], wa[i], name[i] = r.RequestID, r.Token, r.UserID, r.ClientID, r.WhatsApp, r.Username
		bank[i], acct[i], send[i], amount[i], tier[i], proof[i] = r.BankName, r.AccountNumber, r.Sender, r.TransferAmount, r.Tier, r.ProofURL
		subExp[i], deadline[i], status[i], responded[i], by[i], adminWA[i] = r.SubscriptionExpiresAt, r.ExpiredAt, r.Status, r.RespondedAt, r.RespondedBy, r.AdminWhatsApp
		version[i], created[i], updated[i] = r.Version, r.CreatedAt, r.UpdatedAt
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (request_id, request_token, dashboard_user_id, client_id,
			whatsapp, username, bank_name, account_number, sender_name, transfer_amount, premium_tier, proof_url,
			subscription_expires_at, expired_at, status, responded_at, responded_by, admin_whatsapp, metadata,
			version, created_at, updated_at)
		SELECT u.id, u.token::uuid, u.uid::uuid, u.client, u.wa, u.name, u.bank, u.acct, u.send, u.amount::numeric,
			u.tier, u.proof, u.subexp, u.deadline, u.status, u.responded, u.by, u.adminwa, u.meta::jsonb,
			u.version, u.created, u.updated
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[], $15::text[],
			$16::timestamptz[], $17::text[], $18::text[], $19::text[], $20::bigint[], $21::timestamptz[], $22::timestamptz[])
			AS u(id, token, uid, client, wa, name, bank, acct, send, amount, tier, proof, subexp, deadline, status,
				responded, by, adminwa, meta, version, created, updated)
		ON CONFLICT (request_id) DO UPDATE SET
			client_id = EXCLUDED.client_id, whatsapp = EXCLUDED.whatsapp, username = EXCLUDED.username,
			bank_name = EXCLUDED.bank_name, account_number = EXCLUDED.account_number, sender_name = EXCLUDED.sender_name,
			transfer_amount = EXCLUDED.transfer_amount, premium_tier = EXCLUDED.premium_tier, proof_url = EXCLUDED.proof_url,
			subscription_expires_at = EXCLUDED.subscription_expires_at, expired_at = EXCLUDED.expired_at,
			status = EXCLUDED.status, responded_at = EXCLUDED.responded_at, responded_by = EXCLUDED.responded_by,
			admin_whatsapp = EXCLUDED.admin_whatsapp, metadata = EXCLUDED.metadata, version = EXCLUDED.version,
			updated_at = EXCLUDED.updated_at`,
		reqID, token, user, client, wa, name, bank, acct, send, amount, tier, proof, subExp, deadline, status,
		responded, by, adminWA, meta, version, created, updated)
	if err != nil {
		return fmt.Errorf("upsert %s: %w", table, err)
	}
	return nil
}

func writePremiumSubs(ctx context.Context, tx pgx.Tx, table string, b *premiumBatch) error {
	var up []*premiumSubRow
	for _, s := range b.subs {
		if s.dirty {
			up = append(up, s)
		}
	}
	if len(up) == 0 {
		return nil
	}
	slices.SortFunc(up, func(a, b *premiumSubRow) int { return strings.Compare(a.ID, b.ID) })
	n := len(up)
	var (
		id, user, tier, status, by, meta = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		started, expires                 = make([]time.Time, n), make([]time.Time, n)
		canceled, ended                  = make([]*time.Time, n), make([]*time.Time, n)
		token                            = make([]*string, n)
		version                          = make([]int64, n)
		created, updated                 = make([]time.Time, n), make([]time.Time, n)
	)
	for i, s := range up {
		var err error
		if meta[i], err = jsonText(s.Metadata); err != nil {
			return fmt.Errorf("upsert %s: metadata: %w", table, err)
		}
		id[i], user[i], tier[i], status[i], started[i], expires[i] = s.ID, s.UserID, s.Tier, s.Status, s.StartedAt, s.ExpiresAt
		canceled[i], ended[i], token[i], by[i] = s.CanceledAt, s.EndedAt, s.RequestToken, s.GrantedBy
		version[i], created[i], updated[i] = s.Version, s.CreatedAt, s.UpdatedAt
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (subscription_id, dashboard_user_id, tier, status,
			started_at, expires_at, canceled_at, ended_at, request_token, granted_by, metadata, version, created_at, updated_at)
		SELECT u.id::uuid, u.uid::uuid, u.tier, u.status, u.started, u.expires, u.canceled, u.ended, u.token::uuid,
			u.by, u.meta::jsonb, u.version, u.created, u.updated
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
			$7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::bigint[],
			$13::timestamptz[], $14::timestamptz[])
			AS u(id, uid, tier, status, started, expires, canceled, ended, token, by, meta, version, created, updated)
		ON CONFLICT (subscription_id) DO UPDATE SET
			status = EXCLUDED.status, canceled_at = EXCLUDED.canceled_at, ended_at = EXCLUDED.ended_at,
			version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
		id, user, tier, status, started, expires, canceled, ended, token, by, meta, version, created, updated)
	if err != nil {
		return fmt.Errorf("upsert %s: %w", table, err)
	}
	return nil
}

func writePremiumAudit(ctx context.Context, tx pgx.Tx, table string, rows []premiumAuditRow) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	var (
		id, token, user, action, actor, to, meta = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		note, from, adminWA                      = make([]*string, n), make([]*string, n), make([]*string, n)
		pos, reqID                               = make([]int64, n), make([]int64, n)
		idx                                      = make([]int32, n)
		created                                  = make([]time.Time, n)
	)
	for i, r := range rows {
		var err error
		if meta[i], err = jsonText(r.Metadata); err != nil {
			return fmt.Errorf("insert %s: metadata: %w", table, err)
		}
		id[i], pos[i], idx[i], reqID[i], token[i], user[i] = r.EventID, r.Position, int32(r.Index), r.RequestID, r.Token, r.UserID
		action[i], actor[i], note[i], from[i], to[i], adminWA[i], created[i] = r.Action, r.Actor, r.Note, r.StatusFrom, r.StatusTo, r.AdminWhatsApp, r.CreatedAt
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (event_id, position, event_index, request_id, request_token,
			dashboard_user_id, action, actor, note, status_from, status_to, admin_whatsapp, metadata, created_at)
		SELECT u.id::uuid, u.pos, u.idx, u.req, u.token::uuid, u.uid::uuid, u.action, u.actor, u.note, u.sfrom, u.sto,
			u.adminwa, u.meta::jsonb, u.created
		FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[])
			AS u(id, pos, idx, req, token, uid, action, actor, note, sfrom, sto, adminwa, meta, created)
		ON CONFLICT (event_id) DO NOTHING`,
		id, pos, idx, reqID, token, user, action, actor, note, from, to, adminWA, meta, created)
	if err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}

// decoded is one event of a batch with its payload.
type decoded struct {
	env *events.Envelope
	p   events.Payload
}

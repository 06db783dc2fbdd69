package messaging

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// WASessionsName is the wa_sessions projection's name.
const WASessionsName = "wa_sessions"

// WASessions is the read model of the WhatsApp sessions' pairing history
// (table wa_sessions, one row per session) from WhatsAppSessionPaired and
// WhatsAppSessionLoggedOut: whether the session is paired, to which JID,
// since when, and its last logout. The live connection state is the
// manager's (internal/whatsapp); this is what the history says, on every
// instance. Sessions change rarely, so Apply writes event by event.
type WASessions struct{ reg *events.Registry }

var _ projections.Projection = (*WASessions)(nil)

// NewWASessions builds the projection; reg decodes event bodies.
func NewWASessions(reg *events.Registry) *WASessions { return &WASessions{reg: reg} }

// Name implements projections.Projection.
func (*WASessions) Name() string { return WASessionsName }

// Streams implements projections.Projection.
func (*WASessions) Streams() []string { return []string{"MESSAGING"} }

// Tables implements projections.Projection.
func (*WASessions) Tables() []string { return []string{"wa_sessions"} }

// EventTypes implements projections.Projection.
func (*WASessions) EventTypes() []string {
	return events.Types(events.WhatsAppSessionPaired{}, events.WhatsAppSessionLoggedOut{})
}

// Apply implements projections.Projection.
func (p *WASessions) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	table := projections.Ident(t["wa_sessions"])
	for i := range batch {
		env := &batch[i]
		if !strings.HasPrefix(env.Subject, events.WhatsAppSessionSubjectPrefix+".") {
			continue // deliveries: not ours, not decoded
		}
		ev, err := p.reg.Decode(env)
		if err != nil {
			return fmt.Errorf("wa_sessions: %w", err)
		}
		switch e := ev.(type) {
		case *events.WhatsAppSessionPaired:
			_, err = tx.Exec(ctx, `INSERT INTO `+table+` (session, client_id, jid, paired, paired_at, version)
				VALUES ($1, $2, $3, true, $4, $5)
				ON CONFLICT (session) DO UPDATE SET client_id = $2, jid = $3, paired = true, paired_at = $4, version = $5`,
				e.Session, e.ClientID, e.JID, e.PairedAt, int64(env.Position))
		case *events.WhatsAppSessionLoggedOut:
			_, err = tx.Exec(ctx, `INSERT INTO `+table+` (session, client_id, jid, paired, logged_out_at, logout_reason, version)
				VALUES ($1, $2, $3, false, $4, $5, $6)
				ON CONFLICT (session) DO UPDATE SET paired = false, logged_out_at = $4, logout_reason = $5, version = $6`,
				e.Session, e.ClientID, e.JID, e.LoggedOutAt, e.Reason, int64(env.Position))
		}
		if err != nil {
			return fmt.Errorf("wa_sessions: %w", err)
		}
	}
	return nil
}

// WASession is one row of wa_sessions.
type WASession struct {
	Session      string     `json:"session"`
	ClientID     string     `json:"client_id"`
	JID          string     `json:"jid"`
	Paired       bool       `json:"paired"`
	PairedAt     *time.Time `json:"paired_at,omitempty"`
	LoggedOutAt  *time.Time `json:"logged_out_at,omitempty"`
	LogoutReason string     `json:"logout_reason,omitempty"`
	Version      uint64     `json:"version"`
}

// ListWASessions returns the sessions the history knows, by name.
func ListWASessions(ctx context.Context, q projections.Querier) ([]WASession, error) {
	rows, err := q.Query(ctx, `SELECT session, client_id, jid, paired, paired_at, logged_out_at, logout_reason, version
		FROM wa_sessions ORDER BY session`)
	if err != nil {
		return nil, fmt.Errorf("wa_sessions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (WASession, error) {
		var s WASession
		var v int64
		err := r.Scan(&s.Session, &s.ClientID, &s.JID, &s.Paired, &s.PairedAt, &s.LoggedOutAt, &s.LogoutReason, &v)
		s.Version = uint64(v)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("wa_sessions: %w", err)
	}
	return out, nil
}

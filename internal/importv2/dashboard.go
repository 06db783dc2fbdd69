package importv2

import (
	"context"
	"fmt"
	"github.com/cicero/cicero/commands"
	"time"

	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
)

// oldDashboardUser is a row of `dashboard_user` with its role name and
// clients.
type oldDashboardUser struct {
	ID, Username, Hash, Role, WhatsApp, Email string
	Status                                    *bool
	Created, Updated                          *time.Time
	Clients                                   []string
}

func (im *Importer) readDashboardUsers(ctx context.Context) ([]oldDashboardUser, error) {
	s := im.src
	c := func(name, typ string) string { return s.col("dashboard_user", "d", name, typ) }
	clients := `'{}'::text[]`
	if s.Has("dashboard_user_clients") {
		clients = `COALESCE((SELECT array_agg(dc.client_id::text ORDER BY dc.client_id) FROM dashboard_user_clients dc
			WHERE dc.dashboard_user_id = d.dashboard_user_id), '{}')`
	}
	role := `''`
	if s.cols["dashboard_user"]["role_id"] {
		role = `COALESCE((SELECT r.role_name FROM roles r WHERE r.role_id = d.role_id), '')`
	}
	rows, err := s.Query(ctx, `SELECT d.dashboard_user_id::text, d.username, COALESCE(d.password_hash, ''), `+role+`,
		COALESCE(`+c("whatsapp", "text")+`, ''), COALESCE(`+c("email", "text")+`, ''), `+c("status", "boolean")+`,
		`+c("created_at", "timestamp")+`, `+c("updated_at", "timestamp")+`, `+clients+`
		FROM dashboard_user d ORDER BY d.created_at NULLS FIRST, d.dashboard_user_id`)
	if err != nil {
		return nil, fmt.Errorf("read dashboard users: %w", err)
	}
	defer rows.Close()
	var out []oldDashboardUser
	for rows.Next() {
		var u oldDashboardUser
		if err := rows.Scan(&u.ID, &u.Username, &u.Hash, &u.Role, &u.WhatsApp, &u.Email, &u.Status, &u.Created, &u.Updated, &u.Clients); err != nil {
			return nil, fmt.Errorf("read dashboard users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

const reasonHash = "password_hash is not a bcrypt hash"

// importDashboardUsers brings the accounts with their bcrypt hashes (so
// people keep their passwords), clients and approval. Oldest first: of
// two accounts whose usernames differ only in case, the older keeps it.
func (im *Importer) importDashboardUsers(ctx context.Context, t *TableReport) error {
	us, err := im.readDashboardUsers(ctx)
	if err != nil {
		return err
	}
	im.read(t, len(us))
	im.progress.Start("dashboard_user", len(us))
	// One at a time: usernames are reserved first come, first served.
	for _, u := range us {
		if err := im.importDashboardUser(ctx, t, u); err != nil {
			return err
		}
		im.progress.Add(1)
	}
	im.progress.Finish()
	return nil
}

const (
	reasonDashClient   = "a client of the account is not a client imported (orphan or skipped)"
	reasonDashMissing  = "the dashboard account was not imported (skipped or missing)"
	reasonDashPending  = "the dashboard account is not approved"
	reasonPersonAbsent = "the person was not imported (skipped or missing)"
)

func (im *Importer) importDashboardUser(ctx context.Context, t *TableReport, u oldDashboardUser) error {
	key := u.ID
	var at time.Time
	if u.Created != nil && plausible(*u.Created) {
		at = wall(*u.Created, im.opts.Clock.Other)
	}
	approved := u.Status != nil && *u.Status
	if !dashuser.ValidHash(u.Hash) {
		im.skip(t, reasonHash, key)
		return nil
	}
	for _, c := range u.Clients {
		if _, ok := im.known.Load(normalize.ClientID(c)); !ok {
			im.skip(t, reasonDashClient, key)
			return nil
		}
	}
	if im.opts.DryRun {
		im.dashboards.Store(u.ID, approved)
		im.rowDone(t, key, true, nil)
		return nil
	}
	subject := events.DashboardUserSubject(u.ID)
	v, err := im.version(ctx, subject)
	if err != nil {
		return fmt.Errorf("dashboard user %s: %w", key, err)
	}
	cmd := dashuser.ImportDashboardUser{DashboardUserID: u.ID, Username: u.Username, PasswordHash: u.Hash, Role: u.Role,
		WhatsApp: u.WhatsApp, Email: u.Email, ClientIDs: u.Clients, Approved: approved, By: Actor}
	out, err := im.exec(ctx, metaAt("dashboard_user", key, cmd, at, v), func(m commands.Meta) (commands.Outcome, error) { return im.dash.ImportDashboardUser(ctx, m, cmd) })
	skip, fail := refusal(err)
	if fail != nil {
		return fmt.Errorf("dashboard user %s: %w", key, fail)
	}
	if skip != nil {
		im.rowDone(t, key, false, skip)
		return nil
	}
	changed := im.fresh(t, out)
	// Registered before: its clients and approval as the old row has them
	// now (ids name the version: a change back is a new command).
	assign := dashuser.AssignClients{DashboardUserID: u.ID, ClientIDs: u.Clients, ActorRole: dashuser.RoleAdmin}
	o, err := im.exec(ctx, metaAt("dashboard_user", key, assign, at, v), func(m commands.Meta) (commands.Outcome, error) { return im.dash.AssignClients(ctx, m, assign) })
	if s, f := refusal(err); f != nil {
		return fmt.Errorf("dashboard user %s clients: %w", key, f)
	} else if s == nil {
		changed = im.fresh(t, o) || changed
	}
	if approved {
		ap := dashuser.ApproveDashboardUser{DashboardUserID: u.ID, ActorRole: dashuser.RoleAdmin, By: Actor}
		o, err := im.exec(ctx, metaAt("dashboard_user", key, ap, at, v), func(m commands.Meta) (commands.Outcome, error) { return im.dash.ApproveDashboardUser(ctx, m, ap) })
		if s, f := refusal(err); f != nil {
			return fmt.Errorf("dashboard user %s approval: %w", key, f)
		} else if s == nil {
			changed = im.fresh(t, o) || changed
		}
	} else if v > 0 {
		// The old status false is pending or refused alike: only an
		// approval we hold is withdrawn (the legacy deny), a pending
		// account stays pending.
		held, err := im.dash.Get(ctx, u.ID)
		if err != nil {
			return fmt.Errorf("dashboard user %s: %w", key, err)
		}
		if held.Approved() {
			rej := dashuser.RejectDashboardUser{DashboardUserID: u.ID, ActorRole: dashuser.RoleAdmin, By: Actor}
			o, err := im.exec(ctx, metaAt("dashboard_user", key, rej, at, v), func(m commands.Meta) (commands.Outcome, error) { return im.dash.RejectDashboardUser(ctx, m, rej) })
			if s, f := refusal(err); f != nil {
				return fmt.Errorf("dashboard user %s rejection: %w", key, f)
			} else if s == nil {
				changed = im.fresh(t, o) || changed
			}
		}
	}
	if v > 0 {
		// Imported before: the hash, role and contacts the old row has
		// now, where they moved there since (dated by its updated_at).
		when := at
		if u.Updated != nil && plausible(*u.Updated) {
			when = wall(*u.Updated, im.opts.Clock.Other)
		}
		f := dashuser.FollowImportedAccount{DashboardUserID: u.ID, PasswordHash: u.Hash, Role: u.Role,
			WhatsApp: u.WhatsApp, Email: u.Email, By: Actor}
		o, err := im.exec(ctx, metaAt("dashboard_user", key, f, when, v), func(m commands.Meta) (commands.Outcome, error) { return im.dash.FollowImportedAccount(ctx, m, f) })
		s, fl := refusal(err)
		if fl != nil {
			return fmt.Errorf("dashboard user %s details: %w", key, fl)
		}
		if s != nil {
			// The import command above checks the same values, so this is
			// not expected; reported, never hidden.
			im.leftOut(t, s.Error(), key)
		} else {
			changed = im.fresh(t, o) || changed
		}
	}
	im.dashboards.Store(u.ID, approved)
	im.rowDone(t, key, changed, nil)
	return nil
}

// oldSubscription is an active row of dashboard_user_subscriptions.
type oldSubscription struct {
	ID, UserID, Tier, Status string
	Started, Expires         time.Time
	Canceled                 *time.Time
}

const reasonSubscriptionFuture = "subscription starts later (started_at in the future): imported by a run after it starts"

const reasonSubscriptionOver = "subscription not active (expired, canceled or pending): history stays in the old database"

// importSubscriptions grants the premium of every subscription still
// active; ended ones are reported, not replayed (their effect is over).
func (im *Importer) importSubscriptions(ctx context.Context, t *TableReport) error {
	rows, err := im.src.Query(ctx, `SELECT subscription_id::text, dashboard_user_id::text, tier, status, started_at, expires_at, canceled_at
		FROM dashboard_user_subscriptions ORDER BY started_at, subscription_id`)
	if err != nil {
		return fmt.Errorf("read subscriptions: %w", err)
	}
	var subs []oldSubscription
	for rows.Next() {
		var s oldSubscription
		if err := rows.Scan(&s.ID, &s.UserID, &s.Tier, &s.Status, &s.Started, &s.Expires, &s.Canceled); err != nil {
			rows.Close()
			return fmt.Errorf("read subscriptions: %w", err)
		}
		subs = append(subs, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read subscriptions: %w", err)
	}
	im.read(t, len(subs))
	now := im.opts.Now()
	im.progress.Start("dashboard_user_subscriptions", len(subs))
	for _, s := range subs {
		im.progress.Add(1)
		if s.Status != "active" || !s.Expires.After(now) || (s.Canceled != nil && !s.Canceled.After(now)) {
			im.skip(t, reasonSubscriptionOver, s.ID)
			continue
		}
		if _, ok := im.dashboards.Load(s.UserID); !ok {
			im.skip(t, reasonDashMissing, s.ID)
			continue
		}
		if im.opts.DryRun {
			im.rowDone(t, s.ID, true, nil)
			continue
		}
		exp, start := s.Expires, s.Started
		if start.After(now) {
			// Granting it from now would name a new start (and so a new
			// grant) on every run; a later run imports it once begun.
			im.skip(t, reasonSubscriptionFuture, s.ID)
			continue
		}
		g := premium.GrantPremium{DashboardUserID: s.UserID, Tier: s.Tier, ExpiresAt: &exp, StartsAt: &start,
			By: premium.Actor{ID: Actor, Role: premium.RoleAdmin}}
		out, err := im.exec(ctx, meta("dashboard_user_subscriptions", s.ID, g, start), func(m commands.Meta) (commands.Outcome, error) { return im.premium.GrantPremium(ctx, m, g) })
		skip, fail := refusal(err)
		if fail != nil {
			return fmt.Errorf("subscription %s: %w", s.ID, fail)
		}
		im.rowDone(t, s.ID, skip == nil && im.fresh(t, out), skip)
	}
	im.progress.Finish()
	return nil
}

package writeapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	premiumview "github.com/cicero/cicero/projections/premium"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
)

// Messages of the premium write routes (spec/access.md §3.4) and ours for
// inputs the old system crashed on.
const (
	premiumMsgForbidden     = "Forbidden"
	premiumMsgNotFound      = "Request tidak ditemukan"
	premiumMsgNotYours      = "Request tidak ditemukan untuk pengguna ini"
	premiumMsgTimeInvalid   = "%s tidak valid: gunakan waktu ISO 8601 (RFC 3339)"
	premiumMsgDaysInvalid   = "days harus berupa angka"
	premiumMsgMetadataValue = "metadata harus berupa objek JSON"
)

// premiumExpiryKeys are the legacy spellings of a request's deadline
// override, the first present wins.
var premiumExpiryKeys = []string{"expiredAt", "expired_at", "expires_at", "expiresAt"}

// PremiumRequests is what the premium write routes read
// (premiumview.Queries satisfies it): the request a token names,
// to find its owner and to answer with the refreshed row, and the grants,
// to answer an approval with its subscription.
type PremiumRequests interface {
	RequestByToken(ctx context.Context, token string) (premiumview.Request, error)
	Subscriptions(ctx context.Context, dashboardUserID string) ([]premiumview.Subscription, error)
}

// PremiumCommandDeps is everything the premium write routes use.
type PremiumCommandDeps struct {
	Requests PremiumRequests
	Premium  *premium.Handlers
	// WaitForPremium blocks until the premium read model has applied the
	// positions (e.g. Manager.WaitFor(ctx, premiumview.DashboardName, ps, max)),
	// so a write answers with the row it produced. Nil: no wait.
	WaitForPremium Waiter
	Logger         *slog.Logger // nil → discard
}

type premiumCmdAPI struct {
	PremiumCommandDeps
	writer
}

// MountPremiumCommands adds the premium write routes to r, the /api router
// (behind middleware.Access and Dedup):
//   - POST /premium/request: a dashboard user asks for premium (201);
//   - PUT /premium/request/{token}/confirm: the requester's proof of transfer;
//   - POST /premium/requests/{token}/approve and /deny: an admin's decision
//     (the REST form of the WhatsApp "grant access#…"/"deny access#…");
//   - POST /premium/users/{id}/grant and /revoke: an admin grants premium
//     without a request, or ends it ({"success":true,"subscriptions":[…],
//     "positions":[…]}).
//
// Every answer is {"success":true,"request":{…row},"positions":[…]} (the
// approval also carries "subscription"), with the positions also in
// X-Cicero-Position; errors are {"success":false,"message":…}. It panics
// without Requests or Premium (a wiring error).
func MountPremiumCommands(r *auth.Router, d PremiumCommandDeps) {
	if d.Requests == nil || d.Premium == nil {
		panic("writeapi.MountPremiumCommands: Requests and Premium are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &premiumCmdAPI{d, writer{log: d.Logger, wait: d.WaitForPremium}}
	r.Post("/premium/request", auth.Staff, a.request)
	r.Put("/premium/request/{token}/confirm", auth.Staff, a.confirm)
	r.Post("/premium/requests/{token}/approve", auth.Admins, a.approve)
	r.Post("/premium/requests/{token}/deny", auth.Admins, a.deny)
	r.Post("/premium/users/{id}/grant", auth.Admins, a.grant)
	r.Post("/premium/users/{id}/revoke", auth.Admins, a.revoke)
}

// dashboardCaller returns the caller when it is a dashboard account: the
// premium request routes act for the account in the session.
func (a *premiumCmdAPI) dashboardCaller(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	return a.callerWhere(w, r, func(p *auth.Principal) bool { return p.Kind == auth.KindDashboard }, premiumMsgForbidden)
}

// adminCaller returns the caller when it is a dashboard admin: approvals
// stay with admins (SPEC.md §5.10), whatever the route policy lets through.
func (a *premiumCmdAPI) adminCaller(w http.ResponseWriter, r *http.Request) (*auth.Principal, bool) {
	return a.callerWhere(w, r, (*auth.Principal).IsAdmin, premiumMsgForbidden)
}

// request is POST /api/premium/request (spec/access.md §3.4).
func (a *premiumCmdAPI) request(w http.ResponseWriter, r *http.Request) {
	p, ok := a.dashboardCaller(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	cmd := premium.RequestPremium{DashboardUserID: p.ID}
	err = b.texts(textField{"client_id", &cmd.ClientID}, textField{"whatsapp", &cmd.WhatsApp},
		textField{"bank_name", &cmd.BankName}, textField{"account_number", &cmd.AccountNumber},
		textField{"sender_name", &cmd.SenderName}, textField{"transfer_amount", &cmd.TransferAmount},
		textField{"premium_tier", &cmd.PremiumTier}, textField{"proof_url", &cmd.ProofURL})
	if err == nil {
		cmd.SubscriptionExpiresAt, cmd.ExpiredAt, cmd.Metadata, err = b.requestTerms()
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// The command id names the request token, so the answer can find the
	// row the command wrote.
	meta := writeMeta(r, p)
	cmd.RequestToken = premium.RequestTokenFor(meta.CommandID)
	o, err := a.Premium.RequestPremium(r.Context(), meta, cmd)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusCreated, cmd.RequestToken, o.Positions(), false)
}

// confirm is PUT /api/premium/request/{token}/confirm (spec/access.md §3.4).
func (a *premiumCmdAPI) confirm(w http.ResponseWriter, r *http.Request) {
	p, ok := a.dashboardCaller(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	token := chi.URLParam(r, "token")
	cmd := premium.ConfirmRequest{DashboardUserID: p.ID, RequestToken: token}
	err = b.texts(textField{"proof_url", &cmd.ProofURL}, textField{"transfer_amount", &cmd.TransferAmount},
		textField{"bank_name", &cmd.BankName}, textField{"account_number", &cmd.AccountNumber},
		textField{"sender_name", &cmd.SenderName}, textField{"premium_tier", &cmd.PremiumTier})
	if err == nil {
		cmd.SubscriptionExpiresAt, cmd.ExpiredAt, cmd.Metadata, err = b.requestTerms()
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	o, err := a.Premium.ConfirmRequest(r.Context(), writeMeta(r, p), cmd)
	if err != nil {
		a.fail(w, r, a.ownership(r.Context(), p, token, err))
		return
	}
	a.finish(w, r, http.StatusOK, token, o.Positions(), false)
}

// ownership refines the aggregate's "not found" with the read model: a
// token that exists but belongs to someone else gets the legacy "untuk
// pengguna ini" message. Anything else passes unchanged.
func (a *premiumCmdAPI) ownership(ctx context.Context, p *auth.Principal, token string, err error) error {
	if apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	row, lerr := a.Requests.RequestByToken(ctx, token)
	if lerr == nil && !strings.EqualFold(row.DashboardUserID, p.ID) {
		return apperr.New(apperr.NotFound, premiumMsgNotYours)
	}
	return err
}

// approve is POST /api/premium/requests/{token}/approve: body tier
// (default: the requested tier), days (default 30) or expires_at.
func (a *premiumCmdAPI) approve(w http.ResponseWriter, r *http.Request) {
	p, ok := a.adminCaller(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	row, ok := a.target(w, r)
	if !ok {
		return
	}
	cmd := premium.ApprovePremium{DashboardUserID: row.DashboardUserID, RequestToken: row.RequestToken,
		By: premium.Actor{ID: p.Actor(), Role: premium.RoleAdmin}}
	if cmd.Tier, cmd.Days, cmd.ExpiresAt, err = b.grantTerms(); err != nil {
		a.fail(w, r, err)
		return
	}
	o, err := a.Premium.ApprovePremium(r.Context(), writeMeta(r, p), cmd)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusOK, row.RequestToken, o.Positions(), true)
}

// deny is POST /api/premium/requests/{token}/deny: body note (optional).
func (a *premiumCmdAPI) deny(w http.ResponseWriter, r *http.Request) {
	p, ok := a.adminCaller(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	row, ok := a.target(w, r)
	if !ok {
		return
	}
	note, err := b.text("note")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	o, err := a.Premium.RejectPremium(r.Context(), writeMeta(r, p), premium.RejectPremium{
		DashboardUserID: row.DashboardUserID, RequestToken: row.RequestToken, Note: strOr(note),
		By: premium.Actor{ID: p.Actor(), Role: premium.RoleAdmin}})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusOK, row.RequestToken, o.Positions(), false)
}

// target reads the request an admin decides on; the read model names its
// owner (the aggregate is keyed by the user, the route by the token).
func (a *premiumCmdAPI) target(w http.ResponseWriter, r *http.Request) (premiumview.Request, bool) {
	row, err := a.Requests.RequestByToken(r.Context(), chi.URLParam(r, "token"))
	if errors.Is(err, premiumview.ErrNotFound) {
		err = &apperr.Error{Code: apperr.NotFound, Field: "request_token", Message: premiumMsgNotFound}
	}
	if err != nil {
		a.fail(w, r, err)
		return row, false
	}
	return row, true
}

// finish answers a write with the refreshed request (and, for an
// approval, the subscription it granted): {"success":true,"request":…,
// ["subscription":…,]"positions":[…]}.
func (a *premiumCmdAPI) finish(w http.ResponseWriter, r *http.Request, status int, token string, ps []events.Position, withSub bool) {
	fields := map[string]any{"request": nil}
	if withSub {
		fields["subscription"] = nil
	}
	a.done(w, r, written{status: status, ps: ps, fields: fields,
		fill: func(ctx context.Context, body map[string]any) (bool, error) {
			row, err := a.Requests.RequestByToken(ctx, token)
			if errors.Is(err, premiumview.ErrNotFound) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			body["request"] = row
			if withSub {
				sub, err := a.subscriptionOf(ctx, row)
				if err != nil {
					return false, err
				}
				if sub != nil {
					body["subscription"] = sub
				}
			}
			return true, nil
		}})
}

// subscriptionOf finds the grant made for row, nil when there is none yet.
func (a *premiumCmdAPI) subscriptionOf(ctx context.Context, row premiumview.Request) (*premiumview.Subscription, error) {
	subs, err := a.Requests.Subscriptions(ctx, row.DashboardUserID)
	if err != nil {
		return nil, err
	}
	for i := range subs {
		if t := subs[i].RequestToken; t != nil && strings.EqualFold(*t, row.RequestToken) {
			return &subs[i], nil
		}
	}
	return nil, nil
}

// instant reads an RFC 3339 instant; absent, null or "" → nil.
func (b rawBody) instant(key string) (*time.Time, error) {
	s, err := b.text(key)
	if err != nil || s == nil || strings.TrimSpace(*s) == "" {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(*s))
	if err != nil {
		return nil, apperr.Invalidf(key, premiumMsgTimeInvalid, key)
	}
	return &t, nil
}

// firstInstant reads the first of keys that carries an instant.
func (b rawBody) firstInstant(keys []string) (*time.Time, error) {
	for _, k := range keys {
		t, err := b.instant(k)
		if err != nil || t != nil {
			return t, err
		}
	}
	return nil, nil
}

// object passes a JSON object through for the command to check; a value
// of another type is refused here, absent or null is nil.
func (b rawBody) object(key string) ([]byte, error) {
	raw, ok := b[key]
	if !ok {
		return nil, nil
	}
	t := strings.TrimSpace(string(raw))
	if t == "null" {
		return nil, nil
	}
	if !strings.HasPrefix(t, "{") {
		return nil, apperr.Invalidf(key, premiumMsgMetadataValue)
	}
	return raw, nil
}

// requestTerms reads the instants and metadata a premium request or its
// confirmation may carry: subscription_expires_at, the admin deadline
// (any of premiumExpiryKeys) and the metadata object.
func (b rawBody) requestTerms() (subscriptionExpiresAt, expiredAt *time.Time, metadata []byte, err error) {
	if subscriptionExpiresAt, err = b.instant("subscription_expires_at"); err != nil {
		return nil, nil, nil, err
	}
	if expiredAt, err = b.firstInstant(premiumExpiryKeys); err != nil {
		return nil, nil, nil, err
	}
	if metadata, err = b.object("metadata"); err != nil {
		return nil, nil, nil, err
	}
	return subscriptionExpiresAt, expiredAt, metadata, nil
}

// grantTerms reads what an admin's grant names: tier, days and expires_at
// (each optional here; the command decides what is required).
func (b rawBody) grantTerms() (tier string, days int, expiresAt *time.Time, err error) {
	t, err := b.text("tier")
	if err != nil {
		return "", 0, nil, err
	}
	if days, err = b.days(); err != nil {
		return "", 0, nil, err
	}
	if expiresAt, err = b.instant("expires_at"); err != nil {
		return "", 0, nil, err
	}
	return strOr(t), days, expiresAt, nil
}

// days reads the grant length in days (a number or numeric string).
func (b rawBody) days() (int, error) {
	s, err := b.text("days")
	if err != nil {
		return 0, apperr.Invalidf("days", premiumMsgDaysInvalid)
	}
	if s == nil || strings.TrimSpace(*s) == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(*s))
	if err != nil {
		return 0, apperr.Invalidf("days", premiumMsgDaysInvalid)
	}
	return n, nil
}

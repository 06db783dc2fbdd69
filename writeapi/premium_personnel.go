package writeapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/cicero/cicero/projections/premium"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
)

// Messages of the personnel premium routes (spec/access.md §3.8) and ours
// for the fixes (SPEC.md §5.10–12).
const (
	premReqMsgForbidden     = "Forbidden"
	premReqMsgStatus        = "status tidak dapat diubah"
	premReqMsgRequestBad    = "Request %s tidak valid."
	premReqMsgDaysNotNumber = "days harus berupa angka"
	premReqMsgDaysPositive  = "days harus lebih dari 0"
)

// premReqBodyKeys are the keys a request body may carry (the legacy
// premium_request columns). status may only say "pending"; user_id,
// created_at and updated_at are accepted and ignored: the owner is the
// caller and the times are the events'.
var premReqBodyKeys = map[string]bool{"sender_name": true, "account_number": true, "bank_name": true,
	"screenshot_url": true, "status": true, "user_id": true, "created_at": true, "updated_at": true}

// PersonnelPremiumReader is what the personnel premium write routes read
// (premium.PersonnelQueries satisfies it): the request an id
// names, to find its owner and to answer with the refreshed row, and the
// person's premium, to answer an approval.
type PersonnelPremiumReader interface {
	RequestByID(ctx context.Context, id string) (premium.PersonnelRequest, error)
	Premium(ctx context.Context, userID string) (premium.PersonnelState, error)
}

// PremiumRequestCommandDeps is everything the personnel premium write
// routes use.
type PremiumRequestCommandDeps struct {
	Requests PersonnelPremiumReader
	Premium  *personnelpremium.Handlers
	// WaitFor blocks until the personnel_premium read model has applied the
	// positions, so a write answers with the row it produced. Nil: no wait.
	WaitFor Waiter
	Logger  *slog.Logger // nil → discard
}

type premReqAPI struct {
	PremiumRequestCommandDeps
	writer
}

// MountPremiumRequestCommands adds the legacy personnel premium write
// routes to r, the /api router (behind middleware.Access and Dedup):
//   - POST /premium-requests: a person asks for premium (201);
//   - PUT /premium-requests/{id}: the requester changes a pending request;
//   - POST /premium-requests/{id}/approve {days?} and /deny {note?}: an
//     admin's decision (the REST form of WhatsApp grantsub#/denysub#).
//
// Only personnel tokens create and change requests (403 "Forbidden"
// otherwise); only dashboard admins decide. Every answer is
// {"success":true,"request":{…row},"positions":[…]} (an approval also
// carries "premium"), the positions also in X-Cicero-Position; errors are
// {"success":false,"message":…}. It panics without Requests or Premium (a
// wiring error).
func MountPremiumRequestCommands(r *auth.Router, d PremiumRequestCommandDeps) {
	if d.Requests == nil || d.Premium == nil {
		panic("writeapi.MountPremiumRequestCommands: Requests and Premium are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &premReqAPI{d, writer{log: d.Logger, wait: d.WaitFor}}
	r.Post("/premium-requests", auth.Staff|auth.Personnel, a.create)
	r.Put("/premium-requests/{id}", auth.Staff|auth.Personnel, a.update)
	r.Post("/premium-requests/{id}/approve", auth.Admins, a.approve)
	r.Post("/premium-requests/{id}/deny", auth.Admins, a.deny)
}

// caller returns the principal when allowed: personnel for the requester
// routes, dashboard admins for the decisions. The route policy decides
// first; this keeps the rule with the routes whatever the policy says
// (a Penmas token's user_id is no person, so its requests could never be).
func (a *premReqAPI) caller(w http.ResponseWriter, r *http.Request, admin bool) (*auth.Principal, bool) {
	if admin {
		return a.callerWhere(w, r, (*auth.Principal).IsAdmin, premReqMsgForbidden)
	}
	return a.callerWhere(w, r, func(p *auth.Principal) bool { return p.Kind == auth.KindUser }, premReqMsgForbidden)
}

// fields reads a requester's body: unknown keys and a status other than
// pending are refused; a field absent from the body is nil.
func (a *premReqAPI) fields(w http.ResponseWriter, r *http.Request) (map[string]*string, bool) {
	b, err := decodeBody(w, r)
	if err == nil {
		err = b.unknown(premReqBodyKeys)
	}
	var status *string
	if err == nil {
		status, err = b.text("status")
	}
	if err == nil && status != nil {
		if s := strings.ToLower(strings.TrimSpace(*status)); s != "" && s != events.PersonnelRequestPending {
			err = apperr.Invalidf("status", premReqMsgStatus)
		}
	}
	out := map[string]*string{}
	for _, k := range []string{"sender_name", "account_number", "bank_name", "screenshot_url"} {
		if err == nil {
			out[k], err = b.text(k)
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return nil, false
	}
	return out, true
}

// create is POST /api/premium-requests (spec/access.md §3.8).
func (a *premReqAPI) create(w http.ResponseWriter, r *http.Request) {
	p, ok := a.caller(w, r, false)
	if !ok {
		return
	}
	f, ok := a.fields(w, r)
	if !ok {
		return
	}
	// The command id names the request, so the answer can find its row.
	meta := writeMeta(r, p)
	cmd := personnelpremium.RequestPremium{UserID: p.ID,
		SenderName: strOr(f["sender_name"]), AccountNumber: strOr(f["account_number"]), BankName: strOr(f["bank_name"]),
		ScreenshotURL: strOr(f["screenshot_url"])}
	o, err := a.Premium.RequestPremium(r.Context(), meta, cmd)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusCreated, personnelpremium.RequestIDFor(meta.CommandID), o.Positions(), false)
}

// update is PUT /api/premium-requests/{id}: a merge of the given fields
// into one of the caller's pending requests (someone else's is "not
// found"). The legacy WhatsApp notice on screenshot_url is a saga's job.
func (a *premReqAPI) update(w http.ResponseWriter, r *http.Request) {
	p, ok := a.caller(w, r, false)
	if !ok {
		return
	}
	f, ok := a.fields(w, r)
	if !ok {
		return
	}
	id := chi.URLParam(r, "id")
	o, err := a.Premium.UpdateRequest(r.Context(), writeMeta(r, p), personnelpremium.UpdateRequest{UserID: p.ID, RequestID: id,
		SenderName: f["sender_name"], AccountNumber: f["account_number"], BankName: f["bank_name"],
		ScreenshotURL: f["screenshot_url"]})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusOK, id, o.Positions(), false)
}

// approve is POST /api/premium-requests/{id}/approve {days?} (admins):
// premium until now + days (default 30).
func (a *premReqAPI) approve(w http.ResponseWriter, r *http.Request) {
	p, ok := a.caller(w, r, true)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err == nil {
		err = b.unknown(map[string]bool{"days": true, "expected_version": true})
	}
	days := 0
	if err == nil {
		days, err = premReqDays(b)
	}
	var version *uint64 // the request's row "version" the admin saw
	if err == nil {
		version, err = requestVersion(r, b)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	row, ok := a.target(w, r)
	if !ok {
		return
	}
	o, err := a.Premium.ApproveRequest(r.Context(), writeMeta(r, p), personnelpremium.ApproveRequest{UserID: row.UserID,
		RequestID: row.RequestID, Days: days, By: personnelpremium.Actor{ID: p.Actor(), Role: personnelpremium.RoleAdmin},
		RequestVersion: version})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusOK, row.RequestID, o.Positions(), true)
}

// deny is POST /api/premium-requests/{id}/deny {note?} (admins).
func (a *premReqAPI) deny(w http.ResponseWriter, r *http.Request) {
	p, ok := a.caller(w, r, true)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err == nil {
		err = b.unknown(map[string]bool{"note": true, "expected_version": true})
	}
	var note *string
	if err == nil {
		note, err = b.text("note")
	}
	var version *uint64 // the request's row "version" the admin saw
	if err == nil {
		version, err = requestVersion(r, b)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	row, ok := a.target(w, r)
	if !ok {
		return
	}
	o, err := a.Premium.RejectRequest(r.Context(), writeMeta(r, p), personnelpremium.RejectRequest{UserID: row.UserID,
		RequestID: row.RequestID, Note: strOr(note), By: personnelpremium.Actor{ID: p.Actor(), Role: personnelpremium.RoleAdmin},
		RequestVersion: version})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusOK, row.RequestID, o.Positions(), false)
}

// premReqDays reads the grant length: absent or null → 0 (the default);
// given, a whole number above 0.
func premReqDays(b rawBody) (int, error) {
	raw, ok := b["days"]
	if !ok || strings.TrimSpace(string(raw)) == "null" {
		return 0, nil
	}
	n, err := b.days()
	if err != nil {
		return 0, apperr.Invalidf("days", premReqMsgDaysNotNumber)
	}
	if n <= 0 {
		return 0, apperr.Invalidf("days", premReqMsgDaysPositive)
	}
	return n, nil
}

// target reads the request an admin decides on; the read model names its
// owner (the aggregate is keyed by the person, the route by the request).
// An unknown id is the legacy "Request <id> tidak valid.".
func (a *premReqAPI) target(w http.ResponseWriter, r *http.Request) (premium.PersonnelRequest, bool) {
	id := chi.URLParam(r, "id")
	row, err := a.Requests.RequestByID(r.Context(), id)
	if errors.Is(err, premium.ErrNotFound) {
		err = apperr.Invalidf("request_id", premReqMsgRequestBad, id)
	}
	if err != nil {
		a.fail(w, r, err)
		return row, false
	}
	return row, true
}

// finish answers a write with the refreshed request (and, for an
// approval, the person's premium): {"success":true,"request":…,
// ["premium":…,]"positions":[…]}.
func (a *premReqAPI) finish(w http.ResponseWriter, r *http.Request, status int, id string, ps []events.Position, withPremium bool) {
	fields := map[string]any{"request": nil}
	if withPremium {
		fields["premium"] = nil
	}
	a.done(w, r, written{status: status, ps: ps, fields: fields,
		fill: func(ctx context.Context, body map[string]any) (bool, error) {
			row, err := a.Requests.RequestByID(ctx, id)
			if errors.Is(err, premium.ErrNotFound) {
				return false, nil
			}
			if err != nil {
				return false, fmt.Errorf("personnel premium answer: %w", err)
			}
			body["request"] = row
			if withPremium {
				prem, err := a.Requests.Premium(ctx, row.UserID)
				if err != nil {
					return false, err
				}
				body["premium"] = prem
			}
			return true, nil
		}})
}

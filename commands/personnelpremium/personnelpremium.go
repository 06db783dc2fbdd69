// Package personnelpremium is the personnel premium aggregate of the
// PREMIUM context: the legacy premium of one member of personnel (spec
// access.md §3.8), keyed by NRP (subject premium.personnel.<NRP>). It holds
// the person's premium requests and their premium state (premium_status,
// premium_end_date): approving a request grants the premium, so both are
// decided on one version. Requests are named by their request_id, a UUID.
//
// Commands (one file each) decide from this subject and, for a new
// request, from the person's DIRECTORY subject (the requester must be a
// registered person), never from read models; handlers.go lists them.
package personnelpremium

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// Request is one premium request as the aggregate knows it.
type Request struct {
	ID            string
	SenderName    string
	AccountNumber string
	BankName      string
	ScreenshotURL string
	Status        string // events.PersonnelRequest*
	// Version is the stream position of the request's last event, the
	// "version" of its read-model row: an admin's decision may name it
	// (If-Match) so that it is made on the details the admin saw.
	Version uint64
}

// Premium is the state of one person's premium, folded from the subject's
// events.
type Premium struct {
	UserID   string
	Requests []*Request // oldest first
	// Active and EndDate are the legacy premium_status and premium_end_date:
	// a grant sets both, the expiry job clears both.
	Active  bool
	EndDate *time.Time
}

// Apply folds one event into the state.
func (p *Premium) Apply(ev events.Payload) {
	switch e := ev.(type) {
	case *events.PersonnelPremiumRequested:
		p.Requests = append(p.Requests, &Request{ID: e.RequestID, SenderName: e.SenderName,
			AccountNumber: e.AccountNumber, BankName: e.BankName, ScreenshotURL: e.ScreenshotURL,
			Status: events.PersonnelRequestPending})
	case *events.PersonnelPremiumRequestUpdated:
		if r := p.Request(e.RequestID); r != nil {
			for _, f := range []struct {
				dst *string
				v   *string
			}{{&r.SenderName, e.SenderName}, {&r.AccountNumber, e.AccountNumber}, {&r.BankName, e.BankName},
				{&r.ScreenshotURL, e.ScreenshotURL}} {
				if f.v != nil {
					*f.dst = *f.v
				}
			}
		}
	case *events.PersonnelPremiumGranted:
		if r := p.Request(e.RequestID); r != nil {
			r.Status = events.PersonnelRequestApproved
		}
		end := e.ExpiresAt
		p.Active, p.EndDate = true, &end
	case *events.PersonnelPremiumRequestRejected:
		if r := p.Request(e.RequestID); r != nil {
			r.Status = events.PersonnelRequestRejected
		}
	case *events.PersonnelPremiumExpired:
		p.Active, p.EndDate = false, nil
	}
}

// Request returns the request with id (nil when there is none).
func (p *Premium) Request(id string) *Request {
	if id == "" {
		return nil
	}
	for _, r := range p.Requests {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Due reports whether the premium is active and its end is at or before now.
func (p *Premium) Due(now time.Time) bool {
	return p.Active && p.EndDate != nil && !p.EndDate.After(now)
}

// Load reads and folds the premium aggregate of a person (a normalised
// NRP) through the command's loader.
func Load(ctx context.Context, l *commands.Loader, nrp string) (Premium, uint64, error) {
	envs, v, err := l.Load(ctx, events.PersonnelPremiumSubject(nrp))
	if err != nil {
		return Premium{}, 0, fmt.Errorf("load personnel premium: %w", err)
	}
	p := Premium{UserID: nrp}
	for i := range envs {
		ev, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return Premium{}, 0, fmt.Errorf("load personnel premium: %w", err)
		}
		p.Apply(ev)
		if r := p.Request(requestIDOf(ev)); r != nil {
			r.Version = envs[i].Position
		}
	}
	return p, v, nil
}

// requestIDOf names the request an event touches ("" for none).
func requestIDOf(ev events.Payload) string {
	switch e := ev.(type) {
	case *events.PersonnelPremiumRequested:
		return e.RequestID
	case *events.PersonnelPremiumRequestUpdated:
		return e.RequestID
	case *events.PersonnelPremiumGranted:
		return e.RequestID
	case *events.PersonnelPremiumRequestRejected:
		return e.RequestID
	}
	return ""
}

// commit wraps events for the aggregate's own subject at version v.
func (p Premium) commit(v uint64, evs ...events.Payload) []events.Commit {
	return []events.Commit{{Subject: events.PersonnelPremiumSubject(p.UserID), AggregateID: p.UserID,
		Expected: v, Events: evs}}
}

// idSpace names the UUIDs this package derives (name-based, SHA-1).
var idSpace = uuid.MustParse("9e4a1c53-62d8-4f0b-8b7e-2d5c0a61f3b4")

// RequestIDFor is the request id RequestPremium uses when the command names
// none: derived from the command id, so a retried command names the same
// request and the caller, knowing its command id, knows the request.
func RequestIDFor(commandID string) string {
	return uuid.NewSHA1(idSpace, []byte("personnel-request/"+commandID)).String()
}

package writeapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
)

// validateEmail: POST /api/claim/validate-email {email}: format, the
// domain accepts mail (MX), and the address is not on a deactivated person.
func (a *claimAPI) validateEmail(w http.ResponseWriter, r *http.Request) {
	b, ok := a.decode(w, r)
	if !ok {
		return
	}
	email := normalize.Email(b.Email.Value)
	switch {
	case email == "":
		claimFail(w, http.StatusBadRequest, claimMsgEmailRequired)
		return
	case !normalize.ValidEmail(email):
		claimFail(w, http.StatusBadRequest, claimMsgEmailFormat)
		return
	}
	if status, msg := a.checkMX(r.Context(), email[strings.LastIndexByte(email, '@')+1:]); status != 0 {
		claimFail(w, status, msg)
		return
	}
	holders, err := a.Directory.PeopleByEmail(r.Context(), email)
	if err != nil {
		a.dbFailed(w, r, err)
		return
	}
	// Active holders come first: the first one inactive means all are.
	if len(holders) > 0 && !holders[0].Status {
		claimFail(w, http.StatusForbidden, claimMsgEmailInactive)
		return
	}
	claimOK(w, http.StatusOK, map[string]string{"message": claimMsgEmailValid})
}

// checkMX answers 0 when the domain receives mail, else the status and
// message to refuse with: 400 for a domain that does not exist or takes no
// mail (no MX, or the "null MX" of RFC 7505), 503 when DNS cannot tell.
func (a *claimAPI) checkMX(ctx context.Context, domain string) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, a.MXTimeout)
	defer cancel()
	mx, err := a.LookupMX(ctx, domain)
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && de.IsNotFound:
		return http.StatusBadRequest, claimMsgEmailDomain
	case err != nil:
		return http.StatusServiceUnavailable, claimMsgDNSUnavailable
	case len(mx) == 0 || len(mx) == 1 && strings.Trim(mx[0].Host, ".") == "":
		return http.StatusBadRequest, claimMsgEmailDomain
	}
	return 0, ""
}

// userData: POST /api/claim/user-data {nrp, email} → the person's row with
// role flags, once (nrp, email) is verified.
func (a *claimAPI) userData(w http.ResponseWriter, r *http.Request) {
	b, ok := a.decode(w, r)
	if !ok {
		return
	}
	nrp, email := normalize.NRP(b.NRP.Value), normalize.Email(b.Email.Value)
	if nrp == "" || email == "" {
		claimFail(w, http.StatusBadRequest, claimMsgNRPEmailRequired)
		return
	}
	verified, err := a.OTP.IsVerified(r.Context(), nrp, email)
	if err != nil {
		a.otpFailed(w, r, err)
		return
	}
	if !verified {
		claimFail(w, http.StatusForbidden, claimMsgNotVerified)
		return
	}
	if p, ok := a.person(w, r, nrp); ok {
		claimOK(w, http.StatusOK, p)
	}
}

// claimUpdate is an /update body checked and normalised.
type claimUpdate struct {
	nrp, email    string
	insta, tiktok *string
	whatsapp      *string
}

// update: PUT /api/claim/update: the verified member changes his own text
// fields, WhatsApp number and handles (never his e-mail). Checks run in
// the legacy order; the changes go through the person commands
// (UpdatePerson, SetHandle), and the answer is the row after them.
func (a *claimAPI) update(w http.ResponseWriter, r *http.Request) {
	b, ok := a.decode(w, r)
	if !ok {
		return
	}
	u, ok := a.checkUpdate(w, r, b)
	if !ok {
		return
	}
	if _, ok := a.person(w, r, u.nrp); !ok {
		return
	}
	positions, err := a.applyUpdate(r.Context(), u, b)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	if _, err := a.OTP.Refresh(r.Context(), u.nrp, u.email); err != nil {
		a.Logger.Warn("claim: refresh verification", "err", err)
	}
	caughtUp := (writer{log: a.Logger, wait: a.WaitForDirectory}).caughtUp(r, positions)
	setWriteHeaders(w, positions, caughtUp)
	if !caughtUp {
		// The row would be from before this update: answer none.
		claimOK(w, http.StatusOK, nil)
		return
	}
	p, ok := a.person(w, r, u.nrp)
	if !ok {
		return
	}
	claimOK(w, http.StatusOK, p)
}

// checkUpdate validates an update body and its verification; false when
// it answered.
func (a *claimAPI) checkUpdate(w http.ResponseWriter, r *http.Request, b claimBody) (claimUpdate, bool) {
	u := claimUpdate{nrp: normalize.NRP(b.NRP.Value), email: normalize.Email(b.Email.Value)}
	if u.nrp == "" || u.email == "" {
		claimFail(w, http.StatusBadRequest, claimMsgNRPEmailRequired)
		return u, false
	}
	// An empty handle means "not provided", as before.
	if b.Insta.given() {
		h, ok := normalize.InstagramHandle(b.Insta.Value)
		if !ok {
			claimFail(w, http.StatusBadRequest, claimMsgInstaFormat)
			return u, false
		}
		u.insta = &h
	}
	if b.Tiktok.given() {
		h, ok := normalize.TiktokHandle(b.Tiktok.Value)
		if !ok {
			claimFail(w, http.StatusBadRequest, claimMsgTiktokFormat)
			return u, false
		}
		u.tiktok = &h
	}
	if !a.checkVerified(w, r, u, b) {
		return u, false
	}
	if b.WhatsApp.Set {
		wa := normalize.WhatsApp(b.WhatsApp.Value) // null and "" clear it
		if b.WhatsApp.Null {
			wa = ""
		}
		if wa != "" && !normalize.ValidWhatsApp(wa) {
			claimFail(w, http.StatusBadRequest, claimMsgPhoneInvalid)
			return u, false
		}
		u.whatsapp = &wa
	}
	switch {
	case u.insta != nil && *u.insta == claimReservedHandle:
		claimFail(w, http.StatusBadRequest, claimMsgInstaReserved)
		return u, false
	case u.tiktok != nil && *u.tiktok == claimReservedHandle:
		claimFail(w, http.StatusBadRequest, claimMsgTiktokReserved)
		return u, false
	}
	return u, true
}

// checkVerified accepts a live verification or a code in the body,
// verified on the spot; false when it answered.
func (a *claimAPI) checkVerified(w http.ResponseWriter, r *http.Request, u claimUpdate, b claimBody) bool {
	verified, err := a.OTP.IsVerified(r.Context(), u.nrp, u.email)
	if err == nil && !verified && b.OTP.given() {
		verified, _, err = a.verify(r.Context(), u.nrp, u.email, b.OTP.text(), newCorrelation())
	}
	if err != nil {
		a.otpFailed(w, r, err)
		return false
	}
	if !verified {
		claimFail(w, http.StatusForbidden, claimMsgNotVerified)
		return false
	}
	return true
}

// applyUpdate runs the person commands an update needs and returns the
// positions they appended.
func (a *claimAPI) applyUpdate(ctx context.Context, u claimUpdate, b claimBody) ([]events.Position, error) {
	meta := claimMeta(u.nrp, newCorrelation(), "")
	var positions []events.Position
	run := func(o commands.Outcome, err error) error {
		positions = append(positions, o.Positions()...)
		return err
	}
	upd := person.UpdatePerson{NRP: u.nrp, Nama: b.Nama.ptr(), Title: b.Title.ptr(), Divisi: b.Divisi.ptr(),
		Jabatan: b.Jabatan.ptr(), Desa: b.Desa.ptr(), WhatsApp: u.whatsapp}
	if upd != (person.UpdatePerson{NRP: u.nrp}) {
		if err := run(a.People.UpdatePerson(ctx, meta, upd)); err != nil {
			return positions, err
		}
	}
	for _, h := range []struct {
		platform string
		handle   *string
	}{{events.PlatformInstagram, u.insta}, {events.PlatformTiktok, u.tiktok}} {
		if h.handle == nil {
			continue
		}
		if err := run(a.People.SetHandle(ctx, meta, person.SetHandle{NRP: u.nrp, Platform: h.platform, Handle: *h.handle})); err != nil {
			return positions, err
		}
	}
	return positions, nil
}

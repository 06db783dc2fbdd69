package writeapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/otp"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections/directory"
)

// requestOTP: POST /api/claim/request-otp {nrp, email} → 202.
// Order: input, the person and the address on file (read model), the
// throttle and code (Redis), the fact (ClaimOTPIssued, carrying the code
// sealed; its decision re-checks the person from its own events), then the
// wait for the mail the OTP saga sends. A code that is not recorded or not
// sent is withdrawn.
func (a *claimAPI) requestOTP(w http.ResponseWriter, r *http.Request) {
	b, ok := a.decode(w, r)
	if !ok {
		return
	}
	nrp, email := normalize.NRP(b.NRP.Value), normalize.Email(b.Email.Value)
	switch {
	case nrp == "" || email == "":
		claimFail(w, http.StatusBadRequest, claimMsgNRPEmailRequired)
		return
	case !normalize.ValidEmail(email):
		claimFail(w, http.StatusBadRequest, claimMsgEmailFormat)
		return
	}
	wa, ok := a.checkClaimable(w, r, nrp, email)
	if !ok {
		return
	}
	ctx := r.Context()
	issued, err := a.OTP.Issue(ctx, nrp, email)
	var te *otp.ThrottledError
	if errors.As(err, &te) {
		secs := retryAfterSeconds(te.RetryAfter)
		setRetryAfter(w, secs)
		httpx.JSON(w, http.StatusTooManyRequests, map[string]any{"success": false,
			"message": fmt.Sprintf(claimMsgThrottled, secs), "retry_after": secs})
		return
	}
	if err != nil {
		a.otpFailed(w, r, err)
		return
	}
	out, err := a.Claims.RequestOTP(ctx, claimMeta(nrp, newCorrelation(), ""),
		claim.RequestOTP{NRP: nrp, Email: email, ExpiresAt: issued.ExpiresAt, SealedCode: a.Seal(issued.Code),
			ByWhatsApp: wa != ""})
	if err != nil {
		a.withdraw(ctx, nrp)
		httpx.Error(w, r, a.Logger, err)
		return
	}
	if len(out.Appended) == 0 {
		// A repeated command id, which a fresh one never is: no mail is due.
		a.withdraw(ctx, nrp)
		httpx.Error(w, r, a.Logger, errors.New("claim: otp request appended nothing"))
		return
	}
	// The saga sends to the address, or to the number's user JID.
	recipient := email
	if wa != "" {
		recipient = waid.UserJID(wa)
	}
	sent, failure, err := awaitDelivery(ctx, a.Deliveries, out.Appended[0].EventIDs, recipient)
	if err != nil || !sent {
		// A code that did not reach the address must not stay valid: the
		// mail may still go out later, with a code that no longer works.
		a.withdraw(ctx, nrp)
		a.Logger.Warn("claim: otp mail not delivered", "failure", failure, "err", err)
		status := http.StatusBadGateway
		if err != nil {
			status = http.StatusServiceUnavailable
		}
		claimFail(w, status, claimMsgSendFailed)
		return
	}
	claimOK(w, http.StatusAccepted, map[string]string{"message": claimMsgOTPSent})
}

// checkClaimable applies the legacy look-ups: the person by NRP (else the
// address tells 409 from 404) and the person's own contact, which — our
// fix — must be on file: the code goes only to a contact the record
// already has. That is the address on file; for a person without one,
// the WhatsApp number on file when a WhatsApp sender exists (returned as
// wa; the address typed then must not be another person's).
func (a *claimAPI) checkClaimable(w http.ResponseWriter, r *http.Request, nrp, email string) (wa string, ok bool) {
	p, err := a.Directory.Person(r.Context(), nrp)
	if err != nil && !errors.Is(err, directory.ErrNotFound) {
		a.dbFailed(w, r, err)
		return "", false
	}
	found := err == nil
	if found && p.Email != "" {
		if normalize.Email(p.Email) != email {
			claimFail(w, http.StatusBadRequest, claimMsgEmailDiffers)
			return "", false
		}
		return "", true
	}
	if found && (!a.CanWhatsApp || waid.UserJID(p.WhatsApp) == "") {
		// No contact on file: a code to whatever address the caller names
		// would let the first comer take the record over. The operator
		// records a contact; then the member claims with it.
		claimFail(w, http.StatusForbidden, claim.MsgNoContact)
		return "", false
	}
	holders, err := a.Directory.PeopleByEmail(r.Context(), email)
	if err != nil {
		a.dbFailed(w, r, err)
		return "", false
	}
	for _, h := range holders {
		if h.UserID != nrp {
			claimFail(w, http.StatusConflict, claimMsgEmailTaken)
			return "", false
		}
	}
	if !found {
		claimFail(w, http.StatusNotFound, claimMsgUserNotFound)
		return "", false
	}
	return p.WhatsApp, true
}

func (a *claimAPI) withdraw(ctx context.Context, nrp string) {
	if err := a.OTP.Withdraw(context.WithoutCancel(ctx), nrp); err != nil {
		a.Logger.Error("claim: withdraw code", "err", err)
	}
}

// verifyOTP: POST /api/claim/verify-otp {nrp, email, otp} → 200
// {"verified":true}; the first verified address of a person without one
// becomes his e-mail.
func (a *claimAPI) verifyOTP(w http.ResponseWriter, r *http.Request) {
	b, ok := a.decode(w, r)
	if !ok {
		return
	}
	nrp, email, code := normalize.NRP(b.NRP.Value), normalize.Email(b.Email.Value), b.OTP.text()
	if nrp == "" || email == "" || code == "" {
		claimFail(w, http.StatusBadRequest, claimMsgVerifyRequired)
		return
	}
	correlation := newCorrelation()
	verified, cause, err := a.verify(r.Context(), nrp, email, code, correlation)
	if err != nil {
		a.otpFailed(w, r, err)
		return
	}
	if !verified {
		claimFail(w, http.StatusBadRequest, claimMsgOTPInvalid)
		return
	}
	p, ok := a.person(w, r, nrp)
	if !ok {
		return
	}
	if p.Email == "" {
		_, err := a.People.UpdatePerson(r.Context(), claimMeta(nrp, correlation, cause),
			person.UpdatePerson{NRP: nrp, Email: &email})
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
	}
	claimOK(w, http.StatusOK, map[string]bool{"verified": true})
}

// claimReasons maps the OTP store's refusals onto the event's reasons.
var claimReasons = map[otp.Reason]string{
	otp.ReasonMismatch:  events.ClaimRejectedMismatch,
	otp.ReasonExhausted: events.ClaimRejectedExhausted,
	otp.ReasonNoCode:    events.ClaimRejectedExpired,
}

// verify checks a code in Redis and records the outcome (VerifyOTP). It
// returns whether the code verified and the id of the ClaimVerified
// event. A verification the claim refuses (a newer code replaced this
// one meanwhile) is taken back and counts as not verified. err is only
// for an unreachable OTP store or event store.
func (a *claimAPI) verify(ctx context.Context, nrp, email, code, correlation string) (bool, string, error) {
	res, err := a.OTP.Verify(ctx, nrp, email, code)
	if err != nil {
		return false, "", err
	}
	cmd := claim.VerifyOTP{NRP: nrp, Email: email, Verified: res.Verified, Attempts: res.Attempts}
	if !res.Verified {
		cmd.Reason = claimReasons[res.Reason]
	}
	out, err := a.Claims.VerifyOTP(ctx, claimMeta(nrp, correlation, ""), cmd)
	switch {
	case err == nil && res.Verified:
		cause := ""
		if len(out.Appended) > 0 && len(out.Appended[0].EventIDs) > 0 {
			cause = out.Appended[0].EventIDs[0]
		}
		return true, cause, nil
	case err == nil:
		return false, "", nil
	case !res.Verified:
		// The answer stands (the code was wrong); only the record is missing.
		if c := apperr.CodeOf(err); c == apperr.Internal || c == apperr.Unavailable {
			a.Logger.Error("claim: record rejected code", "err", err)
		}
		return false, "", nil
	}
	if uerr := a.OTP.Unverify(context.WithoutCancel(ctx), nrp); uerr != nil {
		return false, "", errors.Join(err, uerr)
	}
	if c := apperr.CodeOf(err); c == apperr.Internal || c == apperr.Unavailable {
		// Not a refusal: the store could not record it now (a retry may).
		return false, "", err
	}
	return false, "", nil
}

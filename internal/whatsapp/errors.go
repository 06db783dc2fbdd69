package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.mau.fi/whatsmeow"
)

// ErrPermanent marks a send that retrying cannot fix: an invalid recipient,
// a number not on WhatsApp, a request WhatsApp refuses as malformed.
// sagas/whatsapp turns it into sagas.Permanent.
var ErrPermanent = errors.New("whatsapp: permanent failure")

// ErrNotReady is a send that found no ready session (retryable: the
// session may reconnect, or be paired).
var ErrNotReady = errors.New("whatsapp: session not ready")

// ErrNotOnWhatsApp is a user number that has no WhatsApp account.
var ErrNotOnWhatsApp = errors.New("whatsapp: recipient is not on WhatsApp")

func permanent(err error) error { return fmt.Errorf("%w: %w", ErrPermanent, err) }

// sendError carries a failure whose text has the recipient taken out
// (errors are logged and recorded in MessageFailed; numbers are personal
// data) while errors.Is still reaches whatsmeow's errors.
type sendError struct {
	msg string
	err error
}

func (e *sendError) Error() string { return e.msg }
func (e *sendError) Unwrap() error { return e.err }

// legacyPermanent are the texts the legacy safeSendMessage did not retry
// (spec/ops.md §3.3).
var legacyPermanent = []string{"invalid parameter", "invalid recipient", "not a valid", "bad request", "sendmessage returned no id"}

// serverCode reads the code of whatsmeow's "server returned error N".
var serverCode = regexp.MustCompile(`server returned error (\d{3})`)

// Classify wraps a failed send as permanent (ErrPermanent) or retryable,
// with every occurrence of the recipient's numbers (users: as given and as
// WhatsApp resolved it) taken out of its text. Permanent: our own refusals (already ErrPermanent), recipients
// whatsmeow cannot address, WhatsApp's 4xx answers other than timeouts,
// rate and resource limits and our own authorisation, and the legacy
// non-retryable texts. Everything else — not connected, timeouts, 5xx, a
// cancelled context — is retryable.
func Classify(err error, users ...string) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	for _, u := range users {
		text = redact(text, u)
	}
	out := &sendError{msg: text, err: err}
	if errors.Is(err, ErrPermanent) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return out
	}
	if isPermanent(err, strings.ToLower(text)) {
		return &sendError{msg: ErrPermanent.Error() + ": " + text, err: fmt.Errorf("%w: %w", ErrPermanent, err)}
	}
	return out
}

func isPermanent(err error, lower string) bool {
	switch {
	case errors.Is(err, whatsmeow.ErrUnknownServer), errors.Is(err, whatsmeow.ErrRecipientADJID),
		errors.Is(err, whatsmeow.ErrBroadcastListUnsupported):
		return true
	}
	var iq *whatsmeow.IQError
	if errors.As(err, &iq) && permanentCode(iq.Code) {
		return true
	}
	if m := serverCode.FindStringSubmatch(lower); m != nil {
		if code, _ := strconv.Atoi(m[1]); permanentCode(code) {
			return true
		}
	}
	for _, t := range legacyPermanent {
		if strings.Contains(lower, t) {
			return true
		}
	}
	return false
}

// permanentCode: a 4xx that is about the request, not about time, load or
// our own login (401: the session, which a re-pair fixes).
func permanentCode(code int) bool {
	switch code {
	case 401, 408, 419, 423, 429:
		return false
	}
	return code >= 400 && code < 500
}

// redact replaces the recipient's number wherever it appears.
func redact(s, user string) string {
	if len(user) < 5 {
		return s
	}
	return strings.ReplaceAll(s, user, "<recipient>")
}

package auth

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/httpx"
)

// Reasons sent in the 401 body (SPEC.md §4).
const (
	ReasonMissingToken = "missing_token"
	ReasonInvalidToken = "invalid_token"
	ReasonExpiredToken = "expired_token"
)

// TokenError is a problem with the presented credential. It always answers
// 401 with its Reason. Revoked and unknown sessions are invalid_token: the
// client cannot tell them apart from a forged token, and need not.
type TokenError struct {
	Reason  string
	Message string
	Err     error // the cause, for logs; never shown
}

func (e *TokenError) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}

func (e *TokenError) Unwrap() error { return e.Err }

// Is matches any TokenError of the same reason, so
// errors.Is(err, auth.ErrExpiredToken) works on wrapped causes.
func (e *TokenError) Is(target error) bool {
	var t *TokenError
	return errors.As(target, &t) && t.Reason == e.Reason && t.Err == nil
}

// Sentinels for errors.Is. The messages are the old system's ("Token
// required", "Invalid token"); the reason tells the three apart.
var (
	ErrMissingToken = &TokenError{Reason: ReasonMissingToken, Message: "Token required"}
	ErrInvalidToken = &TokenError{Reason: ReasonInvalidToken, Message: "Invalid token"}
	ErrExpiredToken = &TokenError{Reason: ReasonExpiredToken, Message: "Invalid token"}
)

func invalid(cause error) error {
	return &TokenError{Reason: ReasonInvalidToken, Message: ErrInvalidToken.Message, Err: cause}
}

func expired(cause error) error {
	return &TokenError{Reason: ReasonExpiredToken, Message: ErrExpiredToken.Message, Err: cause}
}

// ForbiddenMessage is the 403 message of the allow-lists (no reason: the
// token is fine, the route is not for it).
const ForbiddenMessage = "Forbidden"

// WriteError answers err: a TokenError as 401 with its reason, an
// *apperr.Error with its mapped status, anything else as a logged 500.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var te *TokenError
	if errors.As(err, &te) {
		httpx.JSON(w, http.StatusUnauthorized, httpx.ErrorBody{Success: false, Message: te.Message, Reason: te.Reason})
		return
	}
	httpx.Error(w, r, log, err)
}

// WriteForbidden answers 403 {"success":false,"message":"Forbidden"}.
func WriteForbidden(w http.ResponseWriter) {
	httpx.JSON(w, http.StatusForbidden, httpx.ErrorBody{Success: false, Message: ForbiddenMessage})
}

// errClientNotAllowed is the operator scoping refusal of spec/access.md §1.3.
func errClientNotAllowed() error { return apperr.New(apperr.Forbidden, "client_id tidak diizinkan") }

// errClientRequired asks a caller with several clients to name one.
func errClientRequired() error { return apperr.Invalidf("client_id", "client_id wajib diisi") }

package rapidapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Code classifies a failed RapidAPI call.
type Code string

const (
	// CodeKeyMissing: RAPIDAPI_KEY is not set; no request was sent.
	CodeKeyMissing Code = "RAPIDAPI_KEY_MISSING"
	// CodeStatus: the API answered with a non-2xx status.
	CodeStatus Code = "HTTP_STATUS"
	// CodeTimeout: no (complete) answer within the client's timeout.
	CodeTimeout Code = "TIMEOUT"
	// CodeNetwork: the connection failed (refused, reset, DNS, …).
	CodeNetwork Code = "NETWORK"
	// CodeTruncated: the body ended early (connection closed mid-body, or
	// JSON that stops before it is complete).
	CodeTruncated Code = "TRUNCATED_BODY"
	// CodeBadResponse: a complete 2xx body that is not the JSON we expect.
	CodeBadResponse Code = "BAD_RESPONSE"
)

// maxErrorBody bounds the body kept in an *Error (and so in logs).
const maxErrorBody = 512

// Error is every failure of a RapidAPI call. Body is the answer's text,
// truncated and with the keys cut out, so it is safe to log. Status is the
// HTTP status (0 when there was no answer; 503 for CodeKeyMissing, as the
// old system reported it).
type Error struct {
	Code   Code
	Op     string // "GET <host>/<path>", or the adapter operation
	Status int
	Body   string
	Err    error // the transport or decode error, when there is one
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("rapidapi")
	if e.Op != "" {
		b.WriteString(": " + e.Op)
	}
	switch {
	case e.Code == CodeKeyMissing:
		b.WriteString(": RAPIDAPI_KEY belum di-set")
	case e.Code == CodeStatus:
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	default:
		b.WriteString(": " + strings.ToLower(strings.ReplaceAll(string(e.Code), "_", " ")))
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	if e.Body != "" {
		b.WriteString(": " + e.Body)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether sending the same request later may succeed:
// 429, 5xx, timeouts, connection failures and truncated bodies. Other 4xx,
// a missing key and malformed 2xx bodies are permanent.
func (e *Error) Retryable() bool {
	switch e.Code {
	case CodeTimeout, CodeNetwork, CodeTruncated:
		return true
	case CodeStatus:
		return e.Status == http.StatusTooManyRequests || e.Status >= 500
	}
	return false
}

// Is makes errors.Is(err, ErrKeyMissing) match by code, and
// errors.Is(err, ErrRetryable) match any retryable *Error.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrRetryable:
		return e.Retryable()
	case ErrKeyMissing:
		return e.Code == CodeKeyMissing
	}
	return false
}

// ErrKeyMissing is returned (wrapped in an *Error naming the operation) by
// every call while RAPIDAPI_KEY is empty. Its message is the old system's:
// "RAPIDAPI_KEY belum di-set".
var ErrKeyMissing = &Error{Code: CodeKeyMissing, Status: http.StatusServiceUnavailable}

// ErrRetryable matches, with errors.Is, every error worth sending again.
var ErrRetryable = errors.New("rapidapi: retryable")

// IsRetryable reports whether err (or an error it wraps) is a retryable
// *Error.
func IsRetryable(err error) bool { return errors.Is(err, ErrRetryable) }

// IsTransient is the narrower rule of the TikTok comment pages (spec §2.3):
// network failures, timeouts, truncated bodies and 5xx — not 429.
func IsTransient(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Retryable() && e.Status != http.StatusTooManyRequests
}

// StatusOf returns the HTTP status carried by err, 0 when none.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// BodyOf returns the (truncated, key-free) body carried by err.
func BodyOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Body
	}
	return ""
}

// safeBody trims body to maxErrorBody bytes and cuts any secret out of it:
// an API that echoes request headers must not leak the key into logs.
func safeBody(body []byte, secrets ...string) string {
	s := string(body)
	for _, k := range secrets {
		if k != "" {
			s = strings.ReplaceAll(s, k, "[redacted]")
		}
	}
	s = strings.TrimSpace(s)
	if len(s) > maxErrorBody {
		cut := maxErrorBody
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// Malformed reports a 2xx answer that lacks what the operation needs.
func Malformed(op, why string) error {
	return &Error{Code: CodeBadResponse, Op: op, Err: errors.New(why)}
}

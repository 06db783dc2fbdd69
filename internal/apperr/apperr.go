// Package apperr is Cicero's one error vocabulary. Domain code returns these;
// the HTTP edge maps Code to a status once and writes Message to the client.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for the edge.
type Code string

const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Unauthorized Code = "unauthorized"
	Forbidden    Code = "forbidden"
	// Unavailable: the request could not be served now (the event store
	// kept answering "busy", a command kept losing races) and may be sent
	// again as it is, with the same command id.
	Unavailable Code = "unavailable"
	Internal    Code = "internal"
)

// Error is a domain error with a user-facing (Indonesian) message.
type Error struct {
	Code    Code
	Message string
	Field   string // the offending input field, when there is one
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Is lets errors.Is(err, apperr.ErrConflict) match any error of that code.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Message == "" && t.Code == e.Code
}

// Sentinels for errors.Is by code.
var (
	ErrInvalid   = &Error{Code: Invalid}
	ErrNotFound  = &Error{Code: NotFound}
	ErrConflict  = &Error{Code: Conflict}
	ErrForbidden = &Error{Code: Forbidden}
	// ErrUnavailable matches any error of code Unavailable.
	ErrUnavailable = &Error{Code: Unavailable}
)

// Invalidf builds a validation error.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// New builds an error of any code.
func New(code Code, msg string) *Error { return &Error{Code: code, Message: msg} }

// CodeOf returns the code of err (Internal for anything unknown).
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the user-facing message, hiding internal details.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "Terjadi kesalahan pada server"
}

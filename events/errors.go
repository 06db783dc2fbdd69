package events

import (
	"errors"

	"github.com/cicero/cicero/internal/apperr"
)

var (
	// ErrConflict: the aggregate moved past the version the decision was made on.
	ErrConflict = errors.New("concurrency conflict")
	// ErrUnknownEventType: a type that is not in the registry.
	ErrUnknownEventType = errors.New("unknown event type")
	// ErrUnavailable: the server kept answering "temporarily unavailable" past the retry budget.
	ErrUnavailable = errors.New("event store temporarily unavailable")
)

// ErrNULInPayload: an event field holds a NUL character, which the read
// models (Postgres text) cannot store. It is a validation error (400).
var ErrNULInPayload = apperr.Invalidf("", "input tidak valid: mengandung karakter NUL")

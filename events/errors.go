package events

import "errors"

var (
	// ErrConflict: the aggregate moved past the version the decision was made on.
	ErrConflict = errors.New("concurrency conflict")
	// ErrUnknownEventType: a type that is not in the registry.
	ErrUnknownEventType = errors.New("unknown event type")
	// ErrUnavailable: the server kept answering "temporarily unavailable" past the retry budget.
	ErrUnavailable = errors.New("event store temporarily unavailable")
)

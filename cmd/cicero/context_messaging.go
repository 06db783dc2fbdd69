package main

import "github.com/cicero/cicero/events"

// messagingContext is MESSAGING: the outcomes of the sagas' deliveries.
// The dispatchers that record them run in serve (app.go).
func messagingContext() boundedContext {
	return boundedContext{
		name: "messaging",
		unconsumed: map[string]string{
			events.MessageDelivered{}.EventType(): "the dispatcher copies the outcome onto its outbox row; the history is the audit trail",
			events.MessageFailed{}.EventType():    "the dispatcher copies the outcome onto its outbox row; the history is the audit trail",
		},
	}
}

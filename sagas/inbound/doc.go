// Package inbound is the WhatsApp router: it reads the messages the three
// WhatsApp sessions receive (whatsmeow message events), keeps each chat's
// menu state in Redis, turns what a sender asks for into commands with the
// sender as actor, and answers through the outbox: every reply is a queued
// message (commands/outgoing), keyed by the inbound message id so that a
// redelivered message changes nothing and is answered once. Nothing is
// sent inline. Routing order and texts follow spec/ops.md §3.6–3.8 and
// spec/access.md §1.9, §3.5, §3.8.
//
// It imports events/, commands/ and internal/; the read models it consults
// (who a number belongs to, a client, a premium request's owner) come
// through the small interfaces in deps.go, adapted in cmd/cicero.
package inbound

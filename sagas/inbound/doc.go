// Package inbound is the WhatsApp router: it reads the messages the three
// WhatsApp sessions receive (whatsmeow message events), keeps each chat's
// menu state in Redis, turns what a sender asks for into commands with the
// sender as actor, and answers through the outbox: every reply is a queued
// message (commands/outgoing), keyed by the inbound message id so that a
// redelivered message changes nothing and is answered once. Nothing is
// sent inline. Routing order and texts follow spec/ops.md §3.6–3.8 and
// spec/access.md §1.9, §3.5, §3.8; README "WhatsApp commands" lists them.
//
// Files: router.go (entry, sender, session routing), routes.go (the order
// per session), turn.go (one message: replies, command metas), sessions.go
// (Redis state), one file per command family and menu.
//
// It imports events/, commands/, sagas/ and internal/, never a read
// model: what it reads (who a number belongs to, a client, a premium
// request's owner, the recap texts, the directorate reports) comes
// through the small interfaces of deps.go, adapted in
// cmd/cicero/whatsapp_router.go.
package inbound

// Package whatsapp is the WhatsApp adapter on whatsmeow (multi-device): the
// three legacy sessions (spec/ops.md §3.1) — wa (main/operator), wa-user
// (personnel self-service) and wa-gateway (broadcasts, first in every
// fallback chain) — their readiness, pairing by QR, the device store in
// our Postgres, sending (serialised per session, gated on readiness, with
// message ids derived from the outbox's idempotency key) and delivering
// inbound messages to a MessageHandler.
//
// Everything this package asks of whatsmeow's *Client is the small Client
// interface, so the sending logic is tested with whatsmeow's real types
// (waE2E.Message, types.JID) against whatsapptest.Recorder. The saga
// dispatcher's Sender over it lives in sagas/whatsapp. This package imports
// no package of ours outside internal/: pairing and logout are reported
// through the Lifecycle interface (commands/wasession in serve).
package whatsapp

// Package googlecontact saves personnel's WhatsApp numbers as Google
// contacts when they are bound (spec/access.md §6.10): a saga turns the
// directory events that set a person's number into outbox rows on channel
// sagas.ChannelGoogleContact, and Sender, the dispatcher's adapter for that
// channel, saves each through internal/google/contacts. The outbox key makes
// a replay queue nothing new; saved_contact and the address-book search make
// a repeated row (another event for the same number, a retry after a crash)
// save nothing twice.
package googlecontact

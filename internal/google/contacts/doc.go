// Package contacts saves WhatsApp numbers as Google contacts through the
// People API (spec/access.md §6.10), so the WhatsApp bot's account knows
// them. A number is saved once: an in-process cache of numbers handled
// lately, the saved_contact table of numbers saved for good, and a search
// of the address book before creating. After Google refuses our
// credentials or quota the saver cools down and answers ErrCoolingDown
// without calling Google.
//
// It imports only standard and chosen libraries and internal/normalize.
package contacts

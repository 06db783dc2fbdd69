// Package complainttext holds the pure text logic of complaints (komplain,
// spec/access.md §5): parsing a "Pesan Komplain" message (§5.3), detecting
// known issues in its lines (§5.4) and composing the answer (§5.5). No
// I/O: the solution builders that need read models (likes recorded since
// 2025-09-01, RapidAPI profile checks, link reports of the day) live with
// the caller, which passes their results in.
//
// It imports only the standard library.
package complainttext

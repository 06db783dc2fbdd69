// Package recaptext renders the WhatsApp/text recaps of spec/social.md §5
// (task broadcast, absensi likes/comments, directorate accumulations,
// TikTok analytic, fetch summaries, per-content recaps) as pure functions:
// no I/O, no clock, no database. Callers (sagas, jobs, CLI) read the read
// models, fill the small input types of this package and send the string.
//
// Classification thresholds differ by report and are reproduced per report
// (spec/social.md §3.2); ordering follows §3.4/§3.5, with the satker
// priority applied to the person's client name (SPEC.md §5.8 fixes the old
// comparison on the person's own name). Every day and time is Asia/Jakarta.
//
// It imports only the standard library and internal/jakarta.
package recaptext

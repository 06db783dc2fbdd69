// Package premium holds the sagas of the PREMIUM context: the WhatsApp
// notices its events make due — the admins' broadcast of a dashboard
// premium request and of its expiry, the requester's approval, denial and
// expiry messages, the subscription-ended message, and the personnel
// (mobile) premium screenshot notice and grant/deny messages. Texts are the
// legacy ones (spec/access.md §3.5–§3.8, spec/ops.md §3.7, §3.9, §5.4).
// Premium events name the dashboard user or the NRP; the numbers and
// request details come from history as it stood at the event
// (sagas.History). It imports events, commands (for the aggregates' folds)
// and the sagas runtime only.
package premium

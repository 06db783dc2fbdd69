package main

import "github.com/cicero/cicero/readapi/audit"

// auditRows: the auditor's routes (readapi/audit). Admins only, reads
// (no conflict, no replay, no client scope: an admin reads every client).
// Each route has its invalid input, a directorate user (wrong kind) and a
// revoked admin session.
func (w *badWorld) auditRows() []badRow {
	const (
		history = "/api/audit/history/{kind}/{id}"
		state   = "/api/audit/state/{kind}/{id}"
		diff    = "/api/audit/diff/{kind}/{id}"
		evs     = "/api/audit/events"
		aggs    = "/api/audit/aggregates"
		why     = "/api/audit/why/{nrp}"
		reads   = "/api/audit/reads"
	)
	person := func(prefix string) string { return prefix + "/person/" + w.pA1 }
	others := func(route, path string) []badRow {
		return []badRow{
			{method: get, route: route, path: path, kind: badWrongKind, caller: w.dirB, status: s403, message: badMsgForbidden},
			{method: get, route: route, path: path, kind: badWrongKind, variant: "operator", caller: w.opr, status: s403, message: badMsgForbidden},
			{method: get, route: route, path: path, kind: badRevoked, caller: w.adminGone, status: s401,
				message: badMsgInvalidTok, reason: badReasonInvalid},
		}
	}
	rows := []badRow{
		{method: get, route: history, path: "/api/audit/history/planet/1", kind: badInvalid, caller: w.admin,
			status: s400, message: audit.MsgUnknownKind},
		{method: get, route: state, path: person("/api/audit/state") + "?position=0", kind: badInvalid, caller: w.admin,
			status: s400, message: audit.MsgPosition},
		{method: get, route: state, path: person("/api/audit/state") + "?position=3&at=2026-01-01", kind: badInvalid, variant: "both",
			caller: w.admin, status: s400, message: audit.MsgAsOf},
		{method: get, route: state, path: "/api/audit/state/social.fetch/run1", kind: badInvalid, variant: "no-state",
			caller: w.admin, status: s400, message: audit.MsgNoState},
		{method: get, route: diff, path: person("/api/audit/diff"), kind: badInvalid, caller: w.admin,
			status: s400, message: audit.MsgAsOf},
		{method: get, route: diff, path: person("/api/audit/diff") + "?at=kemarin", kind: badInvalid, variant: "at",
			caller: w.admin, status: s400, message: audit.MsgAt},
		{method: get, route: evs, path: evs + "?stream=NOPE", kind: badInvalid, caller: w.admin, status: s400, message: audit.MsgStream},
		{method: get, route: evs, path: evs + "?type=PersonExploded", kind: badInvalid, variant: "type", caller: w.admin,
			status: s400, message: audit.MsgType},
		{method: get, route: evs, path: evs + "?since=2026-03-05&until=2026-03-01", kind: badInvalid, variant: "flip",
			caller: w.admin, status: s400, message: audit.MsgRangeFlip},
		{method: get, route: evs, path: evs + "?limit=501", kind: badInvalid, variant: "limit", caller: w.admin,
			status: s400, message: audit.MsgLimit},
		{method: get, route: evs, path: evs + "?cursor=abc", kind: badInvalid, variant: "cursor", caller: w.admin,
			status: s400, message: audit.MsgCursor},
		{method: get, route: aggs, path: aggs + "?limit=0", kind: badInvalid, caller: w.admin, status: s400, message: audit.MsgLimit},
		{method: get, route: why, path: "/api/audit/why/" + w.pA1 + "?date=03-12-2026", kind: badInvalid, caller: w.admin,
			status: s400, message: audit.MsgDate},
		{method: get, route: why, path: "/api/audit/why/" + w.pA1 + "?date=2026-12-03&platform=facebook", kind: badInvalid,
			variant: "platform", caller: w.admin, status: s400, message: audit.MsgPlatform},
		{method: get, route: reads, path: reads + "?before=-1", kind: badInvalid, caller: w.admin, status: s400, message: audit.MsgBefore},
	}
	rows = append(rows, others(history, person("/api/audit/history"))...)
	rows = append(rows, others(state, person("/api/audit/state"))...)
	rows = append(rows, others(diff, person("/api/audit/diff")+"?position=1")...)
	rows = append(rows, others(evs, evs)...)
	rows = append(rows, others(aggs, aggs)...)
	rows = append(rows, others(why, "/api/audit/why/"+w.pA1+"?date=2026-12-03")...)
	rows = append(rows, others(reads, reads)...)
	return rows
}

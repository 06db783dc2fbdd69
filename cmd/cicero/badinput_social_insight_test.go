package main

import "github.com/cicero/cicero/internal/period"

// socialInsightRows: the premium insight cards (GET, behind the premium
// guard, scoped like rekap-likes / rekap-komentar). Reads are never
// de-duplicated (no replay kind) and take no version (no conflict kind).
func (w *badWorld) socialInsightRows() []badRow {
	var rows []badRow
	for _, route := range []string{"/api/dashboard/premium/executive-recap", "/api/dashboard/premium/risk-summary"} {
		rows = append(rows,
			badRow{method: get, route: route, path: route + "?platform=facebook", kind: badInvalid, caller: w.premOpr,
				status: s400, message: "platform harus instagram atau tiktok"},
			badRow{method: get, route: route, path: route + "?periode=tahunan", kind: badInvalid, variant: "periode", caller: w.premOpr,
				status: s400, message: period.MsgPeriode},
			badRow{method: get, route: route, path: route + "?start_date=2026-02-01&end_date=2026-01-01", kind: badInvalid,
				variant: "range-flipped", caller: w.premOpr, status: s400, message: period.MsgRangeFlip},
			badRow{method: get, route: route, path: route + "?scope=polda&role=operator", kind: badInvalid, variant: "scope",
				caller: w.premOpr, status: s400, message: "scope tidak valid"},
			badRow{method: get, route: route, path: route + "?client_id=POLRESB", kind: badWrongClient, caller: w.premOpr,
				status: s403, message: badMsgNotAllowed},
			badRow{method: get, route: route, kind: badWrongKind, variant: "no-premium", caller: w.opr,
				status: s403, message: "Akses premium diperlukan untuk endpoint ini"},
			badRow{method: get, route: route, kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
			badRow{method: get, route: route, kind: badRevoked, caller: w.adminGone, status: s401, message: badMsgInvalidTok,
				reason: badReasonInvalid},
		)
	}
	return rows
}

package main

import "github.com/cicero/cicero/internal/period"

// socialReadRows: the dashboard's post, aggregator, rapid and summary
// reads (readapi/social_*.go). Every GET names a client (or an account of
// one) and takes parameters: invalid, wrong client, wrong kind and revoked
// apply; reads take no version (no conflict) and are never de-duplicated
// (no replay). The refresh POST is a write: no expected version (no
// conflict), and the identical refresh again is 429. The world has no
// direktorat client, so the admin's refresh of every target launches
// nothing (no fetch against the fake platform).
func (w *badWorld) socialReadRows() []badRow {
	const (
		aggNoClient  = "client_id atau header x-client-id wajib diisi (atau gunakan token dengan satu client_id)"
		aggOperator  = "client_id tidak terdaftar untuk operator ini. Gunakan client_id yang ada di token."
		ttUsername   = "Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."
		noUsername   = "username wajib diisi"
		notDirektora = "Client tidak memenuhi kriteria direktorat aktif dengan sosmed"
		refresh      = "/api/aggregator/refresh"
		summary      = "/api/clients/{client_id}/summary"
		noClient     = "client_id wajib diisi"
	)
	// gets are the four GET kinds of one route: the invalid call, another
	// client's data, a caller the route is not for, a revoked session.
	gets := func(route, invalidPath, invalidMsg, wrongClientPath, wrongClientMsg, wrongKind, okPath string) []badRow {
		return []badRow{
			{method: get, route: route, path: invalidPath, kind: badInvalid, caller: w.dirB, status: s400, message: invalidMsg},
			{method: get, route: route, path: wrongClientPath, kind: badWrongClient, caller: w.dirB, status: s403, message: wrongClientMsg},
			{method: get, route: route, path: okPath, kind: badWrongKind, caller: wrongKind, status: s403, message: badMsgForbidden},
			{method: get, route: route, path: okPath, kind: badRevoked, caller: w.adminGone, status: s401,
				message: badMsgInvalidTok, reason: badReasonInvalid},
		}
	}
	var rows []badRow
	rows = append(rows, gets("/api/insta/posts", "/api/insta/posts", noClient,
		"/api/insta/posts?client_id=POLRESA", badMsgNotAllowed, w.opr, "/api/insta/posts?client_id=POLRESA")...)
	rows = append(rows, gets("/api/instagram/posts", "/api/instagram/posts?client_id=POLRESB&periode=tahunan", period.MsgPeriode,
		"/api/instagram/posts?client_id=POLRESA", badMsgNotAllowed, w.opr, "/api/instagram/posts?client_id=POLRESA")...)
	rows = append(rows, badRow{method: get, route: "/api/instagram/posts", path: "/api/instagram/posts?client_id=POLRESB&scope=polda",
		kind: badInvalid, variant: "scope", caller: w.dirB, status: s400, message: "scope tidak valid"})
	rows = append(rows, gets("/api/tiktok/posts", "/api/tiktok/posts?client_id=POLRESB&tanggal=kemarin", period.MsgTanggal,
		"/api/tiktok/posts?client_id=POLRESA", badMsgNotAllowed, w.personnel, "/api/tiktok/posts?client_id=POLRESA")...)
	rows = append(rows, badRow{method: get, route: "/api/tiktok/posts", path: "/api/tiktok/posts?client_id=POLRESA",
		kind: badWrongClient, variant: "client-token", caller: w.clientTok, status: s403, message: badMsgNotAllowed})
	for _, route := range []string{"/api/aggregator", "/api/social/aggregator"} {
		rows = append(rows, gets(route, route, aggNoClient, route+"?client_id=POLRESA", badMsgNotAllowed, w.penmas, route+"?client_id=POLRESA")...)
		rows = append(rows,
			badRow{method: get, route: route, path: route + "?client_id=POLRESA&periode=kemarin", kind: badInvalid, variant: "periode",
				caller: w.admin, status: s400, message: period.MsgPeriode},
			badRow{method: get, route: route, path: route + "?client_id=POLRESB", kind: badWrongClient, variant: "operator",
				caller: w.opr, status: s403, message: aggOperator},
		)
	}
	for _, base := range []string{"/api/insta/rapid-profile", "/api/insta/rapid-posts"} {
		rows = append(rows, gets(base, base+"?username=", noUsername, base+"?username=polres_e", badMsgNotAllowed,
			w.personnel, base+"?username=polres_e")...)
	}
	for _, base := range []string{"/api/tiktok/rapid-profile", "/api/tiktok/rapid-posts"} {
		rows = append(rows, gets(base, base+"?username=tiktok.com/@bukan%20akun!", ttUsername, base+"?username=@polres_e",
			badMsgNotAllowed, w.opr, base+"?username=@polres_e")...)
		rows = append(rows, badRow{method: get, route: base, path: base, kind: badInvalid, variant: "missing", caller: w.dirB,
			status: s400, message: noUsername})
	}
	rows = append(rows, gets(summary, "/api/clients/POLRESB/summary?start_date=2026-03-05&end_date=2026-03-01", period.MsgRangeFlip,
		"/api/clients/POLRESA/summary", badMsgNotAllowed, w.opr, "/api/clients/POLRESA/summary")...)
	rows = append(rows,
		badRow{method: get, route: "/api/instagram/posts", path: "/api/instagram/posts?client_id=POLRESB&regional_id=%00", kind: badInvalid, variant: "nul",
			caller: w.dirB, status: s400, message: "regional_id tidak valid: mengandung karakter NUL"},
		badRow{method: get, route: "/api/aggregator", path: "/api/aggregator?client_id=POLRESA%00", kind: badInvalid, variant: "nul",
			caller: w.admin, status: s400, message: "client_id tidak valid: mengandung karakter NUL"},
		badRow{method: get, route: summary, path: "/api/clients/POLRESA%00/summary", kind: badInvalid, variant: "nul",
			caller: w.admin, status: s400, message: "client_id tidak valid: mengandung karakter NUL"},
		badRow{method: post, route: refresh, kind: badInvalid, variant: "nul", caller: w.admin, body: `{"regional_id":"\u0000"}`,
			status: s400, message: "regional_id tidak valid: mengandung karakter NUL"},
		badRow{method: post, route: refresh, kind: badInvalid, caller: w.admin, body: `{"client_id":"POLRESA"}`,
			status: s400, message: notDirektora},
		badRow{method: post, route: refresh, kind: badInvalid, variant: "unknown-field", caller: w.admin, body: `{"client":"POLRESA"}`,
			status: s400, message: "Field tidak diizinkan: client"},
		badRow{method: post, route: refresh, kind: badWrongClient, caller: w.dirC, body: `{"client_id":"POLRESA"}`,
			status: s403, message: badMsgNotAllowed},
		badRow{method: post, route: refresh, kind: badWrongKind, caller: w.opr, body: `{"client_id":"POLRESA"}`,
			status: s403, message: badMsgForbidden},
		badRow{method: post, route: refresh, kind: badWrongKind, variant: "personnel", caller: w.personnel, body: `{"client_id":"POLRESA"}`,
			status: s403, message: badMsgForbidden},
		badRow{method: post, route: refresh, kind: badRevoked, caller: w.adminGone, body: `{"client_id":"POLRESA"}`,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		badRow{method: post, route: refresh, kind: badReplay, caller: w.admin, body: `{"skipPostRefresh":true}`,
			firstStatus: s200, status: s429, message: badMsgDuplicate},
	)
	return rows
}

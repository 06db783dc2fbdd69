package main

import "github.com/cicero/cicero/internal/period"

// socialRecapRows: the attendance recaps (GET). Reads are never
// de-duplicated (no replay kind) and take no version (no conflict kind).
func (w *badWorld) socialRecapRows() []badRow {
	const (
		likes, ditbinmas = "/api/insta/rekap-likes", "/api/likes/instagram"
		komentar, stats  = "/api/tiktok/rekap-komentar", "/api/dashboard/stats"
	)
	return []badRow{
		{method: get, route: likes, kind: badInvalid, caller: w.admin, status: s400, message: "client_id wajib diisi"},
		{method: get, route: likes, path: likes + "?client_id=POLRESA&scope=kabupaten", kind: badInvalid, variant: "scope",
			caller: w.admin, status: s400, message: "scope tidak valid"},
		{method: get, route: likes, path: likes + "?client_id=POLRESA&periode=tahunan", kind: badInvalid, variant: "periode",
			caller: w.admin, status: s400, message: period.MsgPeriode},
		{method: get, route: likes, path: likes + "?client_id=POLRESA&scope=direktorat&role=operator", kind: badInvalid,
			variant: "directorate-role", caller: w.admin, status: s400, message: "role direktorat tidak valid"},
		{method: get, route: likes, path: likes + "?client_id=POLRESB", kind: badWrongClient, caller: w.opr,
			status: s403, message: badMsgNotAllowed},
		{method: get, route: likes, path: likes + "?client_id=POLRESA&role=ditbinmas&scope=org", kind: badWrongClient, variant: "directorate",
			caller: w.dirB, status: s403, message: badMsgNotAllowed},
		{method: get, route: likes, path: likes + "?client_id=POLRESA", kind: badWrongKind, caller: w.personnel,
			status: s403, message: badMsgForbidden},
		{method: get, route: likes, path: likes + "?client_id=POLRESA", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		{method: get, route: ditbinmas, path: ditbinmas + "?periode=tahunan", kind: badInvalid, caller: w.admin,
			status: s400, message: period.MsgPeriode},
		{method: get, route: ditbinmas, kind: badWrongClient, caller: w.dirC, status: s403, message: badMsgNotAllowed},
		{method: get, route: ditbinmas, kind: badWrongKind, caller: w.opr, status: s403, message: badMsgForbidden},
		{method: get, route: ditbinmas, kind: badWrongKind, variant: "personnel", caller: w.personnel, status: s403, message: badMsgForbidden},
		{method: get, route: ditbinmas, kind: badRevoked, caller: w.adminGone, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		{method: get, route: komentar, path: komentar + "?client_id=POLRESA&tanggal=2026-13-45", kind: badInvalid, caller: w.admin,
			status: s400, message: period.MsgTanggal},
		// Year 0 parses in Go but Postgres has no such date: 400, not 500.
		{method: get, route: komentar, path: komentar + "?client_id=POLRESA&tanggal=0000-01-01", kind: badInvalid, variant: "year-zero",
			caller: w.admin, status: s400, message: period.MsgTanggal},
		{method: get, route: likes, path: likes + "?client_id=POLRESA&regional_id=%00", kind: badInvalid, variant: "nul-regional",
			caller: w.admin, status: s400, message: "regional_id tidak valid: mengandung karakter NUL"},
		{method: get, route: likes, path: likes + "?client_id=POLRESA%00", kind: badInvalid, variant: "nul-client",
			caller: w.admin, status: s400, message: "client_id tidak valid: mengandung karakter NUL"},
		{method: get, route: komentar, path: komentar + "?client_id=POLRESA&role=%00", kind: badInvalid, variant: "nul-role",
			caller: w.admin, status: s400, message: "role tidak valid: mengandung karakter NUL"},
		{method: get, route: likes, path: likes + "?client_id=POLRESA&periode=bulanan&tanggal=0000-05", kind: badInvalid, variant: "year-zero",
			caller: w.admin, status: s400, message: period.MsgBulan},
		{method: get, route: stats, path: stats + "?client_id=POLRESA&start_date=0000-12-31T23:00:00%2B14:00&end_date=2026-01-01",
			kind: badInvalid, variant: "year-zero", caller: w.admin, status: s400, message: period.MsgRangeDate},
		{method: get, route: komentar, path: komentar + "?client_id=POLRESA&scope=kabupaten", kind: badInvalid, variant: "scope",
			caller: w.admin, status: s400, message: "scope tidak valid"},
		{method: get, route: komentar, path: komentar + "?client_id=POLRESB", kind: badWrongClient, caller: w.opr,
			status: s403, message: badMsgNotAllowed},
		{method: get, route: komentar, path: komentar + "?client_id=POLRESA", kind: badWrongKind, caller: w.personnel,
			status: s403, message: badMsgForbidden},
		{method: get, route: komentar, path: komentar + "?client_id=POLRESA", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

		{method: get, route: stats, path: stats + "?client_id=POLRESA&start_date=2026-01-01", kind: badInvalid, caller: w.admin,
			status: s400, message: period.MsgRangePair},
		{method: get, route: stats, path: stats + "?client_id=POLRESA&end_date=2026-01-01&start_date=2026-02-01", kind: badInvalid,
			variant: "range-flipped", caller: w.admin, status: s400, message: period.MsgRangeFlip},
		{method: get, route: stats, path: stats + "?client_id=POLRESA&role=ditbinmas&scope=org", kind: badWrongClient, caller: w.dirB,
			status: s403, message: badMsgNotAllowed},
		{method: get, route: stats, path: stats + "?client_id=POLRESA", kind: badWrongKind, caller: w.personnel,
			status: s403, message: badMsgForbidden},
		{method: get, route: stats, path: stats + "?client_id=POLRESD", kind: badWrongKind, variant: "client-token", caller: w.clientTok,
			status: s403, message: badMsgForbidden},
		{method: get, route: stats, path: stats + "?client_id=POLRESA", kind: badRevoked, caller: w.adminGone,
			status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
	}
}

package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/period"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
)

// amplifyRows: the link report routes and the amplification recaps.
// Reads filter to the caller's scope instead of refusing (no wrong-client
// kind on the lists), and are never de-duplicated. Only PUT takes an
// expected version (POST's duplicate rule is decided from the report's
// history, and a lost race is a 400 duplicate; DELETE takes none).
func (w *badWorld) amplifyRows() []badRow {
	const (
		lr, lrOne, lrX, lrXU    = "/api/link-reports", "/api/link-reports/{shortcode}", "/api/link-reports/excel", "/api/link-reports/excel/by-user-shortcode"
		lk, lkOne, lkX, lkXU    = "/api/link-reports-khusus", "/api/link-reports-khusus/{shortcode}", "/api/link-reports-khusus/excel", "/api/link-reports-khusus/excel/by-user-shortcode"
		rekap, rekapX, rk1, rk2 = "/api/amplify/rekap", "/api/amplify/rekap/excel", "/api/amplify/rekap-khusus", "/api/amplify-khusus/rekap"
		nulUser                 = "user_id tidak valid: mengandung karakter NUL"
	)
	var rows []badRow
	for _, k := range []struct{ list, one, x, xu, code string }{
		{lr, lrOne, lrX, lrXU, "/api/link-reports/" + badPostKnown},
		{lk, lkOne, lkX, lkXU, "/api/link-reports-khusus/" + badPostKnown},
	} {
		rows = append(rows,
			badRow{method: get, route: k.list, path: k.list + "?user_id=%00", kind: badInvalid, caller: w.admin, status: s400, message: nulUser},
			badRow{method: get, route: k.list, kind: badWrongKind, caller: w.opr, status: s403, message: badMsgForbidden},
			badRow{method: get, route: k.list, kind: badWrongKind, variant: "client-token", caller: w.clientTok, status: s403, message: badMsgForbidden},
			badRow{method: get, route: k.list, kind: badRevoked, caller: w.adminGone, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},

			badRow{method: get, route: k.one, path: k.code + "?user_id=%00", kind: badInvalid, caller: w.admin, status: s400, message: nulUser},
			badRow{method: get, route: k.one, path: k.code, kind: badWrongKind, caller: w.opr, status: s403, message: badMsgForbidden},
			badRow{method: get, route: k.one, path: k.code, kind: badRevoked, caller: w.adminGone, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		)
		for _, x := range []string{k.x, k.xu} {
			rows = append(rows,
				badRow{method: get, route: x, kind: badInvalid, caller: w.admin, status: s400, message: "client_id wajib diisi"},
				badRow{method: get, route: x, path: x + "?client_id=POLRESA", kind: badWrongClient, caller: w.dirB, status: s403, message: badMsgNotAllowed},
				badRow{method: get, route: x, path: x + "?client_id=POLRESA", kind: badWrongKind, caller: w.personnel, status: s403, message: badMsgForbidden},
				badRow{method: get, route: x, path: x + "?client_id=POLRESA", kind: badRevoked, caller: w.adminGone, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
			)
		}
		rows = append(rows, badRow{method: get, route: k.xu, path: k.xu + "?client_id=POLRESA&periode=tahunan", kind: badInvalid,
			variant: "periode", caller: w.admin, status: s400, message: period.MsgPeriode})

		// PUT and DELETE of a report that does not exist answer data null
		// (legacy), so their replays start from a 200.
		put1 := badJSON(badObj{"user_id": w.pA3, "instagram_link": "https://www.instagram.com/p/" + badPostKnown})
		rows = append(rows,
			badRow{method: put, route: k.one, path: k.code, kind: badInvalid, caller: w.admin,
				body: badJSON(badObj{"user_id": w.pA3, "bogus": 1}), status: s400, message: "Field tidak diizinkan: bogus"},
			badRow{method: put, route: k.one, path: k.code, kind: badWrongClient, caller: w.personnel,
				body: put1, status: s403, message: "user_id tidak diizinkan"},
			badRow{method: put, route: k.one, path: k.code, kind: badWrongKind, caller: w.clientTok,
				body: put1, status: s403, message: badMsgForbidden},
			badRow{method: put, route: k.one, path: k.code, kind: badRevoked, caller: w.adminGone,
				body: put1, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
			badRow{method: put, route: k.one, path: k.code, kind: badReplay, caller: w.admin, body: put1,
				firstStatus: s200, status: s429, message: badMsgDuplicate},

			badRow{method: del, route: k.one, path: k.code, kind: badInvalid, caller: w.admin, status: s400, message: "user_id wajib diisi"},
			badRow{method: del, route: k.one, path: k.code + "?user_id=" + w.pA3, kind: badWrongClient, caller: w.personnel,
				status: s403, message: "user_id tidak diizinkan"},
			badRow{method: del, route: k.one, path: k.code + "?user_id=" + w.pA3, kind: badWrongKind, caller: w.opr,
				status: s403, message: badMsgForbidden},
			badRow{method: del, route: k.one, path: k.code + "?user_id=" + w.pA3, kind: badRevoked, caller: w.adminGone,
				status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
			badRow{method: del, route: k.one, path: k.code + "?user_id={{nrp}}", kind: badReplay, caller: w.admin,
				before: w.amplifyPerson(len(rows)), firstStatus: s200, status: s429, message: badMsgDuplicate},
		)
	}
	rows = append(rows,
		badRow{method: put, route: lkOne, path: "/api/link-reports-khusus/" + badPostKnown, kind: badInvalid, variant: "other-platform",
			caller: w.admin, body: badJSON(badObj{"user_id": w.pA3, "facebook_link": "https://fb.com/x"}), status: s400,
			message: "Only instagram_link is allowed for special assignment updates"},
		badRow{method: put, route: lkOne, path: "/api/link-reports-khusus/" + badPostKnown, kind: badInvalid, variant: "not-a-post",
			caller: w.admin, body: badJSON(badObj{"user_id": w.pA3, "instagram_link": "https://example.com/x"}), status: s400,
			message: "instagram_link must be a valid Instagram post URL"},
	)

	// A PUT naming another version of the report than it has: 409.
	rows = append(rows, badRow{method: put, route: lrOne, path: "/api/link-reports/" + badPostTagged, kind: badConflict, caller: w.admin,
		body: `{"user_id":"{{nrp}}","twitter_link":"https://x.com/late"}`, header: map[string]string{"If-Match": "999999999"},
		before: w.amplifyReport(93), status: s409, message: badMsgStale})

	// POST /api/link-reports.
	regular := badJSON(badObj{"user_id": w.pA3, "shortcode": badPostKnown, "facebook_link": "lihat https://fb.com/a"})
	rows = append(rows,
		badRow{method: post, route: lr, kind: badInvalid, caller: w.admin, body: badJSON(badObj{"user_id": w.pA3}),
			status: s400, message: "shortcode wajib diisi"},
		badRow{method: post, route: lr, kind: badInvalid, variant: "unknown-post", caller: w.admin,
			body: badJSON(badObj{"user_id": w.pA3, "shortcode": "Cnone0001"}), status: s400, message: "shortcode not found or older than 2 days"},
		badRow{method: post, route: lr, kind: badInvalid, variant: "no-user", caller: w.admin,
			body: badJSON(badObj{"shortcode": badPostKnown}), status: s400, message: "user_id wajib diisi"},
		badRow{method: post, route: lr, kind: badWrongClient, caller: w.personnel, body: regular, status: s403, message: "user_id tidak diizinkan"},
		badRow{method: post, route: lr, kind: badWrongKind, caller: w.clientTok, body: regular, status: s403, message: badMsgForbidden},
		badRow{method: post, route: lr, kind: badRevoked, caller: w.adminGone, body: regular, status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		badRow{method: post, route: lr, kind: badReplay, caller: w.admin, firstStatus: s201, status: s429, message: badMsgDuplicate,
			before: w.amplifyPerson(90), body: badJSON(badObj{"user_id": "{{nrp}}", "shortcode": badPostTagged, "twitter_link": "https://x.com/a"})},
	)

	// POST /api/link-reports-khusus: the legacy validation order.
	ig := "https://www.instagram.com/p/" + badPostKnown
	rows = append(rows,
		badRow{method: post, route: lk, kind: badInvalid, caller: w.admin, body: badJSON(badObj{"user_id": w.pA3, "instagram_link": ig}),
			status: s400, message: "client_id is required"},
		badRow{method: post, route: lk, kind: badInvalid, variant: "no-link", caller: w.admin, body: badJSON(badObj{"user_id": w.pA3, "client_id": "POLRESA"}),
			status: s400, message: "instagram_link is required"},
		badRow{method: post, route: lk, kind: badInvalid, variant: "no-url", caller: w.admin,
			body: badJSON(badObj{"user_id": w.pA3, "client_id": "POLRESA", "instagram_link": "bukan tautan"}), status: s400, message: "instagram_link must be a valid URL"},
		badRow{method: post, route: lk, kind: badInvalid, variant: "not-a-post", caller: w.admin,
			body:   badJSON(badObj{"user_id": w.pA3, "client_id": "POLRESA", "instagram_link": "https://www.instagram.com/polres_e/"}),
			status: s400, message: "instagram_link must be a valid Instagram post URL"},
		badRow{method: post, route: lk, kind: badInvalid, variant: "other-platform", caller: w.admin,
			body:   badJSON(badObj{"user_id": w.pA3, "client_id": "POLRESA", "instagram_link": ig, "tiktok_link": "https://tiktok.com/x"}),
			status: s400, message: "Only instagram_link is allowed for special assignment uploads"},
		badRow{method: post, route: lk, kind: badWrongClient, caller: w.opr,
			body: badJSON(badObj{"user_id": w.pA3, "client_id": "POLRESB", "instagram_link": ig}), status: s403, message: badMsgNotAllowed},
		badRow{method: post, route: lk, kind: badWrongKind, caller: w.clientTok,
			body: badJSON(badObj{"user_id": w.pA3, "client_id": "POLRESA", "instagram_link": ig}), status: s403, message: badMsgForbidden},
		badRow{method: post, route: lk, kind: badRevoked, caller: w.adminGone,
			body: badJSON(badObj{"user_id": w.pA3, "client_id": "POLRESA", "instagram_link": ig}), status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		badRow{method: post, route: lk, kind: badReplay, caller: w.admin, firstStatus: s201, status: s429, message: badMsgDuplicate,
			before: w.khususPostToday("Ckhusus"+fmt.Sprint(w.run%100000), w.amplifyPerson(91)),
			body:   badJSON(badObj{"user_id": "{{nrp}}", "client_id": "POLRESA", "instagram_link": "https://www.instagram.com/reel/Ckhusus" + fmt.Sprint(w.run%100000)})},
	)

	for _, route := range []string{rekap, rekapX, rk1, rk2} {
		rows = append(rows,
			badRow{method: get, route: route, kind: badInvalid, caller: w.admin, status: s400, message: "client_id wajib diisi"},
			badRow{method: get, route: route, path: route + "?client_id=POLRESA&scope=kabupaten", kind: badInvalid, variant: "scope",
				caller: w.admin, status: s400, message: "scope tidak valid"},
			badRow{method: get, route: route, path: route + "?client_id=POLRESA&periode=tahunan", kind: badInvalid, variant: "periode",
				caller: w.admin, status: s400, message: period.MsgPeriode},
			badRow{method: get, route: route, path: route + "?client_id=POLRESA%00", kind: badInvalid, variant: "nul",
				caller: w.admin, status: s400, message: "client_id tidak valid: mengandung karakter NUL"},
			badRow{method: get, route: route, path: route + "?client_id=POLRESB", kind: badWrongClient, caller: w.opr,
				status: s403, message: badMsgNotAllowed},
			badRow{method: get, route: route, path: route + "?client_id=POLRESA", kind: badWrongKind, caller: w.personnel,
				status: s403, message: badMsgForbidden},
			badRow{method: get, route: route, path: route + "?client_id=POLRESA", kind: badRevoked, caller: w.adminGone,
				status: s401, message: badMsgInvalidTok, reason: badReasonInvalid},
		)
	}
	return rows
}

// khususPostToday puts a post published now on the fake Instagram, for a
// khusus report that must succeed, then runs then.
func (w *badWorld) khususPostToday(code string, then func(*testing.T, *badRequest)) func(*testing.T, *badRequest) {
	return func(t *testing.T, rq *badRequest) {
		w.social.SetInstagram(rapidapitest.IGAccount{Username: "khusus_" + code, Posts: []rapidapitest.IGPost{
			{Shortcode: code, TakenAt: time.Now().Add(-time.Second)}}})
		then(t, rq)
	}
}

// amplifyReport is amplifyPerson with a regular report of theirs on the
// imported post.
func (w *badWorld) amplifyReport(i int) func(*testing.T, *badRequest) {
	person := w.amplifyPerson(i)
	return func(t *testing.T, rq *badRequest) {
		person(t, rq)
		nrp := w.nrp(60 + i)
		w.expect(t, w.admin, http.MethodPost, "/api/link-reports", badJSON(badObj{"user_id": nrp, "shortcode": badPostTagged,
			"facebook_link": "https://fb.com/setup"}), nil, http.StatusCreated)
	}
}

// amplifyPerson registers a person of POLRESA that no other row touches
// (the shared ones get renumbered or deleted) and puts their NRP where the
// request says {{nrp}}.
func (w *badWorld) amplifyPerson(i int) func(*testing.T, *badRequest) {
	return func(t *testing.T, rq *badRequest) {
		nrp := w.nrp(60 + i)
		w.expect(t, w.admin, http.MethodPost, "/api/users/create", badJSON(badObj{"user_id": nrp, "nama": fmt.Sprintf("AMPLIFY %d", i),
			"client_id": "POLRESA"}), nil, http.StatusCreated)
		rq.body = strings.ReplaceAll(rq.body, "{{nrp}}", nrp)
		rq.path = strings.ReplaceAll(rq.path, "{{nrp}}", nrp)
	}
}

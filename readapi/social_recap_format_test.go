package readapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cicero/cicero/projections/social"
)

// The hand-written recap encoder must answer what the map-based formatter
// it replaced answered (kept below as the reference), for random rows.

func TestRecapEncoderMatchesTheMapFormatter(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	names := []string{"", "BUDI", "Siti \"Nur\"", "andi\\x", "ÄNDRÉ", "tab\there", "bad\xffutf8", "<b>&", "ctl\x01", "emoji 😀", "line\u2028sep"}
	regional := "JATIM"
	for n := range 200 {
		total := rnd.IntN(5)
		if n%7 == 0 {
			total = 0
		}
		rows := make([]social.AttendanceRow, rnd.IntN(12))
		for i := range rows {
			x := social.AttendanceRow{UserID: fmt.Sprintf("%08d", rnd.IntN(1e8)), Title: names[rnd.IntN(len(names))],
				Nama: names[rnd.IntN(len(names))], Username: names[rnd.IntN(len(names))], Divisi: names[rnd.IntN(len(names))],
				Exception: rnd.IntN(6) == 0, ClientID: "POLRES", ClientName: names[rnd.IntN(len(names))]}
			if x.Username != "" && rnd.IntN(4) > 0 {
				x.Handle = strings.ToLower(x.Username)
			}
			if rnd.IntN(2) == 0 {
				x.RegionalID = &regional
			}
			if x.Handle != "" {
				x.Done = rnd.IntN(total + 1)
			}
			if x.Exception {
				x.Done = total
			}
			rows[i] = x
		}
		for _, w := range []*recapWords{likesWords, commentWords} {
			want, err := json.Marshal(referenceFormatRecap(rows, total, w))
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			writeRecap(rec, func(j *jsonw) { appendRecap(j, rows, total, w) })
			var got, exp map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("invalid JSON: %v\n%s", err, rec.Body.String())
			}
			if err := json.Unmarshal(want, &exp); err != nil {
				t.Fatal(err)
			}
			exp["success"] = true
			if d := cmp.Diff(exp, got); d != "" {
				t.Fatalf("case %d (%v): (-map +encoder)\n%s", n, w.tiktok, d)
			}
		}
	}
}

func TestRecapEncoderStringsAndFloats(t *testing.T) {
	for _, s := range []string{"", "plain", "q\"b\\s", "\x00\x1f\n\r\t", "bad\xff\xfe", "ü 😀", "\u2028", "\xed\xa0\x80"} {
		j := &jsonw{}
		j.str(s)
		var got string
		if err := json.Unmarshal(j.b, &got); err != nil {
			t.Fatalf("%q → %s: %v", s, j.b, err)
		}
		want, _ := json.Marshal(s)
		var wantS string
		_ = json.Unmarshal(want, &wantS)
		if got != wantS {
			t.Errorf("%q: got %q, want %q", s, got, wantS)
		}
	}
	for _, f := range []float64{0, 1, 0.5, 1.0 / 3, 1.0 / 252, 1e-7, 123456.7, 1e22, math.SmallestNonzeroFloat64} {
		j := &jsonw{}
		j.float(f)
		want, _ := json.Marshal(f)
		if !bytes.Equal(j.b, want) {
			t.Errorf("%v: %s, want %s", f, j.b, want)
		}
	}
}

// referenceFormatRecap is the formatter the encoder replaced: it builds the payload of spec §4.2 (likes) or §4.3 (comments)
// from rows already ordered.
func referenceFormatRecap(rows []social.AttendanceRow, total int, w *recapWords) map[string]any {
	data := make([]map[string]any, 0, len(rows))
	chart := make([]map[string]any, 0, len(rows))
	sudahU, kurangU, belumU := []string{}, []string{}, []string{}
	noUser := []any{}
	noUserDetails := []map[string]any{}
	var dist = map[string]int{stSudah: 0, stKurang: 0, stBelum: 0, stNoUsername: 0, stNoPosts: 0}
	sumCount, sumRate := 0, 0.0
	for i, x := range rows {
		st := recapStatus(x, total)
		dist[st]++
		rate := 0.0
		if total > 0 {
			rate = float64(x.Done) / float64(total)
		}
		pct := int(math.Round(rate * 100))
		missing := max(total-x.Done, 0)
		sumCount += x.Done
		var badges []string
		switch st {
		case stSudah:
			badges = append(badges, w.sudah)
		case stKurang:
			badges = append(badges, w.kurang)
		case stBelum:
			badges = append(badges, w.belum)
		case stNoPosts:
			badges = append(badges, w.noPosts)
		}
		if x.Handle == "" && !x.Exception {
			badges = append(badges, w.noHandle)
		}
		var username any
		if x.Username != "" {
			username = x.Username
		}
		row := map[string]any{"user_id": x.UserID, "title": x.Title, "nama": x.Nama, "username": username,
			"divisi": x.Divisi, "client_id": x.ClientID, "client_name": x.ClientName, "regional_id": x.RegionalID,
			w.count: x.Done, "ranking": i + 1, "completionRate": rate, "completionPercentage": pct,
			w.missing: missing, "status": st, "badges": badges}
		if w.tiktok {
			row["total_konten"] = total
		} else {
			row["exception"] = x.Exception
		}
		data = append(data, row)
		switch st {
		case stSudah, stKurang, stBelum:
			if total > 0 {
				sumRate += rate
			}
			list := map[string]*[]string{stSudah: &sudahU, stKurang: &kurangU, stBelum: &belumU}[st]
			if x.Username != "" {
				*list = append(*list, x.Username)
			}
		case stNoUsername:
			noUser = append(noUser, nil)
			noUserDetails = append(noUserDetails, map[string]any{"userId": x.UserID, "name": x.Nama,
				"division": x.Divisi, "clientId": x.ClientID, "regionalId": x.RegionalID})
		}
		label := firstNonEmpty(x.Nama, x.Title, x.Username)
		if label == "" {
			label = "Pengguna " + itoa(i+1)
		}
		chart = append(chart, map[string]any{"label": label, w.chart: x.Done, w.missing: missing, "completionPercentage": pct})
	}
	active := dist[stSudah] + dist[stKurang] + dist[stBelum]
	avg, part := 0.0, 0.0
	if active > 0 && total > 0 {
		avg = round1(100 * sumRate / float64(active))
		part = round1(100 * float64(dist[stSudah]+dist[stKurang]) / float64(active))
	}
	var insights []string
	for _, c := range []struct {
		n   int
		txt string
	}{{dist[stSudah], w.insSudah}, {dist[stKurang], w.insKurang}, {dist[stBelum], w.insBelum}, {dist[stNoUsername], w.insNoHandle}} {
		if c.n > 0 {
			insights = append(insights, strings.Replace(c.txt, "%d", itoa(c.n), 1))
		}
	}
	if total == 0 {
		insights = append(insights, "ℹ️ Tidak ada konten pada periode ini.")
	}
	if insights == nil {
		insights = []string{}
	}
	return map[string]any{
		"data": data, "chartHeight": max(len(rows)*36, 320), "totalPosts": total,
		"sudahUsers": sudahU, "kurangUsers": kurangU, "belumUsers": belumU,
		"sudahUsersCount": dist[stSudah], "kurangUsersCount": dist[stKurang],
		"belumUsersCount": dist[stBelum] + dist[stNoUsername], "noUsernameUsersCount": dist[stNoUsername],
		"noUsernameUsers": noUser, "usersCount": len(rows),
		"summary": map[string]any{"totalPosts": total, "totalUsers": len(rows), w.total: sumCount,
			"averageCompletionPercentage": avg, "participationRatePercentage": part,
			"distribution": map[string]int{"sudah": dist[stSudah], "kurang": dist[stKurang], "belum": dist[stBelum],
				"noUsername": dist[stNoUsername], "noPosts": dist[stNoPosts]}},
		"chartData": chart, "insights": insights,
		"statusLegend": []map[string]string{
			{"status": stSudah, "label": "Sudah", "description": w.legSudah},
			{"status": stKurang, "label": "Kurang", "description": w.legKurang},
			{"status": stBelum, "label": "Belum", "description": w.legBelum},
			{"status": stNoUsername, "label": "No Username", "description": w.legNoHandle},
			{"status": stNoPosts, "label": "No Posts", "description": "Tidak ada konten untuk periode yang dipilih."},
		},
		"noUsernameUsersDetails": noUserDetails,
	}
}

// BenchmarkRecapFormat: one org recap's payload (1,667 people, 36 posts)
// the old way (maps through encoding/json) and the new (hand-written).
//
//	go test -run '^$' -bench BenchmarkRecapFormat ./readapi/
func BenchmarkRecapFormat(b *testing.B) {
	rows := make([]social.AttendanceRow, 1667)
	reg := "JATIM"
	for i := range rows {
		rows[i] = social.AttendanceRow{UserID: fmt.Sprintf("%08d", 80000000+i), Title: "BRIPKA", Nama: fmt.Sprintf("PERSONEL NOMOR %d", i),
			Username: fmt.Sprintf("user.%d", i), Handle: fmt.Sprintf("user.%d", i), Divisi: "SAT BINMAS", ClientID: "LAMONGAN",
			ClientName: "POLRES LAMONGAN", RegionalID: &reg, Done: i % 37}
	}
	b.Run("maps", func(b *testing.B) {
		for b.Loop() {
			r := make([]social.AttendanceRow, len(rows))
			copy(r, rows)
			sortRecapRowsReference(r)
			out := referenceFormatRecap(r, 36, likesWords)
			out["success"] = true
			_ = json.NewEncoder(httptest.NewRecorder()).Encode(out)
		}
	})
	b.Run("encoder", func(b *testing.B) {
		for b.Loop() {
			r := make([]social.AttendanceRow, len(rows))
			copy(r, rows)
			sortRecapRows(r)
			writeRecap(httptest.NewRecorder(), func(j *jsonw) { appendRecap(j, r, 36, likesWords) })
		}
	})
}

// sortRecapRowsReference is the sort the keyed one replaced.
func sortRecapRowsReference(rows []social.AttendanceRow) {
	slices.SortStableFunc(rows, func(a, b social.AttendanceRow) int {
		ra, rb := priorityRank(a.ClientName), priorityRank(b.ClientName)
		if ra != rb {
			return ra - rb
		}
		na, nb := strings.ToUpper(a.Nama), strings.ToUpper(b.Nama)
		if ra > len(priorityClients) && na != nb {
			return strings.Compare(na, nb)
		}
		if a.Done != b.Done {
			return b.Done - a.Done
		}
		if na != nb {
			return strings.Compare(na, nb)
		}
		return strings.Compare(a.UserID, b.UserID)
	})
}

func TestRecapSortMatchesReference(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	clients := []string{"POLRES LAMONGAN", "polres ngawi ", "POLRES X", "", "DIREKTORAT BINMAS"}
	names := []string{"andi", "Andi", "BUDI", "citra", "", "Dedi"}
	for range 100 {
		rows := make([]social.AttendanceRow, rnd.IntN(30))
		for i := range rows {
			rows[i] = social.AttendanceRow{UserID: fmt.Sprint(rnd.IntN(50)), Nama: names[rnd.IntN(len(names))],
				ClientName: clients[rnd.IntN(len(clients))], Done: rnd.IntN(4)}
		}
		want := slices.Clone(rows)
		sortRecapRowsReference(want)
		sortRecapRows(rows)
		if d := cmp.Diff(want, rows); d != "" {
			t.Fatal(d)
		}
	}
}

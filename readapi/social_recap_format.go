package readapi

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cicero/cicero/projections/social"
)

// recapWords are the platform's words of the recap payload (spec/social.md
// §4.2 for likes, §4.3 for comments).
type recapWords struct {
	count, missing, total, chart  string // jumlah_like, missingLikes, totalLikes, likes
	sudah, kurang, belum, noPosts string // badges
	noHandle                      string
	insSudah, insKurang, insBelum string // insights, %d
	insNoHandle                   string
	legSudah, legKurang, legBelum string // legend descriptions
	legNoHandle                   string
	tiktok                        bool
}

var likesWords = recapWords{count: "jumlah_like", missing: "missingLikes", total: "totalLikes", chart: "likes",
	sudah: "✅ Semua konten pada periode ini sudah di-like.", kurang: "⚠️ Masih ada konten yang belum di-like.",
	belum: "⏳ Belum ada like pada periode ini.", noPosts: "ℹ️ Tidak ada konten yang perlu di-like pada periode ini.",
	noHandle: "❗ Username Instagram belum tersedia.",
	insSudah: "✅ %d akun sudah me-like semua konten yang tersedia.", insKurang: "⚠️ %d akun masih kekurangan like pada sebagian konten.",
	insBelum: "⏳ %d akun belum memberikan like sama sekali.", insNoHandle: "❗ %d akun belum memiliki username Instagram.",
	legSudah: "Semua konten pada periode ini telah di-like.", legKurang: "Sudah melakukan like tetapi masih ada konten yang belum di-like.",
	legBelum: "Belum memberikan like pada periode ini.", legNoHandle: "Belum memiliki username Instagram di sistem."}

var commentWords = recapWords{count: "jumlah_komentar", missing: "missingComments", total: "totalComments", chart: "comments",
	sudah: "✅ Semua konten pada periode ini sudah dikomentari.", kurang: "⚠️ Masih ada konten yang belum dikomentari.",
	belum: "⏳ Belum ada komentar pada periode ini.", noPosts: "ℹ️ Tidak ada konten yang perlu dikomentari pada periode ini.",
	noHandle: "❗ Username TikTok belum tersedia.",
	insSudah: "✅ %d akun sudah mengomentari semua konten yang tersedia.", insKurang: "⚠️ %d akun masih kekurangan komentar pada sebagian konten.",
	insBelum: "⏳ %d akun belum memberikan komentar sama sekali.", insNoHandle: "❗ %d akun belum memiliki username TikTok.",
	legSudah: "Semua konten pada periode ini telah dikomentari.", legKurang: "Sudah memberikan komentar tetapi masih ada konten yang belum dikomentari.",
	legBelum: "Belum memberikan komentar pada periode ini.", legNoHandle: "Belum memiliki username TikTok di sistem.", tiktok: true}

// Recap statuses.
const (
	stSudah, stKurang, stBelum, stNoUsername, stNoPosts = "sudah", "kurang", "belum", "no_username", "no_posts"
)

// priorityClients is the satker priority list (spec §3.5), matched on the
// client's name (SPEC.md §5.8; the old code compared the person's name).
var priorityClients = []string{"POLRES LAMONGAN", "POLRES BOJONEGORO", "POLRES PROBOLINGGO", "POLRES NGAWI", "POLRES MADIUN",
	"POLRES PACITAN", "POLRES BONDOWOSO", "POLRES SITUBONDO", "POLRES MOJOKERTO", "POLRES KEDIRI", "POLRES KEDIRI KOTA",
	"POLRESTA MALANG KOTA", "POLRES MADIUN KOTA"}

func priorityRank(clientName string) int {
	if i := slices.Index(priorityClients, strings.ToUpper(strings.TrimSpace(clientName))); i >= 0 {
		return i + 1
	}
	return len(priorityClients) + 1
}

// sortRecapRows orders as the legacy SQL did, with the priority taken from
// the client's name: priority rank; among the unranked by name; then by
// count (descending), name and NRP.
func sortRecapRows(rows []social.AttendanceRow) {
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

// recapStatus: exempt personnel count as done (SPEC.md §5.2), whether or
// not they have a handle.
func recapStatus(x social.AttendanceRow, total int) string {
	switch {
	case total == 0 && x.Handle == "" && !x.Exception:
		return stNoUsername
	case total == 0:
		return stNoPosts
	case x.Handle == "" && !x.Exception:
		return stNoUsername
	case x.Done >= total:
		return stSudah
	case x.Done > 0:
		return stKurang
	}
	return stBelum
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// formatRecap builds the payload of spec §4.2 (likes) or §4.3 (comments)
// from rows already ordered.
func formatRecap(rows []social.AttendanceRow, total int, w recapWords) map[string]any {
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

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

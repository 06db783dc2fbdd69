package readapi

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

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

	legendOnce sync.Once
	legendJSON []byte
}

var likesWords = &recapWords{count: "jumlah_like", missing: "missingLikes", total: "totalLikes", chart: "likes",
	sudah: "✅ Semua konten pada periode ini sudah di-like.", kurang: "⚠️ Masih ada konten yang belum di-like.",
	belum: "⏳ Belum ada like pada periode ini.", noPosts: "ℹ️ Tidak ada konten yang perlu di-like pada periode ini.",
	noHandle: "❗ Username Instagram belum tersedia.",
	insSudah: "✅ %d akun sudah me-like semua konten yang tersedia.", insKurang: "⚠️ %d akun masih kekurangan like pada sebagian konten.",
	insBelum: "⏳ %d akun belum memberikan like sama sekali.", insNoHandle: "❗ %d akun belum memiliki username Instagram.",
	legSudah: "Semua konten pada periode ini telah di-like.", legKurang: "Sudah melakukan like tetapi masih ada konten yang belum di-like.",
	legBelum: "Belum memberikan like pada periode ini.", legNoHandle: "Belum memiliki username Instagram di sistem."}

var commentWords = &recapWords{count: "jumlah_komentar", missing: "missingComments", total: "totalComments", chart: "comments",
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
// count (descending), name and NRP. The keys are computed once per row.
func sortRecapRows(rows []social.AttendanceRow) {
	// Small keys sorted, then the rows permuted: moving the rows themselves
	// in the sort cost more than the comparisons. The index as the last
	// key keeps it stable.
	type key struct {
		rank, done, idx int
		name, id        string
	}
	ranks := map[string]int{}
	keys := make([]key, len(rows))
	for i, x := range rows {
		r, seen := ranks[x.ClientName]
		if !seen {
			r = priorityRank(x.ClientName)
			ranks[x.ClientName] = r
		}
		keys[i] = key{rank: r, done: x.Done, idx: i, name: strings.ToUpper(x.Nama), id: x.UserID}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if a.rank > len(priorityClients) && a.name != b.name {
			return strings.Compare(a.name, b.name)
		}
		if a.done != b.done {
			return b.done - a.done
		}
		if a.name != b.name {
			return strings.Compare(a.name, b.name)
		}
		if c := strings.Compare(a.id, b.id); c != 0 {
			return c
		}
		return a.idx - b.idx
	})
	sorted := make([]social.AttendanceRow, len(rows))
	for i, k := range keys {
		sorted[i] = rows[k.idx]
	}
	copy(rows, sorted)
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

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

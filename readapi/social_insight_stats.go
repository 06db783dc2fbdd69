package readapi

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/cicero/cicero/projections/social"
)

// insightStats are the figures of an insight card: the attendance rows
// classified as rekap-likes/rekap-komentar classify them (recapStatus).
// Percentages are 0–100 with one decimal.
type insightStats struct {
	TotalUsers int `json:"totalUsers"`
	TotalPosts int `json:"totalPosts"`
	// TotalEngagements is Σ per person of task posts done, as rekap's
	// summary.totalLikes / totalComments (exempt personnel: every post);
	// ExpectedEngagements = TotalPosts × TotalUsers.
	TotalEngagements    int     `json:"totalEngagements"`
	ExpectedEngagements int     `json:"expectedEngagements"`
	EngagementRate      float64 `json:"engagementRate"`
	// ComplianceRate is the share of personnel with status sudah (0 when
	// there are no task posts).
	ComplianceRate  float64 `json:"complianceRate"`
	SudahCount      int     `json:"sudahCount"`
	KurangCount     int     `json:"kurangCount"`
	BelumCount      int     `json:"belumCount"`
	NoUsernameCount int     `json:"noUsernameCount"`
	NoPostsCount    int     `json:"noPostsCount"`
	// UnitKind is "client" when the personnel span several clients (a
	// directorate), else "divisi".
	UnitKind    string        `json:"unitKind"`
	TopUnits    []insightUnit `json:"topUnits"`
	BottomUnits []insightUnit `json:"bottomUnits"`
}

// insightUnit is one satker (client) or satfung (division).
type insightUnit struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	Users          int     `json:"users"`
	Sudah          int     `json:"sudah"`
	ComplianceRate float64 `json:"complianceRate"`
}

// maxUnits bounds each of the top and bottom lists.
const maxUnits = 3

func percent1(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return round1(100 * float64(num) / float64(den))
}

// computeInsightStats classifies rows over total task posts and ranks the
// units by compliance rate (then size, then name). Top takes up to 3 of the
// better half, Bottom up to 3 of the worse half (worst first), never the
// same unit twice; both are empty without task posts.
func computeInsightStats(rows []social.AttendanceRow, total int) insightStats {
	st := insightStats{TotalUsers: len(rows), TotalPosts: total, ExpectedEngagements: total * len(rows),
		UnitKind: "divisi", TopUnits: []insightUnit{}, BottomUnits: []insightUnit{}}
	clients := map[string]bool{}
	for _, x := range rows {
		clients[strings.ToUpper(x.ClientID)] = true
	}
	if len(clients) > 1 {
		st.UnitKind = "client"
	}
	units := map[string]*insightUnit{}
	for _, x := range rows {
		status := recapStatus(x, total)
		st.TotalEngagements += x.Done
		switch status {
		case stSudah:
			st.SudahCount++
		case stKurang:
			st.KurangCount++
		case stBelum:
			st.BelumCount++
		case stNoUsername:
			st.NoUsernameCount++
		case stNoPosts:
			st.NoPostsCount++
		}
		id, name := satfung(x.Divisi), satfung(x.Divisi)
		if st.UnitKind == "client" {
			id, name = strings.ToUpper(x.ClientID), firstNonEmpty(x.ClientName, x.ClientID)
		}
		u := units[id]
		if u == nil {
			u = &insightUnit{ID: id, Name: name}
			units[id] = u
		}
		u.Users++
		if status == stSudah {
			u.Sudah++
		}
	}
	st.EngagementRate = percent1(st.TotalEngagements, st.ExpectedEngagements)
	if total > 0 {
		st.ComplianceRate = percent1(st.SudahCount, st.TotalUsers)
	}
	if total == 0 {
		return st
	}
	ranked := make([]insightUnit, 0, len(units))
	for _, u := range units {
		u.ComplianceRate = percent1(u.Sudah, u.Users)
		ranked = append(ranked, *u)
	}
	slices.SortFunc(ranked, func(a, b insightUnit) int {
		// Exact comparison of sudah/users: a.Sudah/a.Users vs b.Sudah/b.Users.
		if c := cmp.Compare(b.Sudah*a.Users, a.Sudah*b.Users); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Users, a.Users); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	top, bottom := min(maxUnits, (len(ranked)+1)/2), min(maxUnits, len(ranked)/2)
	st.TopUnits = append(st.TopUnits, ranked[:top]...)
	for i := len(ranked) - 1; i >= len(ranked)-bottom; i-- {
		st.BottomUnits = append(st.BottomUnits, ranked[i])
	}
	return st
}

// insightAlert is one finding of the risk summary.
type insightAlert struct {
	ID       string `json:"id"`
	Severity string `json:"severity"` // high, medium, low
	Title    string `json:"title"`
	Detail   string `json:"detail"`
	Action   string `json:"action"`
}

// Risk thresholds (documented in internal/apispec/social_insight.yaml and
// the README):
//   - no-personnel (medium): no active personnel in the set;
//   - no-content (high): personnel but no task post in the period;
//   - low-compliance: sudah share < 50% high, < 80% medium;
//   - zero-engagement: personnel with a username and no engagement at
//     all, high from 20% of the personnel, else medium;
//   - partial-engagement (low): personnel who did some task posts only;
//   - missing-username: medium from 10% of the personnel, else low.
//
// Alerts come ordered high, medium, low, and in the order above within one
// severity.
const (
	riskComplianceHigh   = 50.0
	riskComplianceMedium = 80.0
	riskZeroHigh         = 20.0
	riskNoUsernameMedium = 10.0
)

var severityRank = map[string]int{"high": 0, "medium": 1, "low": 2}

func riskAlerts(platform, periodLabel string, st insightStats) []insightAlert {
	name, noun, done := "Instagram", "like", "me-like"
	if platform == "tiktok" {
		name, noun, done = "TikTok", "komentar", "mengomentari"
	}
	out := []insightAlert{}
	add := func(id, sev, title, detail, action string) {
		out = append(out, insightAlert{ID: id, Severity: sev, Title: title, Detail: detail, Action: action})
	}
	users := st.TotalUsers
	if users == 0 {
		add("no-personnel", "medium", "Tidak ada personel aktif",
			fmt.Sprintf("Tidak ada personel aktif pada cakupan ini untuk periode %s.", periodLabel),
			"Periksa filter cakupan (client, role, regional) dan data personel di direktori.")
		return out
	}
	if st.TotalPosts == 0 {
		add("no-content", "high", "Tidak ada konten pada periode ini",
			fmt.Sprintf("Tidak ada konten %s pada periode %s, sehingga kepatuhan %d personel tidak dapat dinilai.", name, periodLabel, users),
			fmt.Sprintf("Pastikan akun resmi %s mengunggah konten dan pengambilan data (fetch) berjalan.", name))
	} else {
		switch rate := st.ComplianceRate; {
		case rate < riskComplianceHigh:
			add("low-compliance", "high", "Kepatuhan rendah",
				fmt.Sprintf("Hanya %s%% personel (%d dari %d) telah %s seluruh %d konten.", fmtRate(rate), st.SudahCount, users, done, st.TotalPosts),
				fmt.Sprintf("Instruksikan personel untuk %s seluruh konten tugas dan pantau absensi harian.", done))
		case rate < riskComplianceMedium:
			add("low-compliance", "medium", "Kepatuhan belum optimal",
				fmt.Sprintf("%s%% personel (%d dari %d) telah %s seluruh %d konten; target minimal %s%%.", fmtRate(rate), st.SudahCount, users, done,
					st.TotalPosts, fmtRate(riskComplianceMedium)),
				"Dorong personel yang belum lengkap melalui grup WhatsApp satuan.")
		}
		if st.BelumCount > 0 {
			sev := "medium"
			if percent1(st.BelumCount, users) >= riskZeroHigh {
				sev = "high"
			}
			add("zero-engagement", sev, "Personel tanpa interaksi",
				fmt.Sprintf("%d personel (%s%%) belum memberikan %s sama sekali pada periode ini.", st.BelumCount, fmtRate(percent1(st.BelumCount, users)), noun),
				"Hubungi personel tersebut dan cek daftar absensi (rekap) untuk nama-namanya.")
		}
		if st.KurangCount > 0 {
			add("partial-engagement", "low", "Interaksi belum lengkap",
				fmt.Sprintf("%d personel baru %s sebagian konten.", st.KurangCount, done),
				"Ingatkan untuk melengkapi interaksi pada konten yang terlewat.")
		}
	}
	if st.NoUsernameCount > 0 {
		sev := "low"
		if percent1(st.NoUsernameCount, users) >= riskNoUsernameMedium {
			sev = "medium"
		}
		add("missing-username", sev, "Username belum terdaftar",
			fmt.Sprintf("%d personel (%s%%) belum memiliki username %s, sehingga interaksinya tidak dapat dihitung.", st.NoUsernameCount,
				fmtRate(percent1(st.NoUsernameCount, users)), name),
			fmt.Sprintf("Minta personel memperbarui username %s di data personel.", name))
	}
	slices.SortStableFunc(out, func(a, b insightAlert) int { return severityRank[a.Severity] - severityRank[b.Severity] })
	return out
}

// fmtRate writes a percentage the id-ID way (66,7; 50).
func fmtRate(f float64) string {
	s := strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0")
	return strings.Replace(s, ".", ",", 1)
}

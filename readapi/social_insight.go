package readapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/projections/social"
)

// InsightAttendance is the attendance the insight cards read
// (social.Queries).
type InsightAttendance interface {
	Attendance(ctx context.Context, q social.AttendanceQuery) (social.Attendance, error)
}

// SocialInsightDeps is what the premium insight cards use. Guard is the
// premium guard (premiumguard.Middleware) in front of both routes.
type SocialInsightDeps struct {
	Directory  RecapDirectory
	Attendance InsightAttendance
	Guard      func(http.Handler) http.Handler
	Now        func() time.Time // nil → time.Now
	Logger     *slog.Logger     // nil → discard
}

type socialInsightAPI struct{ SocialInsightDeps }

const msgPlatformInvalid = "platform harus instagram atau tiktok"

// MountSocialInsight adds the dashboard's premium insight cards, which the
// old backend never served: GET /dashboard/premium/executive-recap and
// /dashboard/premium/risk-summary. Both read the attendance of one
// platform with the scoping, access and period rules of rekap-likes
// (instagram) and rekap-komentar (tiktok), behind the premium guard;
// operators may call them for their own client, as for the ANEV. It panics
// without Directory, Attendance or Guard (a wiring error).
func MountSocialInsight(r *auth.Router, d SocialInsightDeps) {
	if d.Directory == nil || d.Attendance == nil || d.Guard == nil {
		panic("readapi.MountSocialInsight: Directory, Attendance and Guard are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &socialInsightAPI{d}
	guarded := r.With(d.Guard, refuseNUL)
	guarded.Get("/dashboard/premium/executive-recap", auth.Dashboard, a.executive)
	guarded.Get("/dashboard/premium/risk-summary", auth.Dashboard, a.risk)
}

// executiveBody is the executive recap's data.
type executiveBody struct {
	Platform    string       `json:"platform"`
	PeriodLabel string       `json:"periodLabel"`
	ClientName  string       `json:"clientName"`
	Summary     string       `json:"summary"`
	Stats       insightStats `json:"stats"`
	Text        string       `json:"text"`
}

// riskBody is the risk summary's data.
type riskBody struct {
	Platform             string         `json:"platform"`
	PeriodLabel          string         `json:"periodLabel"`
	ComplianceRate       float64        `json:"complianceRate"`
	ActionNeededCount    int            `json:"actionNeededCount"`
	ActionNeededRate     float64        `json:"actionNeededRate"`
	MissingUsernameCount int            `json:"missingUsernameCount"`
	TotalUsers           int            `json:"totalUsers"`
	CompletedCount       int            `json:"completedCount"`
	Alerts               []insightAlert `json:"alerts"`
}

type insightAnswer[T any] struct {
	Success bool `json:"success"`
	Data    T    `json:"data"`
}

func (a *socialInsightAPI) executive(w http.ResponseWriter, r *http.Request) {
	in, ok := a.read(w, r)
	if !ok {
		return
	}
	e := in.executive()
	httpx.JSON(w, http.StatusOK, insightAnswer[executiveBody]{Success: true, Data: executiveBody{
		Platform: in.platform, PeriodLabel: in.periodLabel, ClientName: in.clientName,
		Summary: recaptext.ExecutiveSummary(e), Stats: in.stats, Text: recaptext.ExecutiveRecap(e)}})
}

func (a *socialInsightAPI) risk(w http.ResponseWriter, r *http.Request) {
	in, ok := a.read(w, r)
	if !ok {
		return
	}
	st := in.stats
	need := st.KurangCount + st.BelumCount + st.NoUsernameCount
	httpx.JSON(w, http.StatusOK, insightAnswer[riskBody]{Success: true, Data: riskBody{
		Platform: in.platform, PeriodLabel: in.periodLabel, ComplianceRate: st.ComplianceRate,
		ActionNeededCount: need, ActionNeededRate: percent1(need, st.TotalUsers),
		MissingUsernameCount: st.NoUsernameCount, TotalUsers: st.TotalUsers, CompletedCount: st.SudahCount,
		Alerts: riskAlerts(in.platform, in.periodLabel, st)}})
}

// insight is one resolved and computed insight request.
type insight struct {
	platform, periodLabel, clientName string
	stats                             insightStats
}

// read resolves the request as rekap-likes / rekap-komentar do and
// computes its figures, answering the refusal itself when there is one.
func (a *socialInsightAPI) read(w http.ResponseWriter, r *http.Request) (insight, bool) {
	p, found := principal(w, r)
	if !found {
		return insight{}, false
	}
	platform := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("platform")))
	switch platform {
	case "":
		platform = "instagram"
	case "instagram", "tiktok":
	default:
		httpx.Error(w, r, a.Logger, invalid(msgPlatformInvalid))
		return insight{}, false
	}
	rq := readRecapRequest(r)
	rq.tiktok = platform == "tiktok"
	s, err := resolveRecapScope(r.Context(), a.Directory, p, r, rq, a.Now())
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return insight{}, false
	}
	att, err := a.Attendance.Attendance(r.Context(), social.AttendanceQuery{Platform: platform, Task: s.task,
		From: s.period.From, To: s.period.To, All: s.period.All, People: s.people})
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return insight{}, false
	}
	name := s.clientName
	if name == "" {
		name = s.client
	}
	return insight{platform: platform, periodLabel: s.period.Label(), clientName: name,
		stats: computeInsightStats(att.Rows, att.TotalPosts)}, true
}

// executive is the recap's text input.
func (in insight) executive() recaptext.Executive {
	st := in.stats
	units := func(us []insightUnit) []recaptext.Unit {
		out := make([]recaptext.Unit, len(us))
		for i, u := range us {
			out[i] = recaptext.Unit{Name: u.Name, Users: u.Users, Sudah: u.Sudah}
		}
		return out
	}
	return recaptext.Executive{Platform: in.platform, ClientName: in.clientName, PeriodLabel: in.periodLabel,
		Users: st.TotalUsers, Posts: st.TotalPosts, Engagements: st.TotalEngagements, Sudah: st.SudahCount,
		Kurang: st.KurangCount, Belum: st.BelumCount, NoUsername: st.NoUsernameCount, UnitKind: st.UnitKind,
		Top: units(st.TopUnits), Bottom: units(st.BottomUnits)}
}

package readapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
)

// RecapDirectory is the directory the recap routes read (directory.Queries).
type RecapDirectory interface {
	Client(ctx context.Context, clientID string) (directory.Client, error)
}

// RecapAttendance is the attendance the recap routes read (social.Queries).
type RecapAttendance interface {
	Attendance(ctx context.Context, q social.AttendanceQuery) (social.Attendance, error)
	TaskPostCount(ctx context.Context, platform, task, from, to string, all bool) (int, error)
	PeopleCount(ctx context.Context, f social.PeopleFilter) (int, error)
	ClientCount(ctx context.Context) (int, error)
}

// SocialRecapDeps is everything the recap routes use.
type SocialRecapDeps struct {
	Directory  RecapDirectory
	Attendance RecapAttendance
	Now        func() time.Time // nil → time.Now
	Logger     *slog.Logger     // nil → discard
}

type socialRecapAPI struct{ SocialRecapDeps }

// MountSocialRecap adds the attendance recaps (spec/social.md §4.2–4.4):
// GET /insta/rekap-likes, /likes/instagram, /tiktok/rekap-komentar and
// /dashboard/stats. Every answer is scoped to the caller's clients. It
// panics without Directory or Attendance (a wiring error).
func MountSocialRecap(r *auth.Router, d SocialRecapDeps) {
	if d.Directory == nil || d.Attendance == nil {
		panic("readapi.MountSocialRecap: Directory and Attendance are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &socialRecapAPI{d}
	r = r.With(refuseNUL)
	r.Get("/insta/rekap-likes", auth.OperatorList, a.rekapLikes)
	r.Get("/likes/instagram", auth.Staff, a.ditbinmasLikes)
	r.Get("/tiktok/rekap-komentar", auth.OperatorList, a.rekapKomentar)
	r.Get("/dashboard/stats", auth.Dashboard, a.stats)
}

// rekapLikes is GET /api/insta/rekap-likes. official_only is accepted and
// changes nothing: every post in a client's feed came from its official
// account.
func (a *socialRecapAPI) rekapLikes(w http.ResponseWriter, r *http.Request) {
	a.likes(w, r, readRecapRequest(r))
}

// ditbinmasLikes is GET /api/likes/instagram: the DITBINMAS aggregation.
func (a *socialRecapAPI) ditbinmasLikes(w http.ResponseWriter, r *http.Request) {
	rq := readRecapRequest(r)
	rq.fixed = "DITBINMAS"
	a.likes(w, r, rq)
}

func (a *socialRecapAPI) likes(w http.ResponseWriter, r *http.Request, rq recapRequest) {
	p, found := principal(w, r)
	if !found {
		return
	}
	s, err := resolveRecapScope(r.Context(), a.Directory, p, r, rq, a.Now())
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	att, err := a.attendance(r.Context(), "instagram", s)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	writeRecap(w, func(j *jsonw) { appendRecap(j, att.Rows, att.TotalPosts, likesWords) })
}

func (a *socialRecapAPI) attendance(ctx context.Context, platform string, s recapScope) (social.Attendance, error) {
	att, err := a.Attendance.Attendance(ctx, social.AttendanceQuery{Platform: platform, Task: s.task,
		From: s.period.From, To: s.period.To, All: s.period.All, People: s.people})
	if err != nil {
		return att, err
	}
	sortRecapRows(att.Rows)
	return att, nil
}

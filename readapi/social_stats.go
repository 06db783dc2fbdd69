package readapi

import (
	"net/http"

	"github.com/cicero/cicero/internal/httpx"
)

// stats is GET /api/dashboard/stats (spec/social.md §4.4): the personnel
// count of the scope, every client, and the period's Instagram and TikTok
// task posts. For an operator both platforms count the client's posts
// (SPEC.md §5.16: the old code answered ttPosts 0).
func (a *socialRecapAPI) stats(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	rq := readRecapRequest(r)
	if p.IsOperator() {
		rq.client = p.ClientID
	}
	s, err := resolveRecapScope(r.Context(), a.Directory, p, r, rq, a.Now())
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	ctx := r.Context()
	users, err := a.Attendance.PeopleCount(ctx, s.people)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	clients, err := a.Attendance.ClientCount(ctx)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	posts := map[string]int{}
	for _, platform := range []string{"instagram", "tiktok"} {
		if posts[platform], err = a.Attendance.TaskPostCount(ctx, platform, s.task, s.period.From, s.period.To, s.period.All); err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
	}
	var regional any
	if s.regional != "" {
		regional = s.regional
	}
	ok(w, map[string]any{"client_id": s.client, "role": s.role, "scope": s.scope, "regional_id": regional,
		"clients": clients, "users": users, "igPosts": posts["instagram"], "ttPosts": posts["tiktok"]})
}

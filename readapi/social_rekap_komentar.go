package readapi

import (
	"net/http"

	"github.com/cicero/cicero/internal/httpx"
)

// rekapKomentar is GET /api/tiktok/rekap-komentar (spec/social.md §4.3).
// Comments are counted on the posts of the period by the post's Jakarta
// date (SPEC.md §5.3), not by when the comment list was last refreshed.
func (a *socialRecapAPI) rekapKomentar(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	rq := readRecapRequest(r)
	rq.tiktok = true
	s, err := resolveRecapScope(r.Context(), a.Directory, p, r, rq, a.Now())
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	att, err := a.attendance(r.Context(), "tiktok", s)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	writeRecap(w, func(j *jsonw) {
		appendRecap(j, att.Rows, att.TotalPosts, commentWords)
		with := 0
		j.key("usersWithComments")
		j.open('[')
		for _, x := range att.Rows {
			if x.Done > 0 && x.Username != "" {
				j.str(x.Username)
				with++
			}
		}
		j.close(']')
		without := 0
		j.key("usersWithoutComments")
		j.open('[')
		for _, x := range att.Rows {
			if x.Done == 0 {
				j.strOrNull(x.Username)
				without++
			}
		}
		j.close(']')
		j.key("usersWithCommentsCount")
		j.int(with)
		j.key("usersWithoutCommentsCount")
		j.int(without)
	})
}

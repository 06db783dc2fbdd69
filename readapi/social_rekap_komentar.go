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
	out := formatRecap(att.Rows, att.TotalPosts, commentWords)
	with, without := []string{}, []any{}
	for _, x := range att.Rows {
		switch {
		case x.Done > 0 && x.Username != "":
			with = append(with, x.Username)
		case x.Done == 0 && x.Username != "":
			without = append(without, x.Username)
		case x.Done == 0:
			without = append(without, nil)
		}
	}
	out["success"] = true
	out["usersWithComments"], out["usersWithCommentsCount"] = with, len(with)
	out["usersWithoutComments"], out["usersWithoutCommentsCount"] = without, len(without)
	httpx.JSON(w, http.StatusOK, out)
}

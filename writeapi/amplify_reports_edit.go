package writeapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/projections/amplify"
)

// update is PUT /link-reports[-khusus]/{shortcode}: the body's user_id
// names the report (personnel: their own), each non-empty link given
// replaces the report's.
func (a *amplifyCmdAPI) update(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := principalOf(w, r)
		if !ok {
			return
		}
		b, err := decodeBody(w, r)
		if err == nil {
			allowed := map[string]bool{"user_id": true, "shortcode": true, "expected_version": true}
			for _, f := range linkFields {
				allowed[f] = true
			}
			err = b.unknown(allowed)
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		userID, err := b.text("user_id")
		if err != nil {
			a.fail(w, r, err)
			return
		}
		// Optional optimistic concurrency: the report's version (If-Match
		// or expected_version); a stale one is a 409.
		version, err := requestVersion(r, b)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		l, set, err := links(b)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if kind == events.LinkReportKhusus && set["instagram"] && (l.Instagram == "" || linkreport.KhususShortcode(l.Instagram) == "") {
			a.fail(w, r, apperr.Invalidf("instagram_link", "%s", amplifyMsgIGPost))
			return
		}
		person, err := a.person(r.Context(), p, strOr(userID))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		shortcode := chi.URLParam(r, "shortcode")
		meta := writeMeta(r, p)
		meta.ExpectedVersion = version
		o, err := a.Reports.Update(r.Context(), meta, linkreport.Update{Kind: kind, Shortcode: shortcode,
			UserID: person.UserID, Links: l, Set: set, By: p.Actor(), At: a.Now()})
		if a.noReport(w, r, err) {
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		a.answerRow(w, r, http.StatusOK, kind, shortcode, person.UserID, o)
	}
}

// remove is DELETE /link-reports[-khusus]/{shortcode}?user_id=.
func (a *amplifyCmdAPI) remove(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := principalOf(w, r)
		if !ok {
			return
		}
		person, err := a.person(r.Context(), p, r.URL.Query().Get("user_id"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		shortcode := chi.URLParam(r, "shortcode")
		// The answer is the report as it stood (the legacy DELETE … RETURNING).
		before, err := a.Read.Report(r.Context(), amplify.ReportFilter{Kind: kind, Shortcode: shortcode, UserID: person.UserID})
		if err != nil && !errors.Is(err, amplify.ErrNotFound) {
			a.fail(w, r, err)
			return
		}
		o, err := a.Reports.Delete(r.Context(), writeMeta(r, p), linkreport.Delete{Kind: kind, Shortcode: shortcode,
			UserID: person.UserID, By: p.Actor(), At: a.Now()})
		if a.noReport(w, r, err) {
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		var data any
		if before.Shortcode != "" {
			data = before
		}
		a.done(w, r, written{status: http.StatusOK, ps: o.Positions(), fields: map[string]any{"data": data}})
	}
}

// noReport answers an update or delete of no report as the legacy
// routes did: 200 with data null.
func (a *amplifyCmdAPI) noReport(w http.ResponseWriter, r *http.Request, err error) bool {
	if !errors.Is(err, linkreport.ErrNoReport) {
		return false
	}
	a.done(w, r, written{status: http.StatusOK, fields: map[string]any{"data": nil}})
	return true
}

func (a *amplifyCmdAPI) answer201(w http.ResponseWriter, r *http.Request, kind, shortcode, nrp string, o commands.Outcome) {
	a.answerRow(w, r, http.StatusCreated, kind, shortcode, nrp, o)
}

// answerRow answers a write with the report as the read model shows it.
func (a *amplifyCmdAPI) answerRow(w http.ResponseWriter, r *http.Request, status int, kind, shortcode, nrp string, o commands.Outcome) {
	a.done(w, r, written{status: status, ps: o.Positions(), fields: map[string]any{"data": nil},
		fill: func(ctx context.Context, body map[string]any) (bool, error) {
			row, err := a.Read.Report(ctx, amplify.ReportFilter{Kind: kind, Shortcode: shortcode, UserID: nrp})
			if errors.Is(err, amplify.ErrNotFound) {
				return false, nil
			}
			body["data"] = row
			return err == nil, err
		}})
}

package readapi

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/amplifyxlsx"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/projections/amplify"
)

// AmplifyRead is what the amplify reads query (amplify.Queries).
type AmplifyRead interface {
	Reports(ctx context.Context, f amplify.ReportFilter) ([]amplify.Report, int, error)
	Report(ctx context.Context, f amplify.ReportFilter) (amplify.Report, error)
	Export(ctx context.Context, f amplify.ExportFilter) ([]amplifyxlsx.Row, error)
	Recap(ctx context.Context, q amplify.RecapQuery) (amplify.Recap, error)
	ClientType(ctx context.Context, clientID string) (string, error)
}

// AmplifyDeps is everything the amplify reads use.
type AmplifyDeps struct {
	Read   AmplifyRead
	Now    func() time.Time // nil → time.Now
	Logger *slog.Logger     // nil → discard
}

type amplifyAPI struct{ AmplifyDeps }

// MountAmplify adds the link report reads and the amplification recaps
// (spec/ops.md §2.3, §2.4, §2.6): GET /link-reports[-khusus] (the regular
// list paginated, the khusus one a plain array), GET
// /link-reports[-khusus]/{shortcode}, the month's workbook at /excel, the
// per person and post workbook at /excel/by-user-shortcode, and the
// recaps /amplify/rekap, /amplify/rekap/excel, /amplify/rekap-khusus and
// /amplify-khusus/rekap. Personnel read their own reports only; dashboard
// users those of their clients.
func MountAmplify(r *auth.Router, d AmplifyDeps) {
	if d.Read == nil {
		panic("readapi.MountAmplify: Read is required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &amplifyAPI{d}
	r = r.With(refuseNUL)
	for _, k := range []struct{ base, kind string }{{"/link-reports", events.LinkReportRegular}, {"/link-reports-khusus", events.LinkReportKhusus}} {
		r.Get(k.base, auth.Staff|auth.Personnel, a.list(k.kind))
		r.Get(k.base+"/excel", auth.Staff, a.excel(k.kind, false))
		r.Get(k.base+"/excel/by-user-shortcode", auth.Staff, a.excel(k.kind, true))
		r.Get(k.base+"/{shortcode}", auth.Staff|auth.Personnel, a.one(k.kind))
	}
	r.Get("/amplify/rekap", auth.OperatorList, a.rekap)
	r.Get("/amplify/rekap/excel", auth.OperatorList, a.rekapExcel)
	r.Get("/amplify/rekap-khusus", auth.OperatorList, a.rekapKhusus)
	r.Get("/amplify-khusus/rekap", auth.OperatorList, a.rekapKhusus)
}

// scoped limits a filter to what the caller may read: personnel their own
// reports, non-admin dashboard users their clients' reports.
func scoped(p *auth.Principal, f *amplify.ReportFilter) {
	switch {
	case p.Kind == auth.KindUser:
		f.UserID = normalize.NRP(p.ID)
	case !p.IsAdmin():
		f.Clients = append([]string{}, callerClients(p)...)
	}
}

func reportFilter(r *http.Request, kind string) amplify.ReportFilter {
	q := r.URL.Query()
	sc := strings.TrimSpace(q.Get("post_id"))
	if sc == "" {
		sc = strings.TrimSpace(q.Get("shortcode"))
	}
	return amplify.ReportFilter{Kind: kind, UserID: normalize.NRP(q.Get("user_id")), Shortcode: sc}
}

// positiveInt reads a positive integer, else def (the legacy fallbacks).
func positiveInt(s string, def int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 {
		return n
	}
	return def
}

func (a *amplifyAPI) list(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, found := principal(w, r)
		if !found {
			return
		}
		f := reportFilter(r, kind)
		scoped(p, &f)
		if kind == events.LinkReportKhusus {
			rows, _, err := a.Read.Reports(r.Context(), f)
			if err != nil {
				httpx.Error(w, r, a.Logger, err)
				return
			}
			httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": rows})
			return
		}
		q := r.URL.Query()
		f.Limit = positiveInt(q.Get("limit"), 20)
		f.Offset = (positiveInt(q.Get("page"), 1) - 1) * f.Limit
		if q.Has("offset") {
			f.Offset = 0
			if n, err := strconv.Atoi(strings.TrimSpace(q.Get("offset"))); err == nil && n > 0 {
				f.Offset = n
			}
		}
		rows, total, err := a.Read.Reports(r.Context(), f)
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": map[string]any{"items": rows,
			"pagination": map[string]any{"total": total, "limit": f.Limit, "offset": f.Offset, "page": f.Offset/f.Limit + 1,
				"totalPages": int(math.Ceil(float64(total) / float64(f.Limit)))}}})
	}
}

func (a *amplifyAPI) one(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, found := principal(w, r)
		if !found {
			return
		}
		f := amplify.ReportFilter{Kind: kind, Shortcode: chi.URLParam(r, "shortcode"), UserID: normalize.NRP(r.URL.Query().Get("user_id"))}
		scoped(p, &f)
		row, err := a.Read.Report(r.Context(), f)
		if errors.Is(err, amplify.ErrNotFound) {
			httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": nil})
			return
		}
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": row})
	}
}

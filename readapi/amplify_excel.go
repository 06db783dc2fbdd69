package readapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/amplifyxlsx"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/period"
	"github.com/cicero/cicero/projections/amplify"
)

// excel is GET /link-reports[-khusus]/excel (the client's reports on
// posts of this Jakarta month) and /excel/by-user-shortcode (a period,
// default this month, optionally one person or post, ordered by person
// then post).
func (a *amplifyAPI) excel(kind string, byUser bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, found := principal(w, r)
		if !found {
			return
		}
		q := r.URL.Query()
		clientID := normalize.ClientID(q.Get("client_id"))
		if clientID == "" {
			httpx.Error(w, r, a.Logger, apperr.Invalidf("client_id", "client_id wajib diisi"))
			return
		}
		if !p.AllowsClient(clientID) {
			httpx.Error(w, r, a.Logger, apperr.New(apperr.Forbidden, "client_id tidak diizinkan"))
			return
		}
		f := amplify.ExportFilter{Kind: kind, ClientID: clientID, ByUser: byUser}
		month, _ := period.Of(period.Bulanan, "", a.Now())
		f.From, f.To = month.From, month.To
		name := "link_report.xlsx"
		if kind == events.LinkReportKhusus {
			name = "link_report_khusus.xlsx"
		}
		if byUser {
			if q.Get("periode") != "" || q.Get("tanggal") != "" || q.Get("start_date") != "" || q.Get("end_date") != "" {
				per, err := period.FromQuery(q, a.Now())
				if err != nil {
					httpx.Error(w, r, a.Logger, err)
					return
				}
				f.From, f.To = per.From, per.To
				if per.All {
					f.From, f.To = "1970-01-01", "9999-12-31"
				}
			}
			f.UserID = normalize.NRP(q.Get("user_id"))
			f.Shortcode = strings.TrimSpace(q.Get("shortcode"))
			name = strings.TrimSuffix(name, ".xlsx") + "_by_user_shortcode.xlsx"
		}
		rows, err := a.Read.Export(r.Context(), f)
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		writeWorkbook(w, r, a.Logger, name, func() ([]byte, error) { return amplifyxlsx.Write(rows) })
	}
}

// writeWorkbook answers an .xlsx attachment.
func writeWorkbook(w http.ResponseWriter, r *http.Request, log *slog.Logger, name string, build func() ([]byte, error)) {
	b, err := build()
	if err != nil {
		httpx.Error(w, r, log, err)
		return
	}
	w.Header().Set("Content-Type", amplifyxlsx.ContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(b); err != nil {
		log.InfoContext(r.Context(), "link report export: write interrupted", "err", err)
	}
}

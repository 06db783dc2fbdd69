package readapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/period"
	"github.com/cicero/cicero/projections/amplify"
)

// rekapKhusus is GET /amplify/rekap-khusus and /amplify-khusus/rekap
// (spec/ops.md §2.4.2): no date range, no regional, no chartHeight, and
// rows without client_id and sudahMelaksanakan. The client id is compared
// case-insensitively (ours are upper case), and a direktorat client's
// personnel are the holders of its role.
func (a *amplifyAPI) rekapKhusus(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	rows, err := a.khusus(r, p)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": rows})
}

func (a *amplifyAPI) khusus(r *http.Request, p *auth.Principal) ([]map[string]any, error) {
	q := r.URL.Query()
	clientID := normalize.ClientID(q.Get("client_id"))
	if clientID == "" {
		return nil, apperr.Invalidf("client_id", "%s", amplifyMsgClientRequired)
	}
	if !p.AllowsClient(clientID) {
		return nil, apperr.New(apperr.Forbidden, amplifyMsgNotAllowed)
	}
	role, scope, standard, err := standardRequest(r, p)
	if err != nil {
		return nil, err
	}
	per, err := period.Of(q.Get("periode"), q.Get("tanggal"), a.Now())
	if err != nil {
		return nil, err
	}
	rq := amplify.RecapQuery{Kind: events.LinkReportKhusus, PostClient: clientID, From: per.From, To: per.To, All: per.All}
	if standard && scope == "org" && role == auth.RoleOperator {
		if p.ClientID == "" {
			return nil, apperr.Invalidf("client_id", "%s", amplifyMsgTokenClient)
		}
		rq.UserClient, rq.UserRole = normalize.ClientID(p.ClientID), auth.RoleOperator
	} else {
		t, err := a.Read.ClientType(r.Context(), clientID)
		if err != nil && !errors.Is(err, amplify.ErrNotFound) {
			return nil, err
		}
		if t == "direktorat" {
			rq.UserRole = strings.ToLower(clientID)
		} else {
			rq.UserClient = clientID
		}
	}
	rec, err := a.Read.Recap(r.Context(), rq)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(rec.Rows))
	for _, row := range rec.Rows {
		out = append(out, map[string]any{"user_id": row.UserID, "title": row.Title, "nama": row.Nama, "username": row.Username,
			"divisi": row.Divisi, "exception": row.Exception, "jumlah_link": row.JumlahLink, "display_nama": row.DisplayNama})
	}
	return out, nil
}

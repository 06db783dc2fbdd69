package readapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/period"
	"github.com/cicero/cicero/projections/amplify"
)

// Refusals of the amplify recaps (spec/ops.md §2.4).
const (
	amplifyMsgClientRequired = "client_id wajib diisi"
	amplifyMsgNotAllowed     = "client_id tidak diizinkan"
	amplifyMsgRoleRequired   = "role wajib diisi"
	amplifyMsgScope          = "scope tidak valid"
	amplifyMsgTokenClient    = "client_id pengguna tidak ditemukan"
)

// standardRequest is the role and scope of a "standard payload" request
// (one that names role or scope); ok false for a legacy request.
func standardRequest(r *http.Request, p *auth.Principal) (role, scope string, ok bool, err error) {
	q := r.URL.Query()
	role, scope = normalize.Role(q.Get("role")), strings.ToLower(strings.TrimSpace(q.Get("scope")))
	if role == "" && scope == "" {
		return "", "", false, nil
	}
	if role == "" {
		role = p.Role
	}
	if role == "" {
		return "", "", true, apperr.Invalidf("role", "%s", amplifyMsgRoleRequired)
	}
	if scope == "" {
		scope = "org"
	}
	if scope != "org" && scope != "direktorat" {
		return "", "", true, apperr.Invalidf("scope", "%s", amplifyMsgScope)
	}
	return role, scope, true, nil
}

// rekapQuery resolves GET /amplify/rekap's parameters (spec/ops.md
// §2.4.1) into the recap to compute. scope=direktorat spans every
// client's holders of the role (the old code meant to and only did so
// for ditbinmas).
func (a *amplifyAPI) rekapQuery(r *http.Request, p *auth.Principal) (amplify.RecapQuery, string, error) {
	q := r.URL.Query()
	role, scope, standard, err := standardRequest(r, p)
	if err != nil {
		return amplify.RecapQuery{}, "", err
	}
	clientID := q.Get("client_id")
	if !standard && p.Role == "ditbinmas" {
		clientID = "DITBINMAS"
	}
	clientID = normalize.ClientID(clientID)
	if clientID == "" {
		return amplify.RecapQuery{}, "", apperr.Invalidf("client_id", "%s", amplifyMsgClientRequired)
	}
	if !p.AllowsClient(clientID) && !strings.EqualFold(p.Role, clientID) {
		return amplify.RecapQuery{}, "", apperr.New(apperr.Forbidden, amplifyMsgNotAllowed)
	}
	per, err := period.FromQuery(q, a.Now())
	if err != nil {
		return amplify.RecapQuery{}, "", err
	}
	rq := amplify.RecapQuery{Kind: events.LinkReportRegular, Regional: strings.ToUpper(strings.TrimSpace(q.Get("regional_id"))),
		From: per.From, To: per.To, All: per.All}
	switch {
	case !standard && p.Role == "ditbinmas":
		rq.PostRole, rq.UserRole = "ditbinmas", "ditbinmas"
	case !standard:
		rq.PostClient, rq.UserClient = clientID, clientID
	case scope == "direktorat":
		rq.PostClient, rq.UserRole = clientID, role
		if auth.IsDirectorateRole(role) {
			rq.PostRole = role
		}
	case role == auth.RoleOperator:
		if p.ClientID == "" {
			return amplify.RecapQuery{}, "", apperr.Invalidf("client_id", "%s", amplifyMsgTokenClient)
		}
		own := normalize.ClientID(p.ClientID)
		rq.PostClient, rq.UserClient, rq.UserRole = own, own, auth.RoleOperator
	case auth.IsDirectorateRole(role):
		rq.PostClient, rq.UserRole = strings.ToUpper(role), role
		rq.UserClient = normalize.ClientID(p.ClientID)
		if rq.UserClient == "" {
			rq.UserClient = clientID
		}
	default:
		rq.PostClient, rq.UserClient = clientID, clientID
	}
	return rq, clientID, nil
}

// rekap is GET /amplify/rekap.
func (a *amplifyAPI) rekap(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	rq, _, err := a.rekapQuery(r, p)
	if err == nil {
		var rec amplify.Recap
		if rec, err = a.Read.Recap(r.Context(), rq); err == nil {
			rows := rec.Rows
			if rows == nil {
				rows = []amplify.RecapRow{}
			}
			httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": rows, "chartHeight": max(len(rows)*30, 300)})
			return
		}
	}
	httpx.Error(w, r, a.Logger, err)
}

// rekapExcel is GET /amplify/rekap/excel: the recap as a workbook.
func (a *amplifyAPI) rekapExcel(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	rq, clientID, err := a.rekapQuery(r, p)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	rec, err := a.Read.Recap(r.Context(), rq)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	label := rq.From + "_" + rq.To
	if rq.All {
		label = "semua"
	}
	writeWorkbook(w, r, a.Logger, fmt.Sprintf("rekap_amplifikasi_%s_%s.xlsx", fileToken(clientID), label), func() ([]byte, error) {
		return recapWorkbook(rec)
	})
}

func recapWorkbook(rec amplify.Recap) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	rows := [][]any{{"Client ID", "NRP", "Pangkat Nama", "Username", "Satfung", "Jumlah Link", "Target Link", "Status"}}
	for _, r := range rec.Rows {
		status := "Belum"
		if r.SudahMelaksanakan {
			status = "Sudah"
		}
		rows = append(rows, []any{r.ClientID, r.UserID, r.DisplayNama, r.Username, r.Divisi, r.JumlahLink, rec.MaxLink(), status})
	}
	for i, row := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row); err != nil {
			return nil, fmt.Errorf("amplify recap workbook: %w", err)
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("amplify recap workbook: %w", err)
	}
	return b.Bytes(), nil
}

package writeapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/cicero/cicero/projections/directory"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
)

const authMsgUserLoginRequired = "nrp dan whatsapp wajib diisi"

// personnelUserBody is `user` of the personnel login answer: the claims.
type personnelUserBody struct {
	UserID string `json:"user_id"`
	Nama   string `json:"nama"`
	Role   string `json:"role"`
}

type personnelLoginBody struct {
	Success bool              `json:"success"`
	Token   string            `json:"token"`
	User    personnelUserBody `json:"user"`
}

// userLogin is POST /api/auth/user-login (spec/access.md §2.4): a member
// of personnel proves himself by NRP and WhatsApp number (legacy clients
// send the number as `password`). As before the NRP is matched as sent and
// an inactive member may log in.
func (a *authAPI) userLogin(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeAuth(w, r)
	if !ok {
		return
	}
	nrp := strings.TrimSpace(b.str("nrp"))
	wa := b.str("whatsapp", "password")
	if nrp == "" || strings.TrimSpace(wa) == "" {
		authFail(w, http.StatusBadRequest, authMsgUserLoginRequired)
		return
	}
	if !allowAttempt(w, r, a.AuthDeps, auth.FlowUserLogin, nrp) {
		return
	}
	var p directory.Person
	err := directory.ErrNotFound
	if storableText(nrp) {
		p, err = a.dir.Person(r.Context(), nrp)
	}
	if err != nil && !errors.Is(err, directory.ErrNotFound) {
		a.serverError(w, r, "user login: find person", err)
		return
	}
	if err != nil || !personnelWhatsAppMatches(p.WhatsApp, wa) {
		authFail(w, http.StatusUnauthorized, authMsgNotFound)
		return
	}
	is, err := a.Auth.Issue(r.Context(), auth.KindUser, auth.Claims{UserID: p.UserID, Nama: p.Nama, Role: auth.RoleUser})
	if err != nil {
		a.serverError(w, r, "user login: issue token", err)
		return
	}
	loginSucceeded(r.Context(), a.AuthDeps, auth.FlowUserLogin, nrp)
	a.Auth.SetCookie(w, is.Token)
	httpx.JSON(w, http.StatusOK, personnelLoginBody{Success: true, Token: is.Token,
		User: personnelUserBody{UserID: p.UserID, Nama: p.Nama, Role: auth.RoleUser}})
}

// personnelWhatsAppMatches is the legacy rule: the stored number equals the
// input normalised (62…) or the input's digits. A member without a number
// cannot log in this way.
func personnelWhatsAppMatches(stored, input string) bool {
	stored = strings.TrimSpace(stored)
	if stored == "" {
		return false
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, input)
	return stored == normalize.WhatsApp(input) || (digits != "" && stored == digits)
}

package writeapi

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/cicero/cicero/projections/directory"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/normalize"
)

// Legacy messages of the mobile app's logins and self-registration
// (spec/access.md §2.3 and §1.10).
const (
	authMsgClientLoginRequired = "client_id dan client_operator wajib diisi"
	authMsgUserRegRequired     = "nrp, nama, dan client_id wajib diisi"
	authMsgUserRegWhatsApp     = "whatsapp tidak valid"
)

type clientLoginClient struct {
	ClientID string `json:"client_id"`
	Nama     string `json:"nama"`
	Role     string `json:"role"`
}

type clientLoginBody struct {
	Success bool              `json:"success"`
	Token   string            `json:"token"`
	Client  clientLoginClient `json:"client"`
}

// clientLogin is POST /api/auth/login (spec/access.md §2.3): a client's
// operator proves himself by the client's operator number, or is one of
// the admins (ADMIN_WHATSAPP). The token is of kind client: the operator
// allow-list plus the client TikTok routes (internal/auth/routes.go).
func (a *authAPI) clientLogin(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeAuth(w, r)
	if !ok {
		return
	}
	id, operator := strings.TrimSpace(b.str("client_id")), strings.TrimSpace(b.str("client_operator"))
	if id == "" || operator == "" {
		authFail(w, http.StatusBadRequest, authMsgClientLoginRequired)
		return
	}
	if !allowAttempt(w, r, a.AuthDeps, auth.FlowClientLogin, id) {
		return
	}
	var c directory.Client
	err := directory.ErrNotFound
	if storableText(id) {
		c, err = a.dir.Client(r.Context(), id)
	}
	if errors.Is(err, directory.ErrNotFound) {
		authFail(w, http.StatusUnauthorized, authMsgNotFound)
		return
	}
	if err != nil {
		a.serverError(w, r, "client login: find client", err)
		return
	}
	if !a.validOperator(c, operator) {
		// Unknown client and wrong number answer alike.
		authFail(w, http.StatusUnauthorized, authMsgNotFound)
		return
	}
	role := "client"
	if strings.EqualFold(c.ClientType, "direktorat") {
		role = strings.ToLower(c.ClientID)
	}
	is, err := a.Auth.Issue(r.Context(), auth.KindClient, auth.Claims{ClientID: c.ClientID, Nama: c.Nama, Role: role})
	if err != nil {
		a.serverError(w, r, "client login: issue token", err)
		return
	}
	loginSucceeded(r.Context(), a.AuthDeps, auth.FlowClientLogin, id)
	a.Auth.SetCookie(w, is.Token)
	httpx.JSON(w, http.StatusOK, clientLoginBody{Success: true, Token: is.Token,
		Client: clientLoginClient{ClientID: c.ClientID, Nama: c.Nama, Role: role}})
}

// validOperator is the legacy rule: the number equals the client's
// operator number (as sent or normalised), or is an admin's. Only a real
// number counts: an imported placeholder such as "0" normalises to "62",
// which must not open the client to anyone typing "0".
func (a *authAPI) validOperator(c directory.Client, input string) bool {
	n := normalize.WhatsApp(input)
	if !normalize.ValidWhatsApp(n) {
		return false
	}
	stored := strings.TrimSpace(c.ClientOperator)
	if normalize.ValidWhatsApp(normalize.WhatsApp(stored)) && (input == stored || n == normalize.WhatsApp(stored)) {
		return true
	}
	return slices.Contains(a.AdminWhatsApp, n)
}

// userRegister is POST /api/auth/user-register (spec/access.md §1.10): a
// member of personnel registers himself, without roles. The person
// commands validate (NRP digits, client registered, …) as for an admin.
func (a *authAPI) userRegister(w http.ResponseWriter, r *http.Request) {
	b, ok := decodeAuth(w, r)
	if !ok {
		return
	}
	cmd := person.RegisterPerson{NRP: strings.TrimSpace(b.str("nrp")), Nama: strings.TrimSpace(b.str("nama")),
		ClientID: strings.TrimSpace(b.str("client_id")), WhatsApp: strings.TrimSpace(b.str("whatsapp")),
		Divisi: b.str("divisi"), Jabatan: b.str("jabatan"), Title: b.str("title")}
	if cmd.NRP == "" || cmd.Nama == "" || cmd.ClientID == "" {
		authFail(w, http.StatusBadRequest, authMsgUserRegRequired)
		return
	}
	if cmd.WhatsApp != "" && !normalize.ValidWhatsApp(normalize.WhatsApp(cmd.WhatsApp)) {
		authFail(w, http.StatusBadRequest, authMsgUserRegWhatsApp)
		return
	}
	meta := commands.Meta{CommandID: commandIDs(r)(), Actor: "self-register", OccurredAt: a.Now()}
	o, err := person.NewHandlers(a.Runtime).RegisterPerson(r.Context(), meta, cmd)
	if apperr.CodeOf(err) == apperr.Conflict {
		// "nrp sudah terdaftar": the legacy answered 400, and this route
		// names no version that could conflict otherwise.
		authFail(w, http.StatusBadRequest, apperr.MessageOf(err))
		return
	}
	if err != nil {
		a.commandError(w, r, "user register", err)
		return
	}
	// The mobile app logs in right after registering: answer once the
	// directory shows the person.
	a.directory.done(w, r, written{status: http.StatusCreated, ps: o.Positions(),
		fields: map[string]any{"user_id": normalize.NRP(cmd.NRP)}})
}

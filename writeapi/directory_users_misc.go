package writeapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

func invalidRoles() error { return apperr.Invalidf("roles", usersMsgRolesArray) }

// waNotification is PUT /api/users/{id}/wa-notification (spec/access.md
// §1.5): the number sent must be the person's own.
func (a *usersCmdAPI) waNotification(w http.ResponseWriter, r *http.Request) {
	p, ok := principalOf(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	wa, err := b.text("whatsapp")
	if err != nil || strings.TrimSpace(strOr(wa)) == "" {
		a.fail(w, r, apperr.Invalidf("whatsapp", usersMsgWhatsApp))
		return
	}
	key := "opt_in"
	if _, has := b[key]; !has {
		key = "wa_notification_opt_in"
	}
	opt, err := b.boolean(key)
	if err != nil || opt == nil {
		a.fail(w, r, apperr.Invalidf("opt_in", usersMsgOptIn))
		return
	}
	expected, err := b.version()
	if err == nil {
		expected, err = expectedVersion(r, expected)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	x, err := a.target(r.Context(), p, chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	cmd := person.SetWhatsAppOptIn{NRP: x.UserID, OptIn: *opt, WhatsApp: *wa}
	ps, err := a.run(r, p, expected, []step{func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
		return a.People.SetWhatsAppOptIn(ctx, m, cmd)
	}})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusOK, x.UserID, ps)
}

// renumber is PUT|POST /api/user_roles/update: {old_user_id, new_user_id}
// moves a person (roles and all) to a new NRP.
func (a *usersCmdAPI) renumber(w http.ResponseWriter, r *http.Request) {
	p, ok := principalOf(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	var oldID, newID *string
	if err == nil {
		oldID, err = b.text("old_user_id")
	}
	if err == nil {
		newID, err = b.text("new_user_id")
	}
	var expected *uint64
	if err == nil {
		if expected, err = b.version(); err == nil {
			expected, err = expectedVersion(r, expected)
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	cmd := person.RenumberPerson{OldNRP: strOr(oldID), NewNRP: strOr(newID)}
	if o := normalize.NRP(cmd.OldNRP); o != "" {
		if _, err := a.target(r.Context(), p, o); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	ps, err := a.run(r, p, expected, []step{func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
		return a.People.RenumberPerson(ctx, m, cmd)
	}})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.done(w, r, written{status: http.StatusOK, ps: ps, fields: map[string]any{"data": map[string]string{
		"old_user_id": normalize.NRP(cmd.OldNRP), "new_user_id": normalize.NRP(cmd.NewNRP)}}})
}

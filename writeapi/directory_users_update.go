package writeapi

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
)

// updateKeys are the fields PUT /api/users/{id} accepts. The old system
// wrote body keys verbatim as SQL columns, so an unknown key was a
// database error (500); here it is a 400 naming the keys.
var updateKeys = map[string]bool{
	"user_id": true, "nama": true, "title": true, "divisi": true, "jabatan": true, "desa": true,
	"client_id": true, "whatsapp": true, "email": true, "insta": true, "tiktok": true,
	"exception": true, "status": true, "wa_notification_opt_in": true, "expected_version": true,
	"ditbinmas": true, "ditlantas": true, "bidhumas": true, "ditsamapta": true, "ditintelkam": true, "operator": true,
}

// update is PUT /api/users/{id} (spec/access.md §1.7): rename first when
// user_id differs, then the text fields, handles, exception, status,
// opt-in and role flags, each through its command.
func (a *usersCmdAPI) update(w http.ResponseWriter, r *http.Request) {
	p, ok := principalOf(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err == nil {
		err = b.unknown(updateKeys)
	}
	var u personUpdate
	if err == nil {
		u, err = readUpdate(r, b)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	x, err := a.target(r.Context(), p, chi.URLParam(r, "id"))
	if err == nil && u.fields.ClientID != nil && *u.fields.ClientID != "" && !p.AllowsClient(*u.fields.ClientID) {
		err = notAllowed()
	}
	if err == nil {
		err = checkRoleChanges(p, x.Roles, u.flags)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	nrp := x.UserID
	var steps []step
	if u.newID != "" && u.newID != nrp {
		oldID, newID := nrp, u.newID
		steps = append(steps, func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return a.People.RenumberPerson(ctx, m, person.RenumberPerson{OldNRP: oldID, NewNRP: newID})
		})
		nrp = newID
	}
	steps = append(steps, a.updateSteps(nrp, u)...)
	ps, err := a.run(r, p, u.expected, steps)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusOK, nrp, ps)
}

// personUpdate is a decoded PUT /api/users/{id} body.
type personUpdate struct {
	newID             string
	fields            person.UpdatePerson
	insta, tiktok     *string
	exception, status *bool
	optIn             *bool
	flags             map[string]bool
	expected          *uint64
}

func readUpdate(r *http.Request, b rawBody) (personUpdate, error) {
	var u personUpdate
	texts := []struct {
		key string
		dst **string
	}{
		{"nama", &u.fields.Nama}, {"title", &u.fields.Title}, {"divisi", &u.fields.Divisi},
		{"jabatan", &u.fields.Jabatan}, {"desa", &u.fields.Desa}, {"client_id", &u.fields.ClientID},
		{"whatsapp", &u.fields.WhatsApp}, {"email", &u.fields.Email}, {"insta", &u.insta}, {"tiktok", &u.tiktok},
	}
	var err error
	for _, t := range texts {
		if *t.dst, err = b.text(t.key); err != nil {
			return u, err
		}
	}
	id, err := b.text("user_id")
	if err != nil {
		return u, err
	}
	if id != nil {
		u.newID = normalize.NRP(*id)
	}
	bools := []struct {
		key string
		dst **bool
	}{{"exception", &u.exception}, {"status", &u.status}, {"wa_notification_opt_in", &u.optIn}}
	for _, bo := range bools {
		if *bo.dst, err = b.boolean(bo.key); err != nil {
			return u, err
		}
	}
	if u.flags, err = b.flags(); err != nil {
		return u, err
	}
	if u.expected, err = b.version(); err != nil {
		return u, err
	}
	u.expected, err = expectedVersion(r, u.expected)
	return u, err
}

// updateSteps turns a decoded update into commands on nrp.
func (a *usersCmdAPI) updateSteps(nrp string, u personUpdate) []step {
	var steps []step
	f := u.fields
	f.NRP = nrp
	if f.Nama != nil || f.Title != nil || f.Divisi != nil || f.Jabatan != nil || f.Desa != nil ||
		f.ClientID != nil || f.WhatsApp != nil || f.Email != nil {
		steps = append(steps, func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return a.People.UpdatePerson(ctx, m, f)
		})
	}
	for _, h := range []struct {
		platform string
		v        *string
	}{{events.PlatformInstagram, u.insta}, {events.PlatformTiktok, u.tiktok}} {
		if h.v != nil {
			cmd := person.SetHandle{NRP: nrp, Platform: h.platform, Handle: *h.v}
			steps = append(steps, func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
				return a.People.SetHandle(ctx, m, cmd)
			})
		}
	}
	if u.exception != nil {
		cmd := person.SetException{NRP: nrp, Exception: *u.exception}
		steps = append(steps, func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return a.People.SetException(ctx, m, cmd)
		})
	}
	if u.status != nil {
		active := *u.status
		steps = append(steps, func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			if active {
				return a.People.Reactivate(ctx, m, person.Reactivate{NRP: nrp})
			}
			return a.People.Deactivate(ctx, m, person.Deactivate{NRP: nrp})
		})
	}
	if u.optIn != nil {
		cmd := person.SetWhatsAppOptIn{NRP: nrp, OptIn: *u.optIn}
		steps = append(steps, func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return a.People.SetWhatsAppOptIn(ctx, m, cmd)
		})
	}
	return append(steps, a.flagSteps(nrp, u.flags)...)
}

// deactivate is DELETE /api/users/{id} (spec/access.md §1.8): with a role
// (query or body) only that role goes, and the person too when it was the
// last; without one the person is deactivated. Nothing is deleted.
func (a *usersCmdAPI) deactivate(w http.ResponseWriter, r *http.Request) {
	p, ok := principalOf(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	role := r.URL.Query().Get("role")
	if role == "" {
		v, err := b.text("role")
		if err != nil {
			a.fail(w, r, err)
			return
		}
		role = strOr(v)
	}
	role = strings.ToLower(strings.TrimSpace(role))
	expected, err := b.version()
	if err == nil {
		expected, err = expectedVersion(r, expected)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	x, err := a.target(r.Context(), p, chi.URLParam(r, "id"))
	if err == nil && role != "" && slices.Contains(x.Roles, role) && !mayChangeRole(p, role) {
		err = roleNotAllowed("role", role)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ps, err := a.run(r, p, expected, []step{func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
		return a.People.Deactivate(ctx, m, person.Deactivate{NRP: x.UserID, Role: role})
	}})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusOK, x.UserID, ps)
}

// setRoles is PUT /api/users/{id}/roles: each of the six flag roles is
// held exactly when named in "roles" (case-insensitive).
func (a *usersCmdAPI) setRoles(w http.ResponseWriter, r *http.Request) {
	p, ok := principalOf(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	var roles []string
	var given bool
	if err == nil {
		roles, given, err = b.strings("roles")
		if err == nil && !given {
			err = invalidRoles()
		}
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
	x, err := a.target(r.Context(), p, chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	want := lowerAll(roles)
	flags := map[string]bool{}
	for _, k := range flagKeys {
		flags[k] = containsStr(want, k)
	}
	if err := checkRoleChanges(p, x.Roles, flags); err != nil {
		a.fail(w, r, err)
		return
	}
	ps, err := a.run(r, p, expected, a.flagSteps(x.UserID, flags))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusOK, x.UserID, ps)
}

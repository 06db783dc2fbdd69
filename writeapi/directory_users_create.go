package writeapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/cicero/cicero/projections/directory"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/middleware"
	"github.com/cicero/cicero/internal/normalize"
)

// createText are the text fields POST /api/users[/create] reads; others are
// ignored, as before.
var createText = []string{"user_id", "nama", "title", "divisi", "jabatan", "desa", "client_id", "insta", "tiktok", "whatsapp", "email"}

// createInput is a create request after the requester's role rules.
type createInput struct {
	text     map[string]string
	flags    map[string]bool
	reset    []string // roles a reactivated person keeps; nil = no reset
	client   string
	except   bool
	optIn    bool
	expected *uint64
}

// create is POST /api/users/create and POST /api/users (spec/access.md
// §1.6): a new NRP is registered (201), a known one is moved to the
// requested client, reactivated with its roles reset to the requester's,
// or given the requested roles (200).
func (a *usersCmdAPI) create(w http.ResponseWriter, r *http.Request) {
	p, ok := principalOf(w, r)
	if !ok {
		return
	}
	in, err := readCreate(w, r, p)
	if err == nil {
		// Every role is checked before any command runs: a refusal
		// appends nothing.
		err = knownRoles(in.flags)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	nrp := normalize.NRP(in.text["user_id"])
	existing, err := a.Directory.Person(r.Context(), nrp)
	if nrp == "" || errors.Is(err, directory.ErrNotFound) {
		if err := checkRoleChanges(p, nil, in.flags); err != nil {
			a.fail(w, r, err)
			return
		}
		a.register(w, r, p, nrp, in)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if _, keyed := middleware.IdempotencyScope(r.Context()); keyed && checkRoleChanges(p, nil, in.flags) == nil {
		// The person may exist because this very request registered it
		// before (a retry whose first answer was lost): the registration
		// under the request's first command id answers that from the
		// history. A person who existed before refuses it, and the request
		// goes on as an update of a known NRP.
		if ps, err := a.run(r, p, nil, []step{a.registration(in)}); err == nil {
			a.finish(w, r, http.StatusCreated, nrp, ps)
			return
		} else if c := apperr.CodeOf(err); c == apperr.Internal || c == apperr.Unavailable {
			a.fail(w, r, err)
			return
		}
	}
	if existing.ClientID != nil && !inScope(p, existing) {
		a.fail(w, r, notAllowed())
		return
	}
	steps, err := a.existingSteps(p, existing, in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ps, err := a.run(r, p, in.expected, steps)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusOK, nrp, ps)
}

// readCreate decodes the body and applies the requester rules of §1.6.
func readCreate(w http.ResponseWriter, r *http.Request, p *auth.Principal) (createInput, error) {
	b, err := decodeBody(w, r)
	if err != nil {
		return createInput{}, err
	}
	in := createInput{text: map[string]string{}}
	for _, k := range createText {
		v, err := b.text(k)
		if err != nil {
			return in, err
		}
		in.text[k] = strOr(v)
	}
	if in.flags, err = b.flags(); err != nil {
		return in, err
	}
	roles, _, err := b.strings("roles")
	if err != nil {
		return in, err
	}
	ex, err := b.boolean("exception")
	if err != nil {
		return in, err
	}
	opt, err := b.boolean("wa_notification_opt_in")
	if err != nil {
		return in, err
	}
	in.except, in.optIn = boolOr(ex), boolOr(opt)
	if in.expected, err = b.version(); err != nil {
		return in, err
	}
	if in.expected, err = expectedVersion(r, in.expected); err != nil {
		return in, err
	}
	in.client = strings.TrimSpace(in.text["client_id"])
	applyRequesterRules(p, &in, lowerAll(roles))
	if !p.IsAdmin() {
		// Scoped callers create only in their own clients.
		if in.client, err = p.ResolveClient(in.client); err != nil {
			return in, err
		}
	}
	return in, nil
}

// applyRequesterRules: a directorate requester creates in its own client
// with its own role; an operator grants the roles it names (operator when
// none), and naming operator clears directorate flags it did not give;
// anyone else passes the body's roles and flags as they are.
func applyRequesterRules(p *auth.Principal, in *createInput, roles []string) {
	switch role := p.Role; {
	case auth.IsDirectorateRole(role):
		if p.ClientID != "" {
			in.client = p.ClientID
		}
		in.flags[role] = true
		in.reset = []string{role}
	case role == auth.RoleOperator:
		if len(roles) == 0 {
			roles = []string{auth.RoleOperator}
		}
		explicit := map[string]bool{}
		for k := range in.flags {
			explicit[k] = true
		}
		for _, r := range roles {
			in.flags[r] = true
		}
		if in.flags[auth.RoleOperator] {
			for _, d := range directorateKeys {
				if !explicit[d] && !containsStr(roles, d) {
					in.flags[d] = false
				}
			}
		}
		in.reset = []string{auth.RoleOperator}
	default:
		for _, r := range roles {
			in.flags[r] = true
		}
	}
}

func containsStr(list []string, s string) bool { return slices.Contains(list, s) }

// register enters a new person with the truthy flags as roles → 201.
func (a *usersCmdAPI) register(w http.ResponseWriter, r *http.Request, p *auth.Principal, nrp string, in createInput) {
	ps, err := a.run(r, p, in.expected, []step{a.registration(in)})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.finish(w, r, http.StatusCreated, nrp, ps)
}

// registration is the RegisterPerson step of a create request.
func (a *usersCmdAPI) registration(in createInput) step {
	var roles []string
	for k, v := range in.flags {
		if v {
			roles = append(roles, k)
		}
	}
	t := in.text
	cmd := person.RegisterPerson{NRP: t["user_id"], Nama: t["nama"], Title: t["title"], Divisi: t["divisi"],
		Jabatan: t["jabatan"], Desa: t["desa"], ClientID: in.client, Insta: t["insta"], Tiktok: t["tiktok"],
		WhatsApp: t["whatsapp"], Email: t["email"], Roles: sortedRoles(roles), Exception: in.except, WhatsAppOptIn: in.optIn}
	return func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
		return a.People.RegisterPerson(ctx, m, cmd)
	}
}

// existingSteps are the commands for an NRP already known: move it to the
// requested client, then reactivate (resetting roles to the requester's
// for operators and directorates, keeping those the requester may not
// change) or grant the requested roles. A role change the requester may
// not make refuses the whole request before any command runs.
func (a *usersCmdAPI) existingSteps(p *auth.Principal, x directory.Person, in createInput) ([]step, error) {
	var steps []step
	if in.client != "" && (x.ClientID == nil || !strings.EqualFold(*x.ClientID, in.client)) {
		c := in.client
		steps = append(steps, func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return a.People.UpdatePerson(ctx, m, person.UpdatePerson{NRP: x.UserID, ClientID: &c})
		})
	}
	if !x.Status {
		reset := in.reset
		if reset != nil {
			reset = append(slices.Clone(reset), keptRoles(p, x.Roles)...)
			want := map[string]bool{}
			for _, r := range x.Roles {
				want[r] = false
			}
			for _, r := range reset {
				want[r] = true
			}
			if err := checkRoleChanges(p, x.Roles, want); err != nil {
				return nil, err
			}
		}
		return append(steps, func(ctx context.Context, m commands.Meta) (commands.Outcome, error) {
			return a.People.Reactivate(ctx, m, person.Reactivate{NRP: x.UserID, ResetRoles: reset})
		}), nil
	}
	grants := sortedRoles(keysTrue(in.flags))
	if err := checkRoleChanges(p, x.Roles, trueFlags(grants)); err != nil {
		return nil, err
	}
	for _, k := range grants {
		steps = append(steps, a.grant(x.UserID, k))
	}
	return steps, nil
}

func trueFlags(roles []string) map[string]bool {
	out := make(map[string]bool, len(roles))
	for _, r := range roles {
		out[r] = true
	}
	return out
}

func keysTrue(m map[string]bool) []string {
	var out []string
	for k, v := range m {
		if v {
			out = append(out, k)
		}
	}
	return out
}

// sortedRoles orders roles so commands and events are deterministic.
func sortedRoles(rs []string) []string {
	out := slices.Clone(rs)
	slices.Sort(out)
	return out
}

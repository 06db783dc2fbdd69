// Package person is the person aggregate of the DIRECTORY context: one
// member of personnel, keyed by NRP/NIP (subject directory.person.<NRP>).
// Its commands (one file each) decide from the person's own events, plus the
// client aggregate's events when a client id must exist; handlers.go lists
// them. Input is normalised with internal/normalize, the same functions the
// directory projection uses.
package person

import (
	"context"
	"fmt"
	"slices"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// Person is the state of one person, folded from its subject's events.
type Person struct {
	NRP        string
	Registered bool
	// MovedTo is the new NRP after a renumbering; a moved aggregate refuses
	// every command until the NRP is registered (or renumbered into) again.
	MovedTo string

	Nama, Title, Divisi, Jabatan, Desa string
	ClientID                           string
	Insta, Tiktok                      string
	WhatsApp, Email                    string
	Roles                              []string // in grant order
	Active                             bool
	Exception                          bool
	WhatsAppOptIn                      bool
}

// Apply folds one event into the state.
func (p *Person) Apply(ev events.Payload) {
	switch e := ev.(type) {
	case *events.PersonRegistered:
		p.fromRegistered(*e, true)
	case *events.PersonUpdated:
		p.applyChanges(e.Changes)
	case *events.PersonHandleChanged:
		if e.Platform == events.PlatformInstagram {
			p.Insta = e.Handle
		} else {
			p.Tiktok = e.Handle
		}
	case *events.PersonRoleGranted:
		if !p.HasRole(e.Role) {
			p.Roles = append(p.Roles, e.Role)
		}
	case *events.PersonRoleRevoked:
		p.Roles = slices.DeleteFunc(p.Roles, func(r string) bool { return r == e.Role })
	case *events.PersonDeactivated:
		p.Active = false
	case *events.PersonReactivated:
		p.Active = true
	case *events.PersonExceptionChanged:
		p.Exception = e.Exception
	case *events.PersonWhatsAppOptInChanged:
		p.WhatsAppOptIn = e.OptIn
	case *events.PersonRenumbered:
		// The same event sits on both subjects; which side this aggregate is
		// on decides whether it ends or begins here.
		switch p.NRP {
		case e.NewNRP:
			p.fromRegistered(e.Person.PersonRegistered, e.Person.Active)
			p.NRP = e.NewNRP
		case e.OldNRP:
			p.MovedTo = e.NewNRP
		}
	}
}

func (p *Person) fromRegistered(e events.PersonRegistered, active bool) {
	*p = Person{NRP: p.NRP, Registered: true, Nama: e.Nama, Title: e.Title, Divisi: e.Divisi,
		Jabatan: e.Jabatan, Desa: e.Desa, ClientID: e.ClientID, Insta: e.Insta, Tiktok: e.Tiktok,
		WhatsApp: e.WhatsApp, Email: e.Email, Roles: slices.Clone(e.Roles), Active: active,
		Exception: e.Exception, WhatsAppOptIn: e.WhatsAppOptIn}
}

func (p *Person) applyChanges(f events.PersonFields) {
	for _, s := range []struct {
		dst *string
		v   *string
	}{{&p.Nama, f.Nama}, {&p.Title, f.Title}, {&p.Divisi, f.Divisi}, {&p.Jabatan, f.Jabatan},
		{&p.Desa, f.Desa}, {&p.ClientID, f.ClientID}, {&p.WhatsApp, f.WhatsApp}, {&p.Email, f.Email}} {
		if s.v != nil {
			*s.dst = *s.v
		}
	}
}

// HasRole reports whether the person holds role (normalised name).
func (p Person) HasRole(role string) bool { return slices.Contains(p.Roles, role) }

// Snapshot is the person's whole state as carried by PersonRenumbered, under
// the NRP it is moving to.
func (p Person) Snapshot(nrp string) events.PersonSnapshot {
	roles := slices.Clone(p.Roles)
	if roles == nil {
		roles = []string{}
	}
	return events.PersonSnapshot{Active: p.Active, PersonRegistered: events.PersonRegistered{
		NRP: nrp, Nama: p.Nama, Title: p.Title, Divisi: p.Divisi, Jabatan: p.Jabatan, Desa: p.Desa,
		ClientID: p.ClientID, Insta: p.Insta, Tiktok: p.Tiktok, WhatsApp: p.WhatsApp, Email: p.Email,
		Roles: roles, Exception: p.Exception, WhatsAppOptIn: p.WhatsAppOptIn}}
}

// Load reads and folds the person with the (normalised) NRP through the
// command's loader and returns it with its version.
func Load(ctx context.Context, l *commands.Loader, nrp string) (Person, uint64, error) {
	envs, v, err := l.Load(ctx, events.PersonSubject(nrp))
	if err != nil {
		return Person{}, 0, fmt.Errorf("load person: %w", err)
	}
	p := Person{NRP: nrp}
	for i := range envs {
		ev, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return Person{}, 0, fmt.Errorf("load person: %w", err)
		}
		p.Apply(ev)
	}
	return p, v, nil
}

// mustExist refuses commands on a person that is not (or no longer) here.
func (p Person) mustExist() error {
	if p.MovedTo != "" {
		return &apperr.Error{Code: apperr.NotFound, Field: "user_id", Message: fmt.Sprintf(msgMoved, p.MovedTo)}
	}
	if !p.Registered {
		return &apperr.Error{Code: apperr.NotFound, Field: "user_id", Message: msgNotFound}
	}
	return nil
}

// present reports whether the NRP is taken by a person who has not moved.
func (p Person) present() bool { return p.Registered && p.MovedTo == "" }

// commit wraps events for the person's own subject at version v.
func (p Person) commit(v uint64, evs ...events.Payload) []events.Commit {
	return []events.Commit{{Subject: events.PersonSubject(p.NRP), AggregateID: p.NRP, Expected: v, Events: evs}}
}

// loadExisting parses the NRP, loads the person and refuses if absent: the
// start of every command but RegisterPerson and RenumberPerson.
func loadExisting(ctx context.Context, l *commands.Loader, rawNRP string) (Person, uint64, error) {
	nrp, err := parseNRP("user_id", rawNRP)
	if err != nil {
		return Person{}, 0, err
	}
	p, v, err := Load(ctx, l, nrp)
	if err != nil {
		return Person{}, 0, err
	}
	if err := p.mustExist(); err != nil {
		return Person{}, 0, err
	}
	return p, v, nil
}

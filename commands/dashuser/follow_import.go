package dashuser

import (
	"context"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// FollowImportedAccount brings to an account imported before the old
// system's current bcrypt hash, role, WhatsApp and e-mail (a rerun of
// `cicero import-v2` during a cut-over). Only what changed there since
// the importer last set it is taken: a value the old row still has as it
// was imported is left as it is here, so a password changed in Cicero
// meanwhile is not put back, while a password changed in the old system
// (or changed there and back) follows. By is the importer's actor: its
// events in the account's history are "what was last imported".
type FollowImportedAccount struct {
	DashboardUserID string
	PasswordHash    string
	Role            string
	WhatsApp        string
	Email           string
	By              string
}

// accountDetails are the values the importer follows.
type accountDetails struct{ hash, role, whatsapp, email string }

func (cmd FollowImportedAccount) parse() (string, accountDetails, error) {
	var d accountDetails
	id, err := parseID(cmd.DashboardUserID)
	if err != nil {
		return "", d, err
	}
	if d.hash = strings.TrimSpace(cmd.PasswordHash); !bcryptRE.MatchString(d.hash) {
		return "", d, invalid("password_hash", msgHashInvalid)
	}
	if d.whatsapp, err = parseWhatsApp(cmd.WhatsApp); err != nil {
		return "", d, err
	}
	if d.email, err = parseEmail(cmd.Email); err != nil {
		return "", d, err
	}
	if d.role, err = parseRole(cmd.Role, nil); err != nil {
		return "", d, err
	}
	if strings.TrimSpace(cmd.By) == "" {
		return "", d, invalid("by", msgRequired)
	}
	return id, d, nil
}

func (cmd FollowImportedAccount) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	id, now, err := cmd.parse()
	if err != nil {
		return nil, err
	}
	envs, v, err := l.Load(ctx, events.DashboardUserSubject(id))
	if err != nil {
		return nil, err
	}
	// One pass folds the state and notes what the importer set last.
	u := User{ID: id}
	var last accountDetails
	for i := range envs {
		ev, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return nil, err
		}
		u.Apply(ev)
		if envs[i].Meta.Actor != cmd.By {
			continue
		}
		switch e := ev.(type) {
		case *events.DashboardUserRegistered:
			last = accountDetails{hash: e.PasswordHash, role: e.Role, whatsapp: e.WhatsApp, email: e.Email}
		case *events.DashboardPasswordChanged:
			last.hash = e.PasswordHash
		case *events.DashboardUserDetailsChanged:
			last.role, last.whatsapp, last.email = e.Role, e.WhatsApp, e.Email
		}
	}
	if !u.Registered {
		return nil, &apperr.Error{Code: apperr.NotFound, Field: "dashboard_user_id", Message: msgNotFound}
	}
	// follow is the value to hold: the old row's when it moved since the
	// last import, else ours.
	follow := func(old, imported, ours string) string {
		if old != imported {
			return old
		}
		return ours
	}
	var evs []events.Payload
	if h := follow(now.hash, last.hash, u.PasswordHash); h != u.PasswordHash {
		evs = append(evs, events.DashboardPasswordChanged{DashboardUserID: id, PasswordHash: h, Reset: true})
	}
	d := events.DashboardUserDetailsChanged{DashboardUserID: id, Role: follow(now.role, last.role, u.Role),
		WhatsApp: follow(now.whatsapp, last.whatsapp, u.WhatsApp), Email: follow(now.email, last.email, u.Email)}
	if d.Role != u.Role || d.WhatsApp != u.WhatsApp || d.Email != u.Email {
		evs = append(evs, d)
	}
	if len(evs) == 0 {
		return nil, nil
	}
	return one(u.commit(v, evs...)), nil
}

// FollowImportedAccount → DashboardPasswordChanged and/or
// DashboardUserDetailsChanged, nothing when the old row moved nowhere.
func (h *Handlers) FollowImportedAccount(ctx context.Context, meta commands.Meta, cmd FollowImportedAccount) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "dashuser.FollowImportedAccount", meta, cmd.decide)
}

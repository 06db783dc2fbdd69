package dashuser

import (
	"context"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/password"
)

// RegisterDashboardUser is the dashboard's self-registration
// (POST /api/auth/dashboard-register): a pending account that an admin must
// approve. username is trimmed, kept as typed and unique case-insensitively;
// password needs 8–72 bytes' worth (at least 8 characters) and is stored as
// a bcrypt hash; whatsapp (stored 62…, at least 8 digits) or email (trimmed,
// lower-cased) must be given, or both; role is one of SelfRegisterRoles
// (blank: operator — never admin); client_ids are upper-cased, deduplicated,
// must name registered clients, and an operator needs at least one.
// dashboard_user_id may be given (a UUID); otherwise the handler derives it
// from the command id, so a retried command names the same account.
// Refusals: Invalid (field named, messages of validate.go), Conflict
// "username sudah terpakai" / "dashboard_user_id sudah terdaftar".
type RegisterDashboardUser struct {
	DashboardUserID string   `json:"dashboard_user_id"`
	Username        string   `json:"username"`
	Password        string   `json:"password"`
	Role            string   `json:"role"`
	WhatsApp        string   `json:"whatsapp"`
	Email           string   `json:"email"`
	ClientIDs       []string `json:"client_ids"`
}

// registration is a validated RegisterDashboardUser or CreateDashboardUser.
type registration struct {
	id, username, password string
	ev                     events.DashboardUserRegistered
	// approvedBy, when set, approves the account in the same message.
	approvedBy string
	// hash, when set, is the account's bcrypt hash kept from another
	// system (ImportDashboardUser): nothing is hashed.
	hash string
}

func (cmd RegisterDashboardUser) parse() (registration, error) {
	return parseRegistration(cmd.DashboardUserID, cmd.Username, cmd.Password, cmd.Role, cmd.WhatsApp, cmd.Email,
		cmd.ClientIDs, SelfRegisterRoles, true)
}

func parseRegistration(id, username, pw, role, wa, email string, clientIDs, roles []string, needContact bool) (registration, error) {
	var r registration
	var err error
	if r.id, err = parseID(id); err != nil {
		return r, err
	}
	if r.username, err = parseUsername(username); err != nil {
		return r, err
	}
	switch {
	case r.username == "":
		return r, invalid("username", msgRequired)
	case pw == "":
		return r, invalid("password", msgRequired)
	}
	ev := events.DashboardUserRegistered{DashboardUserID: r.id, Username: r.username,
		ClientIDs: parseClientIDs(clientIDs), Status: events.DashboardStatusPending}
	if ev.WhatsApp, err = parseWhatsApp(wa); err != nil {
		return r, err
	}
	if ev.Email, err = parseEmail(email); err != nil {
		return r, err
	}
	if needContact && ev.WhatsApp == "" && ev.Email == "" {
		return r, invalid("whatsapp", msgRequired)
	}
	if err := checkNewPassword("password", pw); err != nil {
		return r, err
	}
	if ev.Role, err = parseRole(role, roles); err != nil {
		return r, err
	}
	r.password, r.ev = pw, ev
	return r, nil
}

// decide creates the account and reserves its username in one atomic
// batch, both checked against the versions seen: of two registrations of
// one name (in any case), one lands and the other re-decides into
// "username sudah terpakai".
func (r registration) decide(ctx context.Context, l *commands.Loader, hasher password.Hasher) ([]events.Commit, error) {
	u, uv, err := Load(ctx, l, r.id)
	if err != nil {
		return nil, err
	}
	if u.Registered {
		if events.UsernameKey(u.Username) == events.UsernameKey(r.username) {
			return nil, nil // this registration landed before: nothing to do
		}
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "dashboard_user_id", Message: msgIDTaken}
	}
	res, rv, err := loadReservation(ctx, l, r.username)
	if err != nil {
		return nil, err
	}
	if res.holder != "" {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "username", Message: msgUsernameTaken}
	}
	if err := checkClients(ctx, l, r.ev.Role, r.ev.ClientIDs); err != nil {
		return nil, err
	}
	ev := r.ev
	// Hashed last: refusals stay cheap, and bcrypt runs once per decision.
	if r.hash != "" {
		ev.PasswordHash = r.hash
	} else if ev.PasswordHash, err = hasher.Hash(r.password); err != nil {
		return nil, err
	}
	evs := []events.Payload{ev}
	if r.approvedBy != "" {
		evs = append(evs, events.DashboardUserApproved{DashboardUserID: r.id, By: r.approvedBy})
	}
	u.ID = r.id
	return []events.Commit{u.commit(uv, evs...), res.reserve(rv, r.id)}, nil
}

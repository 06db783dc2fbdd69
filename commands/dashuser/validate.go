package dashuser

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/password"
)

// Messages of the dashboard-user commands; the legacy API's wording where
// it had one (spec access.md §2.5–2.8).
const (
	msgRequired        = "username, password, dan whatsapp atau email wajib diisi"
	msgUsernameInvalid = "username tidak valid"
	msgUsernameLong    = "username maksimal 100 karakter"
	msgUsernameTaken   = "username sudah terpakai"
	msgWhatsAppInvalid = "whatsapp tidak valid"
	msgEmailInvalid    = "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"
	msgPasswordShort   = "password minimal 8 karakter"
	msgPasswordLong    = "password maksimal 72 karakter"
	msgPasswordWrong   = "password lama salah"
	msgRoleInvalid     = "role tidak valid"
	msgClientRequired  = "minimal satu client harus dipilih"
	msgClientNotFound  = "client_id tidak ditemukan"
	msgIDInvalid       = "dashboard_user_id tidak valid"
	msgIDTaken         = "dashboard_user_id sudah terdaftar"
	msgNotFound        = "pengguna dashboard tidak ditemukan"
	msgForbidden       = "Forbidden"
	msgNotApproved     = "Akun belum disetujui"
	msgContactRequired = "username dan kontak wajib diisi"
	msgContactInvalid  = "kontak whatsapp tidak valid"
	msgContactMismatch = "kontak tidak sesuai dengan data pengguna"
	msgResetTokenBad   = "token reset tidak valid atau sudah kedaluwarsa"
)

const (
	maxUsernameRunes    = 100
	defaultLoginSource  = "web"
	defaultApproverName = "system"
)

// Roles. Admins approve accounts and may do anything; operators are scoped
// to their clients; the directorate roles stand for a directorate client.
const (
	RoleAdmin       = "admin"
	RoleOperator    = "operator"
	RoleDitbinmas   = "ditbinmas"
	RoleDitlantas   = "ditlantas"
	RoleBidhumas    = "bidhumas"
	RoleDitsamapta  = "ditsamapta"
	RoleDitintelkam = "ditintelkam"
)

// SelfRegisterRoles are the roles a registrant may choose. The legacy form
// accepted any role of its roles table, admin included (spec access.md
// §7.1 #6); here admin accounts come only from CreateDashboardUser, and
// names the route allow-lists do not know are refused.
var SelfRegisterRoles = []string{RoleOperator, RoleDitbinmas, RoleDitlantas, RoleBidhumas, RoleDitsamapta, RoleDitintelkam}

func invalid(field, msg string) error {
	return &apperr.Error{Code: apperr.Invalid, Field: field, Message: msg}
}

// requireAdmin refuses an actor whose role (as the caller established it,
// before any directorate normalisation) is not admin.
func requireAdmin(actorRole string) error {
	if normalize.Role(actorRole) != RoleAdmin {
		return &apperr.Error{Code: apperr.Forbidden, Message: msgForbidden}
	}
	return nil
}

// parseID accepts a UUID in any spelling uuid.Parse knows and returns its
// canonical lower-case form, the one subjects and the read model use.
func parseID(s string) (string, error) {
	id, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", invalid("dashboard_user_id", msgIDInvalid)
	}
	return id.String(), nil
}

// parseUsername trims; empty is the caller's "required" case.
func parseUsername(s string) (string, error) {
	u := strings.TrimSpace(s)
	if !utf8.ValidString(u) || strings.ContainsFunc(u, unicode.IsControl) {
		return "", invalid("username", msgUsernameInvalid)
	}
	if utf8.RuneCountInString(u) > maxUsernameRunes {
		return "", invalid("username", msgUsernameLong)
	}
	return u, nil
}

// checkNewPassword applies the password policy to a password about to be set.
func checkNewPassword(field, pw string) error {
	switch {
	case password.TooShort(pw):
		return invalid(field, msgPasswordShort)
	case password.TooLong(pw):
		return invalid(field, msgPasswordLong)
	}
	return nil
}

func parseWhatsApp(s string) (string, error) {
	n := normalize.WhatsApp(s)
	if n != "" && !normalize.ValidWhatsApp(n) {
		return "", invalid("whatsapp", msgWhatsAppInvalid)
	}
	return n, nil
}

func parseEmail(s string) (string, error) {
	e := normalize.Email(s)
	if e != "" && !normalize.ValidEmail(e) {
		return "", invalid("email", msgEmailInvalid)
	}
	return e, nil
}

// parseRole normalises a role; blank means operator (the legacy default).
// allowed, when not nil, limits the choice.
func parseRole(s string, allowed []string) (string, error) {
	r := normalize.Role(s)
	if r == "" {
		return RoleOperator, nil
	}
	if !normalize.ValidRole(r) || (allowed != nil && !slices.Contains(allowed, r)) {
		return "", invalid("role", msgRoleInvalid)
	}
	return r, nil
}

// parseClientIDs upper-cases, drops blanks and repeats, and sorts: the set
// of clients has no order.
func parseClientIDs(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if id := normalize.ClientID(s); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// checkClients makes sure every id names a registered client, reading the
// clients' own subjects (commands never read read models). An operator
// needs at least one client: it sees nothing without.
func checkClients(ctx context.Context, l *commands.Loader, role string, ids []string) error {
	if role == RoleOperator && len(ids) == 0 {
		return invalid("client_ids", msgClientRequired)
	}
	for _, id := range ids {
		c, _, err := client.Load(ctx, l, id)
		if err != nil {
			return fmt.Errorf("check client: %w", err)
		}
		if !c.Registered {
			return invalid("client_ids", msgClientNotFound)
		}
	}
	return nil
}

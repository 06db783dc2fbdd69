package person

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// Messages of the person commands; the legacy API's wording where it had one.
const (
	msgNRPRequired      = "nrp wajib diisi"
	msgNRPLength        = "nrp harus terdiri dari 6-18 digit"
	msgNRPTaken         = "nrp sudah terdaftar"
	msgNRPSame          = "nrp baru sama dengan nrp lama"
	msgNotFound         = "user tidak ditemukan"
	msgMoved            = "user tidak ditemukan: nrp telah diganti menjadi %s"
	msgNamaRequired     = "nama wajib diisi"
	msgClientNotFound   = "client_id tidak ditemukan"
	msgWhatsAppInvalid  = "whatsapp tidak valid"
	msgEmailInvalid     = "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"
	msgInstaInvalid     = "Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username."
	msgTiktokInvalid    = "Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."
	msgInstaReserved    = "username instagram tidak valid"
	msgTiktokReserved   = "username tiktok tidak valid"
	msgPlatformInvalid  = "platform tidak valid"
	msgRoleRequired     = "role wajib diisi"
	msgRoleInvalid      = "role tidak valid"
	msgRoleUnknown      = "role %s tidak dikenal; role yang tersedia: %s"
	msgRoleNotHeld      = "Role %s tidak ditemukan untuk user"
	msgNoWhatsApp       = "user belum memiliki nomor WhatsApp yang terdaftar"
	msgWhatsAppMismatch = "nomor WhatsApp tidak sesuai dengan data user"
)

// reservedHandle belongs to the Super Admin; the legacy self-service and
// claim flows refuse it on both platforms.
const reservedHandle = "cicero_devs"

// Known roles: the five directorates and operator carry meaning across the
// system (membership, scoping, flags), and they are the only roles a person
// can be given (registration, GrantRole, a reactivation's reset roles).
// The legacy roles table grew ad-hoc names; imported ones may still be
// revoked, so revoking accepts any well-formed name of [a-z0-9_].
const (
	RoleOperator    = "operator"
	RoleDitbinmas   = "ditbinmas"
	RoleDitlantas   = "ditlantas"
	RoleBidhumas    = "bidhumas"
	RoleDitsamapta  = "ditsamapta"
	RoleDitintelkam = "ditintelkam"
)

// KnownRoles lists the roles the directory knows by name: the closed set a
// person can be given. The directorates are internal/auth's
// DirectorateRoles (a test holds the two lists together).
var KnownRoles = []string{RoleOperator, RoleDitbinmas, RoleDitlantas, RoleBidhumas, RoleDitsamapta, RoleDitintelkam}

func invalid(field, msg string) error {
	return &apperr.Error{Code: apperr.Invalid, Field: field, Message: msg}
}

// parseNRP keeps the digits of s and checks the 6–18 digit bound.
func parseNRP(field, s string) (string, error) {
	n := normalize.NRP(s)
	switch {
	case n == "":
		return "", invalid(field, msgNRPRequired)
	case len(n) < normalize.MinNRPDigits || len(n) > normalize.MaxNRPDigits:
		return "", invalid(field, msgNRPLength)
	}
	return n, nil
}

func parseNama(s string) (string, error) {
	n := normalize.Text(s)
	if n == "" {
		return "", invalid("nama", msgNamaRequired)
	}
	return n, nil
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

func parseInsta(s string) (string, error) {
	h, ok := normalize.InstagramHandle(s)
	switch {
	case !ok:
		return "", invalid("insta", msgInstaInvalid)
	case h == reservedHandle:
		return "", invalid("insta", msgInstaReserved)
	}
	return h, nil
}

func parseTiktok(s string) (string, error) {
	h, ok := normalize.TiktokHandle(s)
	switch {
	case !ok:
		return "", invalid("tiktok", msgTiktokInvalid)
	case h == reservedHandle:
		return "", invalid("tiktok", msgTiktokReserved)
	}
	return h, nil
}

func parseRole(field, s string) (string, error) {
	r := normalize.Role(s)
	switch {
	case r == "":
		return "", invalid(field, msgRoleRequired)
	case !normalize.ValidRole(r):
		return "", invalid(field, msgRoleInvalid)
	}
	return r, nil
}

// parseKnownRole is parseRole restricted to KnownRoles: Invalid
// "role <r> tidak dikenal; role yang tersedia: …" for any other name.
func parseKnownRole(field, s string) (string, error) {
	r, err := parseRole(field, s)
	if err != nil {
		return "", err
	}
	if !slices.Contains(KnownRoles, r) {
		return "", invalid(field, UnknownRoleMessage(r))
	}
	return r, nil
}

// UnknownRoleMessage is the refusal of a role outside KnownRoles; the HTTP
// create route answers it before any command runs.
func UnknownRoleMessage(role string) string {
	return fmt.Sprintf(msgRoleUnknown, role, strings.Join(KnownRoles, ", "))
}

// IsKnownRole reports whether role (already normalised) is in KnownRoles.
func IsKnownRole(role string) bool { return slices.Contains(KnownRoles, role) }

// parseRoles normalises a role list of known roles, dropping repeats
// (first one wins).
func parseRoles(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, s := range in {
		r, err := parseKnownRole("roles", s)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// checkClient makes sure a client id names a registered client, reading
// the client's own subject (commands never read read models).
func checkClient(ctx context.Context, l *commands.Loader, id string) error {
	if id == "" {
		return nil
	}
	c, _, err := client.Load(ctx, l, id)
	if err != nil {
		return fmt.Errorf("check client: %w", err)
	}
	if !c.Registered {
		return invalid("client_id", msgClientNotFound)
	}
	return nil
}

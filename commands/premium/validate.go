package premium

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/premiumguard"
)

// Messages of the premium commands: the legacy API's wording (spec
// access.md §3.4–3.5) where it had one.
const (
	msgUserInvalid         = "Dashboard user tidak valid"
	msgNoClients           = "Dashboard user belum memiliki relasi client"
	msgClientInvalid       = "client_id tidak valid untuk pengguna ini"
	msgRequired            = "%s wajib diisi"
	msgOpenRequest         = "Permintaan premium sebelumnya masih diproses. Tunggu hingga selesai sebelum mengajukan kembali."
	msgRequestNotFound     = "Request tidak ditemukan"
	msgRequestStatus       = "Request sudah memiliki status %s"
	msgNoOpenRequest       = "Request tidak ditemukan atau sudah tidak aktif"
	msgForbidden           = "Forbidden"
	msgUserNotFound        = "pengguna dashboard tidak ditemukan"
	msgStartsInFuture      = "starts_at tidak boleh di masa depan"
	msgUserIDInvalid       = "dashboard_user_id tidak valid"
	msgTierNotAllowed      = "tier %s tidak diizinkan; gunakan salah satu: %s"
	msgExpiryPast          = "expires_at harus setelah waktu sekarang"
	msgDaysInvalid         = "days harus lebih dari 0"
	msgTransferInvalid     = "transfer_amount tidak valid"
	msgWhatsAppInvalid     = "whatsapp tidak valid"
	msgExpiredAtInvalid    = "expired_at tidak valid"
	msgMetadataInvalid     = "metadata harus berupa objek JSON"
	msgRequestTokenInvalid = "request_token tidak valid"
	msgTooLong             = "%s terlalu panjang"
)

// Windows for an admin to act on a request (legacy: 24 h without proof of
// transfer, 48 h with it).
const (
	pendingWindow   = 24 * time.Hour
	confirmedWindow = 48 * time.Hour
)

// DefaultGrantDays is the length of a grant whose admin names neither an
// expiry nor a number of days (legacy: 30 days for WhatsApp approvals).
const DefaultGrantDays = 30

// maxText bounds the free-text request fields (bank, account, name, URL).
const maxText = 500

// RoleAdmin is the role an Actor needs to approve, reject, grant or revoke.
const RoleAdmin = "admin"

// Actor is who acts on requests and subscriptions. The caller establishes
// it: the write API from the session (dashboard role admin), the WhatsApp
// handler from ADMIN_WHATSAPP (Role "admin", WhatsApp the admin's id), the
// CLI as an operator (Role "admin"). ID empty → the command's Meta.Actor.
type Actor struct {
	ID       string `json:"id"`
	Role     string `json:"role"`
	WhatsApp string `json:"whatsapp,omitempty"`
}

// admin checks the actor may decide on premium and returns its id.
func (a Actor) admin(metaActor string) (string, error) {
	id := strings.TrimSpace(a.ID)
	if id == "" {
		id = metaActor
	}
	if id == "" || normalize.Role(a.Role) != RoleAdmin {
		return "", &apperr.Error{Code: apperr.Forbidden, Message: msgForbidden}
	}
	return id, nil
}

func invalid(field, msg string) error {
	return &apperr.Error{Code: apperr.Invalid, Field: field, Message: msg}
}

func required(field string) error { return invalid(field, fmt.Sprintf(msgRequired, field)) }

// parseUserID returns the canonical form of a dashboard user id (a UUID);
// bad is the refusal for anything else.
func parseUserID(s string, bad error) (string, error) {
	id, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", bad
	}
	return id.String(), nil
}

// parseToken returns the canonical form of a request token; "" stays "".
func parseToken(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	t, err := uuid.Parse(s)
	if err != nil {
		return "", false
	}
	return t.String(), true
}

// text trims a free-text field and bounds its length.
func text(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxText {
		return "", invalid(field, fmt.Sprintf(msgTooLong, field))
	}
	return s, nil
}

var amountRE = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,2})?$`)

// parseAmount accepts a decimal number of rupiah ("150000", "150000.50");
// "" means not given.
func parseAmount(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s != "" && !amountRE.MatchString(s) {
		return "", invalid("transfer_amount", msgTransferInvalid)
	}
	return s, nil
}

func parseWhatsApp(s string) (string, error) {
	n := normalize.WhatsApp(s)
	if n != "" && !normalize.ValidWhatsApp(n) {
		return "", invalid("whatsapp", msgWhatsAppInvalid)
	}
	return n, nil
}

// parseMetadata accepts a JSON object (or nothing) and compacts it.
func parseMetadata(raw json.RawMessage) (json.RawMessage, error) {
	if len(strings.TrimSpace(string(raw))) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, invalid("metadata", msgMetadataInvalid)
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, invalid("metadata", msgMetadataInvalid)
	}
	return out, nil
}

// deadline is when an admin must have acted on a request: now+window, or
// the requester's override, which must lie in (now, now+window]. The
// legacy API accepted any override; a later one is refused so a requester
// cannot keep a request open without bound.
func deadline(now time.Time, override *time.Time, window time.Duration) (time.Time, error) {
	if override == nil {
		return now.Add(window), nil
	}
	o := override.Truncate(time.Microsecond)
	if !o.After(now) || o.After(now.Add(window)) {
		return time.Time{}, invalid("expired_at", msgExpiredAtInvalid)
	}
	return o, nil
}

// parseTier lower-cases a tier and checks it against the guard's list.
func parseTier(raw string, allowed []string) (string, error) {
	t := premiumguard.NormalizeTier(raw)
	if t == "" {
		return "", required("tier")
	}
	if !slices.Contains(allowed, t) {
		return "", invalid("tier", fmt.Sprintf(msgTierNotAllowed, t, strings.Join(allowed, ", ")))
	}
	return t, nil
}

// grantExpiry is when a grant ends. An explicit instant must lie after now
// and is kept as given. Otherwise the grant lasts `days` days (0: the
// default 30) and ends at the end of the Asia/Jakarta calendar day on which
// now + days×24 h falls, i.e. at 00:00 WIB of the next day: a grant is
// never shorter than the days it names, and access does not end mid-day
// (the legacy date column cut it a day short, quirk #37).
func grantExpiry(now time.Time, explicit *time.Time, days int) (time.Time, error) {
	if explicit != nil {
		exp := explicit.Truncate(time.Microsecond)
		if !exp.After(now) {
			return time.Time{}, invalid("expires_at", msgExpiryPast)
		}
		return exp, nil
	}
	switch {
	case days < 0:
		return time.Time{}, invalid("days", msgDaysInvalid)
	case days == 0:
		days = DefaultGrantDays
	}
	return EndOfJakartaDay(now.AddDate(0, 0, days)), nil
}

// EndOfJakartaDay is the first instant after the Asia/Jakarta calendar day
// of t (00:00 WIB of the next day).
func EndOfJakartaDay(t time.Time) time.Time {
	y, m, d := t.In(jakarta.Location).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, jakarta.Location)
}

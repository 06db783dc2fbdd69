package dashuser

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/password"
)

// DefaultResetTTL is how long a reset token stays valid (the legacy
// DASHBOARD_RESET_TOKEN_EXPIRY_MINUTES default).
const DefaultResetTTL = 15 * time.Minute

// RequestPasswordReset issues a password-reset token for the user
// (POST /api/auth/dashboard-password-reset/request, after the caller found
// the id by username). contact must be the user's WhatsApp number in any
// spelling, or the user's e-mail address (then the token goes by mail). The token is returned to the caller to send; only its SHA-256
// and expiry are stored (DashboardPasswordResetRequested); earlier tokens
// stay valid until they expire or a password change spends them all.
// Refusals: Invalid "username dan kontak wajib diisi", "kontak whatsapp
// tidak valid", "kontak tidak sesuai dengan data pengguna" (contact),
// Invalid id, NotFound.
type RequestPasswordReset struct {
	DashboardUserID string `json:"dashboard_user_id"`
	Contact         string `json:"contact"`
}

func (cmd RequestPasswordReset) decide(ctx context.Context, l *commands.Loader, secret string, expires time.Time,
	seal func(string) string) ([]events.Commit, error) {
	if strings.TrimSpace(cmd.Contact) == "" {
		return nil, invalid("contact", msgContactRequired)
	}
	matches, err := contactMatcher(cmd.Contact)
	if err != nil {
		return nil, err
	}
	u, v, err := loadExisting(ctx, l, cmd.DashboardUserID)
	if err != nil {
		return nil, err
	}
	if !matches(u) {
		return nil, invalid("contact", msgContactMismatch)
	}
	token := resetToken(u.ID, secret)
	ev := events.DashboardPasswordResetRequested{DashboardUserID: u.ID, TokenHash: tokenHash(token), ExpiresAt: expires,
		Username: u.Username}
	if ResetByEmail(cmd.Contact) {
		ev.Email = u.Email
	} else {
		ev.WhatsApp = u.WhatsApp
	}
	if seal != nil {
		ev.SealedToken = seal(token)
	}
	return one(u.commit(v, ev)), nil
}

// ResetByEmail reports whether a reset contact is an e-mail address (the
// reset then goes by mail) rather than a WhatsApp number; a WhatsApp id
// ("62…@c.us", "62…@s.whatsapp.net") is a number.
func ResetByEmail(contact string) bool {
	_, domain, ok := strings.Cut(contact, "@")
	if !ok {
		return false
	}
	d := strings.ToLower(strings.TrimSpace(domain))
	return d != "c.us" && d != "s.whatsapp.net"
}

// CheckResetContact checks a reset contact's form as RequestPasswordReset
// does (an e-mail address, or a WhatsApp number in any spelling), so the
// HTTP edge can refuse a malformed one before counting the attempt.
// Refusals: Invalid (contact).
func CheckResetContact(contact string) error {
	_, err := contactMatcher(contact)
	return err
}

// contactMatcher checks the contact's form and returns the test of an
// account against it: an e-mail address (accounts registered with
// `email`) or a WhatsApp number, in any spelling.
func contactMatcher(contact string) (func(User) bool, error) {
	if ResetByEmail(contact) {
		e := normalize.Email(contact)
		if !normalize.ValidEmail(e) {
			return nil, invalid("contact", msgEmailInvalid)
		}
		return func(u User) bool { return u.Email != "" && u.Email == e }, nil
	}
	number, _, _ := strings.Cut(contact, "@")
	n := normalize.WhatsApp(number)
	if !normalize.ValidWhatsApp(n) {
		return nil, invalid("contact", msgContactInvalid)
	}
	return func(u User) bool { return u.WhatsApp != "" && u.WhatsApp == n }, nil
}

// ResetPassword sets a new password without the old one: either an admin
// does it (ActorRole "admin", established by the caller), or the user
// presents an unexpired token of a RequestPasswordReset
// (dashboard_user_id may then be left out: the token names the user). The
// token is spent by the change. new_password follows the policy.
// Refusals: Invalid "token reset tidak valid atau sudah kedaluwarsa"
// (token), password policy (new_password), Invalid id, NotFound.
type ResetPassword struct {
	DashboardUserID string `json:"dashboard_user_id"`
	Token           string `json:"token"`
	NewPassword     string `json:"password"`
	ActorRole       string `json:"-"`
}

func (cmd ResetPassword) decide(ctx context.Context, l *commands.Loader, hasher password.Hasher, now time.Time) ([]events.Commit, error) {
	if err := checkNewPassword("new_password", cmd.NewPassword); err != nil {
		return nil, err
	}
	token := strings.TrimSpace(cmd.Token)
	id := cmd.DashboardUserID
	if id == "" && token != "" {
		var ok bool
		if id, ok = ParseResetToken(token); !ok {
			return nil, invalid("token", msgResetTokenBad)
		}
	}
	u, v, err := loadExisting(ctx, l, id)
	if err != nil {
		return nil, err
	}
	if normalize.Role(cmd.ActorRole) != RoleAdmin && !u.resetValid(token, now) {
		return nil, invalid("token", msgResetTokenBad)
	}
	hash, err := hasher.Hash(cmd.NewPassword)
	if err != nil {
		return nil, err
	}
	return one(u.commit(v, events.DashboardPasswordChanged{DashboardUserID: u.ID, PasswordHash: hash, Reset: true})), nil
}

// resetValid reports whether token is one of the user's pending, unexpired
// ones.
func (u User) resetValid(token string, now time.Time) bool {
	if token == "" {
		return false
	}
	h := []byte(tokenHash(token))
	valid := false
	for _, p := range u.resets {
		if now.Before(p.expires) && subtle.ConstantTimeCompare(h, []byte(p.hash)) == 1 {
			valid = true
		}
	}
	return valid
}

// A reset token is the user's id (32 hex digits) followed by 32 random hex
// digits, so the confirm step, which gets only the token, can find the
// account without a read model.
func resetToken(id, secret string) string {
	return strings.ReplaceAll(id, "-", "") + secret
}

// newResetSecret returns 128 random bits in hex.
func newResetSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b)
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// ParseResetToken returns the dashboard user id a reset token names.
func ParseResetToken(token string) (string, bool) {
	token = strings.TrimSpace(token)
	if len(token) != 64 {
		return "", false
	}
	if _, err := hex.DecodeString(token); err != nil {
		return "", false
	}
	id, err := uuid.Parse(token[:32])
	if err != nil {
		return "", false
	}
	return id.String(), true
}

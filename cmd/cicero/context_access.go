package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/otp"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/sagas"
	accesssaga "github.com/cicero/cicero/sagas/access"
	"github.com/cicero/cicero/writeapi"
)

// accessContext is ACCESS: dashboard accounts, Penmas accounts, logins and
// the personnel self-claim (spec/access.md §2, §4).
func accessContext() boundedContext {
	return boundedContext{
		name: "access",
		readModels: func(reg *events.Registry) []projections.Projection {
			return []projections.Projection{access.NewDashboardUsers(reg), access.NewPenmasUsers(reg)}
		},
		sagas: func(w *wiring) ([]sagas.Saga, error) {
			return []sagas.Saga{
				accesssaga.OTPMail(otp.DefaultTTL),
				accesssaga.PasswordReset(resetBase(w.cfg), resetTTL(w.cfg)),
				accesssaga.DashboardNotice(w.store),
				accesssaga.RegistrationAdminNotice(w.store, waid.Admins(w.cfg.AdminWhatsApp)),
				accesssaga.LoginNotice(w.store, waid.Admins(w.cfg.AdminWhatsApp)),
			}, nil
		},
		mount: mountAccess,
		unconsumed: map[string]string{
			events.DashboardUsernameReserved{}.EventType(): "a reservation aggregate: only RegisterDashboardUser decides on it",
			events.PenmasUsernameReserved{}.EventType():    "a reservation aggregate: only RegisterPenmasUser decides on it",
			events.ClaimVerified{}.EventType():             "audit: the verified address reaches the directory through UpdatePerson",
			events.ClaimOTPRejected{}.EventType():          "audit of failed attempts",
		},
	}
}

// resetBase is the reset link's base: DASHBOARD_PASSWORD_RESET_URL, else
// DASHBOARD_URL (else the saga's legacy default).
func resetBase(cfg config.Config) string {
	if cfg.DashboardResetURL != "" {
		return cfg.DashboardResetURL
	}
	return cfg.DashboardURL
}

func resetTTL(cfg config.Config) time.Duration {
	return time.Duration(cfg.DashboardResetMinutes) * time.Minute
}

func mountAccess(w *wiring, api *auth.Router) error {
	// Reset tokens and OTP codes leave through the outbox (the sagas
	// above); the handlers wait for the outcome the legacy answers tell.
	// Without a WhatsApp sender a reset by WhatsApp number answers that it
	// cannot be sent, before any token is issued, and a claim code goes
	// only to an e-mail address on file; with one, both reach the number.
	_, canMail := w.senders[sagas.ChannelEmail]
	_, canWA := w.senders[sagas.ChannelWhatsApp]
	authDeps := writeapi.AuthDeps{Runtime: w.runtime, Pool: w.pool, Auth: w.authn, Logger: w.log,
		AdminWhatsApp: adminNumbers(w.cfg.AdminWhatsApp),
		Throttle:      auth.NewThrottle(w.redis, auth.ThrottleConfig{Secret: derivedSecret(w.cfg.JWTSecret, "throttle")}),
		Seal:          w.seal.Seal, Deliveries: w.deliveries, CanMail: canMail, CanWhatsApp: canWA,
		ResetTTL:              resetTTL(w.cfg),
		WaitForDashboardUsers: w.waiter(access.DashboardUsersName),
		WaitForDirectory:      w.waiter(directory.Name)}
	writeapi.MountAuth(api, authDeps)
	writeapi.MountPenmasAuth(api, authDeps)
	readapi.MountDashboardUsers(api, readapi.DashboardUsersDeps{Users: access.NewDashboardUserQueries(w.pool), Logger: w.log})
	writeapi.MountDashboardUserCommands(api, writeapi.DashboardUserCommandDeps{Users: dashuser.NewHandlers(w.runtime),
		Logger: w.log, Sessions: w.authn.Sessions(), WaitFor: w.waiter(access.DashboardUsersName)})
	store, err := otp.New(w.redis, otp.Config{Secret: derivedSecret(w.cfg.JWTSecret, "otp")})
	if err != nil {
		return fmt.Errorf("otp store: %w", err)
	}
	writeapi.MountClaim(api, writeapi.ClaimDeps{
		Directory:        directory.NewQueries(w.pool),
		OTP:              store,
		Claims:           claim.NewHandlers(w.runtime),
		People:           person.NewHandlers(w.runtime),
		Seal:             w.seal.Seal,
		Deliveries:       w.deliveries,
		CanWhatsApp:      canWA,
		WaitForDirectory: w.waiter(directory.Name),
		Logger:           w.log,
	})
	return nil
}

// derivedSecret gives each use of JWT_SECRET its own key, so an OTP HMAC
// can never be replayed as a token signature or the other way round.
func derivedSecret(secret, purpose string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("cicero:" + purpose))
	return m.Sum(nil)
}

// adminNumbers reads ADMIN_WHATSAPP (comma separated, any spelling, the
// legacy "@c.us" suffix allowed) into normalised numbers.
func adminNumbers(list string) []string {
	var out []string
	for _, s := range strings.Split(list, ",") {
		s, _, _ = strings.Cut(strings.TrimSpace(s), "@")
		if n := normalize.WhatsApp(s); normalize.ValidWhatsApp(n) {
			out = append(out, n)
		}
	}
	return out
}

package dashuser

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/password"
)

// Handlers is everything a dashboard user can be asked to do. Each method
// runs one command through the runtime (idempotent by meta.CommandID,
// re-decided on a concurrent change unless meta.ExpectedVersion is set,
// which then gives commands.ErrConflict). A business refusal is returned
// both as the error (*apperr.Error) and as Outcome.Rejected; a command that
// changes nothing succeeds with no Appended entries. Commands that need an
// admin take the actor's role as input: the caller (write API, CLI,
// WhatsApp/Telegram adapters) establishes it.
type Handlers struct {
	rt       *commands.Runtime
	hasher   password.Hasher
	now      func() time.Time
	resetTTL time.Duration
	seal     func(secret string) string
}

// Option tunes Handlers.
type Option func(*Handlers)

// WithHashCost sets the bcrypt cost of new hashes (default 10; tests lower it).
func WithHashCost(cost int) Option { return func(h *Handlers) { h.hasher.Cost = cost } }

// WithClock sets the clock for login times and reset-token expiry.
func WithClock(now func() time.Time) Option { return func(h *Handlers) { h.now = now } }

// WithResetTTL sets how long reset tokens stay valid (default 15 minutes).
func WithResetTTL(d time.Duration) Option { return func(h *Handlers) { h.resetTTL = d } }

// WithSealer sets how a reset token is sealed into its event for the
// delivery saga (seal.Box.Seal). Without it the event carries no sealed
// token and no message is sent for it.
func WithSealer(seal func(secret string) string) Option { return func(h *Handlers) { h.seal = seal } }

// NewHandlers returns the dashboard-user handlers over rt.
func NewHandlers(rt *commands.Runtime, opts ...Option) *Handlers {
	h := &Handlers{rt: rt, hasher: password.Hasher{Cost: password.DefaultCost}, now: time.Now, resetTTL: DefaultResetTTL}
	for _, o := range opts {
		o(h)
	}
	return h
}

// RegisterDashboardUser → DashboardUserRegistered (pending) on the user's
// subject and DashboardUsernameReserved on the username's, atomically. It
// returns the account's id (also when the command id was seen before).
func (h *Handlers) RegisterDashboardUser(ctx context.Context, meta commands.Meta, cmd RegisterDashboardUser) (string, commands.Outcome, error) {
	meta, cmd.DashboardUserID = withUserID(meta, cmd.DashboardUserID)
	r, perr := cmd.parse()
	out, err := h.rt.Handle(ctx, "dashuser.RegisterDashboardUser", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		if perr != nil {
			return nil, perr
		}
		return r.decide(ctx, l, h.hasher)
	})
	return r.id, out, err
}

// CreateDashboardUser → DashboardUserRegistered + DashboardUserApproved in
// one message, and DashboardUsernameReserved, atomically; returns the id.
func (h *Handlers) CreateDashboardUser(ctx context.Context, meta commands.Meta, cmd CreateDashboardUser) (string, commands.Outcome, error) {
	meta, cmd.DashboardUserID = withUserID(meta, cmd.DashboardUserID)
	if cmd.By == "" {
		cmd.By = meta.Actor
	}
	r, perr := cmd.parse()
	out, err := h.rt.Handle(ctx, "dashuser.CreateDashboardUser", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		if perr != nil {
			return nil, perr
		}
		return r.decide(ctx, l, h.hasher)
	})
	return r.id, out, err
}

// ApproveDashboardUser → DashboardUserApproved (nothing when approved).
func (h *Handlers) ApproveDashboardUser(ctx context.Context, meta commands.Meta, cmd ApproveDashboardUser) (commands.Outcome, error) {
	if cmd.By == "" {
		cmd.By = meta.Actor
	}
	return h.rt.Handle(ctx, "dashuser.ApproveDashboardUser", meta, cmd.decide)
}

// RejectDashboardUser → DashboardUserRejected (nothing when rejected).
func (h *Handlers) RejectDashboardUser(ctx context.Context, meta commands.Meta, cmd RejectDashboardUser) (commands.Outcome, error) {
	if cmd.By == "" {
		cmd.By = meta.Actor
	}
	return h.rt.Handle(ctx, "dashuser.RejectDashboardUser", meta, cmd.decide)
}

// AssignClients → DashboardUserClientsAssigned (nothing when unchanged).
func (h *Handlers) AssignClients(ctx context.Context, meta commands.Meta, cmd AssignClients) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "dashuser.AssignClients", meta, cmd.decide)
}

// ChangePassword → DashboardPasswordChanged{reset: false}.
func (h *Handlers) ChangePassword(ctx context.Context, meta commands.Meta, cmd ChangePassword) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "dashuser.ChangePassword", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		return cmd.decide(ctx, l, h.hasher)
	})
}

// RequestPasswordReset → DashboardPasswordResetRequested; returns the token
// to deliver. A repeated command id returns the first outcome and an empty
// token (only the token's hash was kept): use a fresh id per request.
func (h *Handlers) RequestPasswordReset(ctx context.Context, meta commands.Meta, cmd RequestPasswordReset) (string, commands.Outcome, error) {
	secret := newResetSecret()
	out, err := h.rt.Handle(ctx, "dashuser.RequestPasswordReset", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		return cmd.decide(ctx, l, secret, h.now().Add(h.resetTTL), h.seal)
	})
	if err != nil {
		return "", out, err
	}
	// The outcome may be an earlier one from the command log; the token is
	// ours only if its hash is the one now stored.
	id, _ := parseID(cmd.DashboardUserID)
	u, err := h.load(ctx, id)
	if err != nil {
		return "", out, err
	}
	token := resetToken(u.ID, secret)
	if n := len(u.resets); n == 0 || u.resets[n-1].hash != tokenHash(token) {
		return "", out, nil
	}
	return token, out, nil
}

// ResetPassword → DashboardPasswordChanged{reset: true}.
func (h *Handlers) ResetPassword(ctx context.Context, meta commands.Meta, cmd ResetPassword) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "dashuser.ResetPassword", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		return cmd.decide(ctx, l, h.hasher, h.now())
	})
}

// RecordLogin → DashboardUserLoggedIn. A login without At happened at
// meta.OccurredAt, or now.
func (h *Handlers) RecordLogin(ctx context.Context, meta commands.Meta, cmd RecordLogin) (commands.Outcome, error) {
	if cmd.At.IsZero() {
		cmd.At = meta.OccurredAt
	}
	return h.rt.Handle(ctx, "dashuser.RecordLogin", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		return cmd.decide(ctx, l, h.now)
	})
}

// IDByUsername returns the id of the account holding username (compared
// case-insensitively), read from the username's reservation in the event
// store, so it is current without waiting for a projection. For the CLI
// (`approve --username`), the Telegram/WhatsApp approval commands and the
// password-reset request. Refusals: NotFound "pengguna dashboard tidak
// ditemukan".
func (h *Handlers) IDByUsername(ctx context.Context, username string) (string, error) {
	key := events.UsernameKey(username)
	if key == "" {
		return "", &apperr.Error{Code: apperr.NotFound, Field: "username", Message: msgNotFound}
	}
	envs, _, err := h.rt.Store().Load(ctx, events.UsernameSubject(key))
	if err != nil {
		return "", fmt.Errorf("id by username: %w", err)
	}
	r := reservation{key: key}
	for i := range envs {
		ev, err := h.rt.Store().Registry().Decode(&envs[i])
		if err != nil {
			return "", fmt.Errorf("id by username: %w", err)
		}
		r.apply(ev)
	}
	if r.holder == "" {
		return "", &apperr.Error{Code: apperr.NotFound, Field: "username", Message: msgNotFound}
	}
	return r.holder, nil
}

// Get returns the current state of a dashboard user from the event store
// (for callers that must not wait for the read model, e.g. the CLI).
// Refusals: Invalid id, NotFound.
func (h *Handlers) Get(ctx context.Context, id string) (User, error) {
	id, err := parseID(id)
	if err != nil {
		return User{}, err
	}
	u, err := h.load(ctx, id)
	if err != nil {
		return User{}, err
	}
	if !u.Registered {
		return User{}, &apperr.Error{Code: apperr.NotFound, Field: "dashboard_user_id", Message: msgNotFound}
	}
	return u, nil
}

func (h *Handlers) load(ctx context.Context, id string) (User, error) {
	envs, _, err := h.rt.Store().Load(ctx, events.DashboardUserSubject(id))
	if err != nil {
		return User{}, fmt.Errorf("load dashboard user: %w", err)
	}
	return fold(h.rt.Store().Registry(), id, envs)
}

// userIDSpace names the ids derived from command ids.
var userIDSpace = uuid.MustParse("6f1c8a52-3d0e-4a57-9b7e-5c2a9e1d4b30")

// withUserID gives the command an id (a fresh UUIDv7 when the caller sent
// none) and the account an id derived from it when the caller named none,
// so that retrying a command names the same account.
func withUserID(meta commands.Meta, id string) (commands.Meta, string) {
	if meta.CommandID == "" {
		meta.CommandID = uuid.Must(uuid.NewV7()).String()
	}
	if id == "" {
		id = uuid.NewSHA1(userIDSpace, []byte(meta.CommandID)).String()
	}
	return meta, id
}

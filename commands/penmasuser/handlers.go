package penmasuser

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

// Handlers is everything a Penmas account can be asked to do. Each method
// runs one command through the runtime (idempotent by meta.CommandID,
// re-decided on a concurrent change unless meta.ExpectedVersion is set). A
// business refusal is returned both as the error (*apperr.Error) and as
// Outcome.Rejected.
type Handlers struct {
	rt     *commands.Runtime
	hasher password.Hasher
	now    func() time.Time
}

// Option tunes Handlers.
type Option func(*Handlers)

// WithHashCost sets the bcrypt cost of new hashes (default 10; tests lower it).
func WithHashCost(cost int) Option { return func(h *Handlers) { h.hasher.Cost = cost } }

// WithClock sets the clock for login times.
func WithClock(now func() time.Time) Option { return func(h *Handlers) { h.now = now } }

// NewHandlers returns the Penmas-account handlers over rt.
func NewHandlers(rt *commands.Runtime, opts ...Option) *Handlers {
	h := &Handlers{rt: rt, hasher: password.Hasher{Cost: password.DefaultCost}, now: time.Now}
	for _, o := range opts {
		o(h)
	}
	return h
}

// Register → PenmasUserRegistered on the user's subject and
// PenmasUsernameReserved on the username's, atomically. It returns the
// account's id (also when the command id was seen before).
func (h *Handlers) Register(ctx context.Context, meta commands.Meta, cmd Register) (string, commands.Outcome, error) {
	meta, cmd.UserID = withUserID(meta, cmd.UserID)
	ev, perr := cmd.parse()
	out, err := h.rt.Handle(ctx, "penmasuser.Register", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		if perr != nil {
			return nil, perr
		}
		return cmd.decide(ctx, l, ev, h.hasher)
	})
	return ev.UserID, out, err
}

// RecordLogin → PenmasUserLoggedIn. A login without At happened at
// meta.OccurredAt, or now.
func (h *Handlers) RecordLogin(ctx context.Context, meta commands.Meta, cmd RecordLogin) (commands.Outcome, error) {
	if cmd.At.IsZero() {
		cmd.At = meta.OccurredAt
	}
	return h.rt.Handle(ctx, "penmasuser.RecordLogin", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		return cmd.decide(ctx, l, h.now)
	})
}

// ByUsername returns the current state of the account holding username
// (matched exactly, after trimming), read from the event store: its
// reservation, then its subject. The login endpoint falls back to it when
// the read model does not show a just-registered account yet.
// Refusals: NotFound.
func (h *Handlers) ByUsername(ctx context.Context, username string) (User, error) {
	key := events.PenmasUsernameKey(username)
	if key == "" || !printable(key) {
		return User{}, &apperr.Error{Code: apperr.NotFound, Field: "username", Message: msgNotFound}
	}
	store := h.rt.Store()
	envs, _, err := store.Load(ctx, events.PenmasUsernameSubject(key))
	if err != nil {
		return User{}, fmt.Errorf("penmas user by username: %w", err)
	}
	r, err := foldReservation(store.Registry(), key, envs)
	if err != nil {
		return User{}, err
	}
	if r.holder == "" {
		return User{}, &apperr.Error{Code: apperr.NotFound, Field: "username", Message: msgNotFound}
	}
	if envs, _, err = store.Load(ctx, events.PenmasUserSubject(r.holder)); err != nil {
		return User{}, fmt.Errorf("penmas user by username: %w", err)
	}
	u, err := fold(store.Registry(), r.holder, envs)
	if err != nil {
		return User{}, err
	}
	if !u.Registered {
		return User{}, &apperr.Error{Code: apperr.NotFound, Field: "username", Message: msgNotFound}
	}
	return u, nil
}

// userIDSpace names the ids derived from command ids.
var userIDSpace = uuid.MustParse("0b6f3f0e-8d1c-4c8e-a3f5-2b7d9e4c1a60")

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

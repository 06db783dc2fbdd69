// Package commands takes intents, checks them against the aggregate's own
// history and appends events. Each aggregate has a sub-package; this file is
// the shared load → decide → append loop with idempotency and retries.
package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// Meta identifies one command invocation.
type Meta struct {
	// CommandID makes the command idempotent: the same id again returns the
	// first outcome and appends nothing. Empty → a fresh UUIDv7.
	CommandID     string
	Actor         string
	CorrelationID string
	CausationID   string
	// ExpectedVersion, when a user names it, must equal the version of the
	// command's own aggregate (the first subject the decision loads); a
	// mismatch is a conflict (409) and is not retried.
	ExpectedVersion *uint64
	// OccurredAt is the business time of the fact; zero → now.
	OccurredAt time.Time
}

// Outcome is what a command did; it is also what a repeated command id gets.
type Outcome struct {
	CommandID string            `json:"command_id"`
	Appended  []events.Appended `json:"appended"`
	Rejected  *Rejection        `json:"rejected,omitempty"`
}

// Rejection is a business refusal, kept so a retry gets the same answer.
type Rejection struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"`
	Field   string      `json:"field,omitempty"`
}

// Positions lists where the outcome's events landed (for read-your-writes).
func (o Outcome) Positions() []events.Position {
	out := make([]events.Position, 0, len(o.Appended))
	for _, a := range o.Appended {
		out = append(out, events.Position{Stream: a.Stream, Sequence: a.Sequence})
	}
	return out
}

// CommandLog remembers outcomes by command id beyond JetStream's duplicate window.
type CommandLog interface {
	Get(ctx context.Context, commandID string) (Outcome, bool, error)
	Put(ctx context.Context, commandID, command string, o Outcome) error
}

// Decide loads what it needs through the loader and returns the commits to
// append (none: the command changes nothing, e.g. a role already granted).
type Decide func(ctx context.Context, l *Loader) ([]events.Commit, error)

// Runtime runs commands.
type Runtime struct {
	store      *events.Store
	log        CommandLog
	logger     *slog.Logger
	maxRetries int
}

// NewRuntime builds a runtime over an event store and a command log.
func NewRuntime(store *events.Store, log CommandLog, logger *slog.Logger) *Runtime {
	return &Runtime{store: store, log: log, logger: logger, maxRetries: 20}
}

// Store returns the event store commands append to.
func (rt *Runtime) Store() *events.Store { return rt.store }

// ErrConflict is returned when a user's expected version is stale.
var ErrConflict = &apperr.Error{Code: apperr.Conflict, Message: "Data telah diubah oleh permintaan lain; muat ulang lalu coba lagi"}

// Handle runs one command: idempotency check, then load → decide → append,
// re-deciding on a conflict unless the caller named an expected version.
// The command-log lookup runs while the first decision loads its
// aggregates; a command id seen before returns its first outcome and
// appends nothing.
func (rt *Runtime) Handle(ctx context.Context, name string, meta Meta, decide Decide) (Outcome, error) {
	var prior *lookup
	if meta.CommandID == "" {
		// A fresh id cannot have been seen: no lookup.
		meta.CommandID = uuid.Must(uuid.NewV7()).String()
	} else {
		prior = rt.startLookup(ctx, meta.CommandID)
	}
	emeta := events.Meta{CommandID: meta.CommandID, Actor: meta.Actor, CorrelationID: meta.CorrelationID,
		CausationID: meta.CausationID, OccurredAt: meta.OccurredAt}
	if emeta.CorrelationID == "" {
		emeta.CorrelationID = meta.CommandID
	}
	if emeta.OccurredAt.IsZero() {
		emeta.OccurredAt = time.Now()
	}
	optimistic := true
	for attempt := 0; ; attempt++ {
		l := &Loader{store: rt.store, optimistic: optimistic, expected: meta.ExpectedVersion}
		commits, err := decide(ctx, l)
		if prev, ok, lerr := prior.wait(); lerr != nil {
			return Outcome{}, fmt.Errorf("%s: command log: %w", name, lerr)
		} else if ok {
			return prev, prev.err()
		}
		optimistic = false
		if l.fromCache && (err != nil || len(commits) == 0) {
			// Only an append checks the cached version. A refusal or a
			// "nothing to change" made on a possibly stale cache is decided
			// again on the server's history.
			continue
		}
		if err == nil && meta.ExpectedVersion != nil && l.primaryLoaded && *meta.ExpectedVersion != l.primaryVersion {
			return Outcome{}, ErrConflict
		}
		if err != nil {
			var ae *apperr.Error
			if errors.As(err, &ae) && ae.Code != apperr.Internal {
				o := Outcome{CommandID: meta.CommandID, Appended: []events.Appended{},
					Rejected: &Rejection{Code: ae.Code, Message: ae.Message, Field: ae.Field}}
				if perr := rt.log.Put(ctx, meta.CommandID, name, o); perr != nil {
					rt.logger.Warn("command log put failed", "command", name, "err", perr)
				}
				return o, err
			}
			return Outcome{}, fmt.Errorf("%s: %w", name, err)
		}
		o := Outcome{CommandID: meta.CommandID, Appended: []events.Appended{}}
		if len(commits) > 0 {
			var appended []events.Appended
			if len(commits) == 1 {
				var a events.Appended
				a, err = rt.store.Append(ctx, emeta, commits[0])
				appended = []events.Appended{a}
			} else {
				appended, err = rt.store.AppendAtomic(ctx, emeta, commits)
			}
			if errors.Is(err, events.ErrConflict) {
				if meta.ExpectedVersion != nil {
					return Outcome{}, ErrConflict
				}
				if attempt < rt.maxRetries {
					rt.logger.Debug("conflict, re-deciding", "command", name, "attempt", attempt+1)
					if werr := conflictPause(ctx, attempt); werr != nil {
						return Outcome{}, fmt.Errorf("%s: %w", name, werr)
					}
					continue
				}
				return Outcome{}, fmt.Errorf("%s: %w after %d attempts: %w", name, ErrConflict, attempt+1, err)
			}
			if err != nil {
				return Outcome{}, fmt.Errorf("%s: %w", name, err)
			}
			o.Appended = appended
		}
		if err := rt.log.Put(ctx, meta.CommandID, name, o); err != nil {
			// The events are stored; a lost log row only means a retry will
			// re-decide, which the aggregate answers idempotently.
			rt.logger.Warn("command log put failed", "command", name, "err", err)
		}
		return o, nil
	}
}

// conflictPause spreads re-decisions of commands that keep colliding on one
// aggregate (and gives a lagging replica time to catch up). The first
// re-decision runs at once.
func conflictPause(ctx context.Context, attempt int) error {
	if attempt == 0 {
		return nil
	}
	d := time.Duration(rand.Int64N(int64(min(attempt, 10)) * int64(time.Millisecond)))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// lookup is a command-log read running alongside the first decision.
type lookup struct {
	done    chan struct{}
	outcome Outcome
	seen    bool
	err     error
}

func (rt *Runtime) startLookup(ctx context.Context, commandID string) *lookup {
	lk := &lookup{done: make(chan struct{})}
	go func() {
		defer close(lk.done)
		lk.outcome, lk.seen, lk.err = rt.log.Get(ctx, commandID)
	}()
	return lk
}

// wait returns the lookup's answer (nothing seen for a nil lookup).
func (lk *lookup) wait() (Outcome, bool, error) {
	if lk == nil {
		return Outcome{}, false, nil
	}
	<-lk.done
	return lk.outcome, lk.seen, lk.err
}

func (o Outcome) err() error {
	if o.Rejected == nil {
		return nil
	}
	return &apperr.Error{Code: o.Rejected.Code, Message: o.Rejected.Message, Field: o.Rejected.Field}
}

// Loader reads aggregates for one decision and remembers their versions.
type Loader struct {
	store          *events.Store
	primaryLoaded  bool
	primaryVersion uint64
	// optimistic lets the first decision take the command's own aggregate
	// from the store's cache instead of the server: the append names that
	// version, so a stale cache ends in a conflict and a fresh re-decision,
	// never in a wrong event. Other aggregates a decision reads (a client a
	// person joins, say) are not version-checked and are always read fresh.
	optimistic bool
	expected   *uint64
	fromCache  bool
}

// Load returns the events and version of subject. The first subject loaded
// is the command's own aggregate, checked against Meta.ExpectedVersion.
func (l *Loader) Load(ctx context.Context, subject string) ([]events.Envelope, uint64, error) {
	if l.optimistic && !l.primaryLoaded {
		if envs, v, ok := l.store.LoadCached(subject); ok && (l.expected == nil || *l.expected == v) {
			l.primaryLoaded, l.primaryVersion, l.fromCache = true, v, true
			return envs, v, nil
		}
	}
	envs, v, err := l.store.Load(ctx, subject)
	if err != nil {
		return nil, 0, err
	}
	if !l.primaryLoaded {
		l.primaryLoaded, l.primaryVersion = true, v
	}
	return envs, v, nil
}

// Registry decodes loaded envelopes.
func (l *Loader) Registry() *events.Registry { return l.store.Registry() }

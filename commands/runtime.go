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
	// Channel is how the command arrived (ChannelHTTP, …); empty → the
	// channel of the context (WithChannel).
	Channel string
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
	states     *stateCache
}

// NewRuntime builds a runtime over an event store and a command log. It
// keeps the aggregate states its decisions fold (see Fold) up to as many
// events as the store's load cache holds.
func NewRuntime(store *events.Store, log CommandLog, logger *slog.Logger) *Runtime {
	return &Runtime{store: store, log: log, logger: logger, maxRetries: 20, states: newStateCache(store.LoadCacheSize())}
}

// Store returns the event store commands append to.
func (rt *Runtime) Store() *events.Store { return rt.store }

// ErrConflict is returned when a user's expected version is stale.
var ErrConflict = &apperr.Error{Code: apperr.Conflict, Message: "Data telah diubah oleh permintaan lain; muat ulang lalu coba lagi"}

// ErrUnavailable is returned when a command could not be decided or stored
// now: a system command kept losing races on its aggregate, the stream had
// no leader, or the store kept answering "busy". Nothing of it was recorded
// as its outcome, so sending it again with the same command id is safe (503).
var ErrUnavailable = &apperr.Error{Code: apperr.Unavailable, Message: "Layanan sedang sibuk; coba lagi sebentar lagi"}

// Handle runs one command: idempotency check, then load → decide → append,
// re-deciding on a conflict unless the caller named an expected version.
// The command-log lookup runs while the first decision loads its
// aggregates; a command id seen before returns its first outcome and
// appends nothing. So does a command id whose events the decision finds in
// the histories it loaded (its log row was lost, or a second request with
// the same id raced the first): the answer is the append that stored them.
// A refusal or a "nothing to change" is answered only once the stream
// leader confirms the decision saw every aggregate it read as it stands.
func (rt *Runtime) Handle(ctx context.Context, name string, meta Meta, decide Decide) (Outcome, error) {
	var prior *lookup
	if meta.CommandID == "" {
		// A fresh id cannot have been seen: no lookup.
		meta.CommandID = uuid.Must(uuid.NewV7()).String()
	} else {
		prior = rt.startLookup(ctx, meta.CommandID)
	}
	emeta := events.Meta{CommandID: meta.CommandID, Actor: meta.Actor, CorrelationID: meta.CorrelationID,
		CausationID: meta.CausationID, Channel: meta.Channel, OccurredAt: meta.OccurredAt}
	if emeta.Channel == "" {
		emeta.Channel = ChannelFrom(ctx)
	}
	if emeta.CorrelationID == "" {
		emeta.CorrelationID = meta.CommandID
	}
	if emeta.OccurredAt.IsZero() {
		emeta.OccurredAt = time.Now()
	}
	optimistic := true
	var atLeast map[string]uint64
	for attempt := 0; ; attempt++ {
		l := &Loader{store: rt.store, states: rt.states, optimistic: optimistic, expected: meta.ExpectedVersion, atLeast: atLeast}
		commits, err := decide(ctx, l)
		l.release()
		if prev, ok, lerr := prior.wait(); lerr != nil {
			return Outcome{}, fmt.Errorf("%s: command log: %w", name, lerr)
		} else if ok {
			return prev, prev.err()
		}
		optimistic = false
		if err != nil && !isRefusal(err) {
			return Outcome{}, rt.failure(name, err)
		}
		if prior != nil {
			// Only a caller-named id can have run before.
			o, ok, ferr := rt.earlier(ctx, l, meta.CommandID)
			if ferr != nil {
				return Outcome{}, rt.failure(name, ferr)
			}
			if ok {
				rt.record(ctx, name, o)
				return o, nil
			}
		}
		// A user's expected version above what the decision saw means the
		// decision's read was behind (versions only grow), not a conflict.
		staleVersion := err == nil && meta.ExpectedVersion != nil && l.primaryLoaded && l.primaryVersion < *meta.ExpectedVersion
		if err != nil || len(commits) == 0 || staleVersion {
			// Nothing checks a refusal or a "nothing to change" the way an
			// append's expected version is checked, and the decision may
			// have read a stale cache or a replica behind the leader.
			behind, cerr := l.behindLeader(ctx)
			if cerr != nil {
				return Outcome{}, rt.failure(name, cerr)
			}
			if len(behind) > 0 {
				if attempt >= rt.maxRetries {
					return Outcome{}, fmt.Errorf("%s: %w: reads stayed behind the stream leader after %d attempts", name, ErrUnavailable, attempt+1)
				}
				rt.logger.Debug("decision read behind the stream leader, re-deciding", "command", name, "attempt", attempt+1)
				atLeast = behind
				continue
			}
		}
		if err == nil && meta.ExpectedVersion != nil && l.primaryLoaded && *meta.ExpectedVersion != l.primaryVersion {
			return Outcome{}, ErrConflict
		}
		if err != nil {
			var ae *apperr.Error
			errors.As(err, &ae)
			o := Outcome{CommandID: meta.CommandID, Appended: []events.Appended{},
				Rejected: &Rejection{Code: ae.Code, Message: ae.Message, Field: ae.Field}}
			rt.record(ctx, name, o)
			return o, err
		}
		o := Outcome{CommandID: meta.CommandID, Appended: []events.Appended{}}
		if len(commits) > 0 {
			appended, err := rt.appendCommits(ctx, emeta, commits)
			if errors.Is(err, events.ErrConflict) {
				if meta.ExpectedVersion != nil {
					return Outcome{}, ErrConflict
				}
				if attempt < rt.maxRetries {
					rt.logger.Debug("conflict, re-deciding", "command", name, "attempt", attempt+1)
					if werr := conflictPause(ctx, attempt); werr != nil {
						return Outcome{}, fmt.Errorf("%s: %w", name, werr)
					}
					// The next decision must not read the aggregates older
					// than the leader holds them, or a replica behind it
					// would lead it into the same conflict again.
					if atLeast, err = behindLeader(ctx, rt.store, committed(commits)); err != nil {
						return Outcome{}, rt.failure(name, err)
					}
					continue
				}
				// Not the caller's stale version but a race it kept losing:
				// the same command may succeed in a moment.
				return Outcome{}, fmt.Errorf("%s: %w: still conflicting after %d attempts: %w", name, ErrUnavailable, attempt+1, err)
			}
			if err != nil {
				return Outcome{}, rt.failure(name, err)
			}
			o.Appended = appended
		}
		// The events are stored; a lost log row only means a retry
		// re-decides, and finds them.
		rt.record(ctx, name, o)
		return o, nil
	}
}

// appendCommits stores a decision's commits: one message, or one atomic
// batch when the command changes several aggregates.
func (rt *Runtime) appendCommits(ctx context.Context, meta events.Meta, commits []events.Commit) ([]events.Appended, error) {
	if len(commits) == 1 {
		a, err := rt.store.Append(ctx, meta, commits[0])
		return []events.Appended{a}, err
	}
	return rt.store.AppendAtomic(ctx, meta, commits)
}

// isRefusal reports a business refusal: an answer about the command, which
// a retry of the same command id gets again.
func isRefusal(err error) bool {
	var ae *apperr.Error
	return errors.As(err, &ae) && ae.Code != apperr.Internal && ae.Code != apperr.Unavailable
}

// failure wraps an error that is not the command's outcome; the event
// store's "unavailable" becomes the retryable ErrUnavailable.
func (rt *Runtime) failure(name string, err error) error {
	if errors.Is(err, events.ErrUnavailable) {
		return fmt.Errorf("%s: %w: %w", name, ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// record keeps o as the command's outcome (the first one recorded wins).
func (rt *Runtime) record(ctx context.Context, name string, o Outcome) {
	if err := rt.log.Put(ctx, o.CommandID, name, o); err != nil {
		rt.logger.Warn("command log put failed", "command", name, "err", err)
	}
}

// earlier looks in the histories the decision loaded for events this
// command id appended, and returns that first append as the outcome. Event
// streams never lose messages, so events found there are stored for good,
// even when the history came from a stale cache or replica.
func (rt *Runtime) earlier(ctx context.Context, l *Loader, commandID string) (Outcome, bool, error) {
	var found *events.Envelope
	for _, h := range l.loaded {
		for i := range h.envs {
			e := &h.envs[i]
			if e.Meta.CommandID == commandID && (found == nil || e.Position < found.Position) {
				found = e
			}
		}
	}
	if found == nil {
		return Outcome{}, false, nil
	}
	appended, err := rt.store.AppendOf(ctx, found.Stream, found.Position)
	if err != nil {
		return Outcome{}, false, fmt.Errorf("earlier outcome of command %s: %w", commandID, err)
	}
	return Outcome{CommandID: commandID, Appended: appended}, true, nil
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

// Err is the outcome's refusal as an error (nil when it succeeded): what
// Handle returned with it the first time.
func (o Outcome) Err() error { return o.err() }

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
	// never in a wrong event; a refusal or "nothing to change" is checked
	// with the stream leader (behindLeader). Other aggregates a decision
	// reads (a client a person joins, say) are always read from the server.
	optimistic bool
	expected   *uint64
	// atLeast holds the versions the stream leader reported for subjects a
	// previous decision of this command read behind; they are not read
	// older again.
	atLeast map[string]uint64
	loaded  []loadedHistory
	// states caches folded aggregates across decisions; held are those this
	// decision took from it (see Fold).
	states *stateCache
	held   []foldedState
}

// loadedHistory is one subject as the decision read it.
type loadedHistory struct {
	subject string
	envs    []events.Envelope
	version uint64
}

// Load returns the events and version of subject. The first subject loaded
// is the command's own aggregate, checked against Meta.ExpectedVersion.
func (l *Loader) Load(ctx context.Context, subject string) ([]events.Envelope, uint64, error) {
	if l.optimistic && !l.primaryLoaded {
		if envs, v, ok := l.store.LoadCached(subject); ok && (l.expected == nil || *l.expected == v) {
			l.primaryLoaded, l.primaryVersion = true, v
			l.loaded = append(l.loaded, loadedHistory{subject, envs, v})
			return envs, v, nil
		}
	}
	var (
		envs []events.Envelope
		v    uint64
		err  error
	)
	if min, ok := l.atLeast[subject]; ok {
		envs, v, err = l.store.LoadAtLeast(ctx, subject, min)
	} else {
		envs, v, err = l.store.Load(ctx, subject)
	}
	if err != nil {
		return nil, 0, err
	}
	if !l.primaryLoaded {
		l.primaryLoaded, l.primaryVersion = true, v
	}
	l.loaded = append(l.loaded, loadedHistory{subject, envs, v})
	return envs, v, nil
}

// behindLeader asks the stream leader for the version of every subject the
// decision read and returns those the decision saw older, with the
// leader's version (none: the decision stands).
func (l *Loader) behindLeader(ctx context.Context) (map[string]uint64, error) {
	seen := make(map[string]uint64, len(l.loaded))
	for _, h := range l.loaded {
		if v, ok := seen[h.subject]; !ok || h.version < v {
			seen[h.subject] = h.version // read twice: the older read counts
		}
	}
	return behindLeader(ctx, l.store, seen)
}

// committed returns the versions commits were decided on, by subject.
func committed(commits []events.Commit) map[string]uint64 {
	seen := make(map[string]uint64, len(commits))
	for _, c := range commits {
		seen[c.Subject] = c.Expected
	}
	return seen
}

// behindLeader returns the subjects of seen (subject → version a decision
// saw) whose version the stream leader reports higher, with that version.
// One round trip per subject, made at once.
func behindLeader(ctx context.Context, store *events.Store, seen map[string]uint64) (map[string]uint64, error) {
	type answer struct {
		subject string
		version uint64
		err     error
	}
	answers := make(chan answer, len(seen))
	for subject := range seen {
		go func() {
			v, err := store.LeaderVersion(ctx, subject)
			answers <- answer{subject, v, err}
		}()
	}
	var behind map[string]uint64
	var errs []error
	for range seen {
		a := <-answers
		switch {
		case a.err != nil:
			errs = append(errs, a.err)
		case a.version > seen[a.subject]:
			if behind == nil {
				behind = map[string]uint64{}
			}
			behind[a.subject] = a.version
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("confirm with the stream leader: %w", err)
	}
	return behind, nil
}

// Registry decodes loaded envelopes.
func (l *Loader) Registry() *events.Registry { return l.store.Registry() }

// RecordOnce is the decision of a record that is written once: ev as the
// only event of a new aggregate at subject, and nothing when the aggregate
// exists already (a retried record, also after its command-log row was
// lost).
func (l *Loader) RecordOnce(ctx context.Context, subject, id string, ev events.Payload) ([]events.Commit, error) {
	_, v, err := l.Load(ctx, subject)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", subject, err)
	}
	if v != 0 {
		return nil, nil
	}
	return []events.Commit{{Subject: subject, AggregateID: id, Expected: 0, Events: []events.Payload{ev}}}, nil
}

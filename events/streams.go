package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Contexts are the bounded contexts; each has one stream named after it whose
// subjects start with its lower-cased name.
var Contexts = []string{"DIRECTORY", "SOCIAL", "ACCESS", "PREMIUM", "EDITORIAL", "AMPLIFY", "COMPLAINT", "MESSAGING"}

// StreamOptions are the operator's choices for every event stream.
type StreamOptions struct {
	Replicas          int
	DuplicateWindow   time.Duration
	MaxMsgsPerSubject int64 // -1 = unlimited (the default for event streams)
}

// StreamConfig is the configuration of the event stream for one context:
// history is forever, nothing may be deleted, purged or rolled up.
func StreamConfig(name string, o StreamOptions) jetstream.StreamConfig {
	replicas := o.Replicas
	if replicas <= 0 {
		replicas = 1
	}
	dup := o.DuplicateWindow
	if dup <= 0 {
		dup = 2 * time.Minute
	}
	return jetstream.StreamConfig{
		Name:              name,
		Subjects:          []string{strings.ToLower(name) + ".>"},
		Storage:           jetstream.FileStorage,
		Retention:         jetstream.LimitsPolicy,
		MaxAge:            0,
		MaxMsgs:           -1,
		MaxBytes:          -1,
		MaxMsgsPerSubject: -1,
		// The server's own defaults, spelled out so that what we compare
		// against is what the server reports back.
		MaxConsumers:       -1,
		MaxMsgSize:         -1,
		Discard:            jetstream.DiscardOld,
		Replicas:           replicas,
		Duplicates:         dup,
		DenyDelete:         true,
		DenyPurge:          true,
		AllowRollup:        false,
		AllowDirect:        true,
		AllowAtomicPublish: true,
		PersistMode:        jetstream.DefaultPersistMode,
	}
}

// StreamDiff is one setting in which an existing stream differs from the
// configuration. Field is the name JetStream gives it (`nats stream info
// --json`), so an operator can find it in the server's own tools.
type StreamDiff struct {
	Stream string
	Field  string
	Have   string
	Want   string
	// Fixed says why JetStream cannot make this change in place ("" when it can).
	Fixed string
}

func (d StreamDiff) String() string {
	s := fmt.Sprintf("%s %s: have %s, want %s", d.Stream, d.Field, d.Have, d.Want)
	if d.Fixed != "" {
		s += " (" + d.Fixed + ")"
	}
	return s
}

// ErrStreamDrift is what a *DriftError matches with errors.Is.
var ErrStreamDrift = errors.New("event streams differ from the configuration")

// DriftError lists every difference between the existing streams and the
// configuration. EnsureStreams returns it instead of changing anything.
type DriftError struct {
	Diffs []StreamDiff
}

func (e *DriftError) Error() string {
	var b strings.Builder
	b.WriteString(ErrStreamDrift.Error())
	b.WriteString(" (nothing was changed):")
	for _, d := range e.Diffs {
		b.WriteString("\n  ")
		b.WriteString(d.String())
	}
	return b.String()
}

func (e *DriftError) Is(target error) bool { return target == ErrStreamDrift }

// ErrStreamChangeImpossible is what ApplyStreams returns (wrapped, with the
// differences) when JetStream cannot make a change in place.
var ErrStreamChangeImpossible = errors.New("JetStream cannot change these stream settings in place")

// streamField is one setting that matters to the event store: a stream that
// differs in it either keeps, accepts or persists events other than Cicero
// assumes. Settings that only tune placement, compression, descriptions,
// metadata or consumer defaults are the operator's and are not compared.
type streamField struct {
	name  string
	equal func(have, want *jetstream.StreamConfig) bool
	show  func(*jetstream.StreamConfig) string
	apply func(dst, want *jetstream.StreamConfig)
	// fixed says why the server refuses the change (mirrors the checks of
	// nats-server's stream update), "" when it accepts it.
	fixed func(have, want *jetstream.StreamConfig) string
}

func never(_, _ *jetstream.StreamConfig) string { return "" }

// value compares a field with ==.
func value[T comparable](name string, p func(*jetstream.StreamConfig) *T) streamField {
	return streamField{
		name:  name,
		equal: func(h, w *jetstream.StreamConfig) bool { return *p(h) == *p(w) },
		show:  func(c *jetstream.StreamConfig) string { return fmt.Sprint(*p(c)) },
		apply: func(d, w *jetstream.StreamConfig) { *p(d) = *p(w) },
		fixed: never,
	}
}

// nested compares a pointer or slice field deeply and shows it as JSON.
func nested[T any](name string, p func(*jetstream.StreamConfig) *T) streamField {
	return streamField{
		name: name,
		equal: func(h, w *jetstream.StreamConfig) bool {
			return isEmpty(*p(h)) && isEmpty(*p(w)) || reflect.DeepEqual(*p(h), *p(w))
		},
		show: func(c *jetstream.StreamConfig) string {
			if isEmpty(*p(c)) {
				return "none"
			}
			b, err := json.Marshal(*p(c))
			if err != nil {
				return fmt.Sprint(*p(c))
			}
			return string(b)
		},
		apply: func(d, w *jetstream.StreamConfig) { *p(d) = *p(w) },
		fixed: never,
	}
}

// isEmpty says a nested setting is absent: nil, or an empty list (the server
// may report either for "none").
func isEmpty(v any) bool {
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Pointer:
		return r.IsNil()
	case reflect.Slice, reflect.Map:
		return r.Len() == 0
	}
	return r.IsZero()
}

func (f streamField) fixedWhen(why func(have, want *jetstream.StreamConfig) string) streamField {
	f.fixed = why
	return f
}

// cannotUnset is the server's rule for flags that may be turned on but never off.
func cannotUnset(p func(*jetstream.StreamConfig) bool, what string) func(h, w *jetstream.StreamConfig) string {
	return func(h, w *jetstream.StreamConfig) string {
		if p(h) && !p(w) {
			return "JetStream cannot " + what
		}
		return ""
	}
}

func cannotChange(what string) func(h, w *jetstream.StreamConfig) string {
	return func(_, _ *jetstream.StreamConfig) string {
		return "JetStream cannot change " + what + " of an existing stream"
	}
}

// streamFields are compared in this order, which is also the order of the report.
var streamFields = []streamField{
	{
		name: "subjects",
		equal: func(h, w *jetstream.StreamConfig) bool {
			return slices.Equal(sortedCopy(h.Subjects), sortedCopy(w.Subjects))
		},
		show:  func(c *jetstream.StreamConfig) string { return "[" + strings.Join(c.Subjects, " ") + "]" },
		apply: func(d, w *jetstream.StreamConfig) { d.Subjects = slices.Clone(w.Subjects) },
		fixed: never,
	},
	value("storage", func(c *jetstream.StreamConfig) *jetstream.StorageType { return &c.Storage }).
		fixedWhen(cannotChange("the storage type")),
	value("retention", func(c *jetstream.StreamConfig) *jetstream.RetentionPolicy { return &c.Retention }).
		fixedWhen(func(h, w *jetstream.StreamConfig) string {
			if h.Retention == jetstream.WorkQueuePolicy || w.Retention == jetstream.WorkQueuePolicy {
				return "JetStream cannot change retention to or from work queue"
			}
			return ""
		}),
	value("persist_mode", func(c *jetstream.StreamConfig) *jetstream.PersistModeType { return &c.PersistMode }).
		fixedWhen(cannotChange("the persist mode")),
	value("num_replicas", func(c *jetstream.StreamConfig) *int { return &c.Replicas }),
	value("duplicate_window", func(c *jetstream.StreamConfig) *time.Duration { return &c.Duplicates }),
	value("max_age", func(c *jetstream.StreamConfig) *time.Duration { return &c.MaxAge }),
	value("max_msgs", func(c *jetstream.StreamConfig) *int64 { return &c.MaxMsgs }),
	value("max_bytes", func(c *jetstream.StreamConfig) *int64 { return &c.MaxBytes }),
	value("max_msgs_per_subject", func(c *jetstream.StreamConfig) *int64 { return &c.MaxMsgsPerSubject }),
	value("max_msg_size", func(c *jetstream.StreamConfig) *int32 { return &c.MaxMsgSize }),
	value("max_consumers", func(c *jetstream.StreamConfig) *int { return &c.MaxConsumers }),
	value("discard", func(c *jetstream.StreamConfig) *jetstream.DiscardPolicy { return &c.Discard }),
	value("discard_new_per_subject", func(c *jetstream.StreamConfig) *bool { return &c.DiscardNewPerSubject }),
	value("deny_delete", func(c *jetstream.StreamConfig) *bool { return &c.DenyDelete }).
		fixedWhen(cannotUnset(func(c *jetstream.StreamConfig) bool { return c.DenyDelete }, "allow deletes again once denied")),
	value("deny_purge", func(c *jetstream.StreamConfig) *bool { return &c.DenyPurge }).
		fixedWhen(cannotUnset(func(c *jetstream.StreamConfig) bool { return c.DenyPurge }, "allow purges again once denied")),
	value("allow_rollup_hdrs", func(c *jetstream.StreamConfig) *bool { return &c.AllowRollup }),
	value("allow_direct", func(c *jetstream.StreamConfig) *bool { return &c.AllowDirect }),
	value("allow_atomic", func(c *jetstream.StreamConfig) *bool { return &c.AllowAtomicPublish }),
	value("allow_msg_ttl", func(c *jetstream.StreamConfig) *bool { return &c.AllowMsgTTL }).
		fixedWhen(cannotUnset(func(c *jetstream.StreamConfig) bool { return c.AllowMsgTTL }, "turn per-message TTLs off once allowed")),
	value("subject_delete_marker_ttl", func(c *jetstream.StreamConfig) *time.Duration { return &c.SubjectDeleteMarkerTTL }),
	value("allow_msg_counter", func(c *jetstream.StreamConfig) *bool { return &c.AllowMsgCounter }).
		fixedWhen(cannotChange("the message counter setting")),
	value("allow_msg_schedules", func(c *jetstream.StreamConfig) *bool { return &c.AllowMsgSchedules }).
		fixedWhen(cannotUnset(func(c *jetstream.StreamConfig) bool { return c.AllowMsgSchedules }, "turn message schedules off once allowed")),
	value("no_ack", func(c *jetstream.StreamConfig) *bool { return &c.NoAck }),
	value("sealed", func(c *jetstream.StreamConfig) *bool { return &c.Sealed }).
		fixedWhen(cannotUnset(func(c *jetstream.StreamConfig) bool { return c.Sealed }, "unseal a sealed stream")),
	value("mirror_direct", func(c *jetstream.StreamConfig) *bool { return &c.MirrorDirect }),
	nested("mirror", func(c *jetstream.StreamConfig) **jetstream.StreamSource { return &c.Mirror }).
		fixedWhen(func(_, w *jetstream.StreamConfig) string {
			if w.Mirror != nil {
				return "JetStream cannot change a stream's mirror"
			}
			return "" // removing a mirror promotes the stream, which the server allows
		}),
	nested("sources", func(c *jetstream.StreamConfig) *[]*jetstream.StreamSource { return &c.Sources }),
	nested("subject_transform", func(c *jetstream.StreamConfig) **jetstream.SubjectTransformConfig { return &c.SubjectTransform }),
	nested("republish", func(c *jetstream.StreamConfig) **jetstream.RePublish { return &c.RePublish }),
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// DiffStream lists the settings that matter in which have differs from want.
func DiffStream(have, want jetstream.StreamConfig) []StreamDiff {
	var out []StreamDiff
	for _, f := range streamFields {
		if f.equal(&have, &want) {
			continue
		}
		out = append(out, StreamDiff{Stream: want.Name, Field: f.name, Have: f.show(&have), Want: f.show(&want), Fixed: f.fixed(&have, &want)})
	}
	return out
}

// updated is have with every compared setting taken from want, so an update
// changes what Cicero decides and keeps what the operator tuned (placement,
// compression, metadata, consumer limits).
func updated(have, want jetstream.StreamConfig) jetstream.StreamConfig {
	cfg := have
	for _, f := range streamFields {
		f.apply(&cfg, &want)
	}
	return cfg
}

// EnsureStreams creates every missing stream and checks that the existing
// ones match the configuration. It never changes an existing stream: a
// difference is an operator's decision (`cicero migrate --streams`), not
// something a process started with another environment may do silently (one
// started without NATS_REPLICAS would otherwise scale R3 streams down to R1).
// It returns the names of the streams it created, or a *DriftError listing
// every difference of every stream; then it creates nothing either, since a
// process whose configuration is wrong would create streams wrongly too.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, o StreamOptions) ([]string, error) {
	var missing []jetstream.StreamConfig
	var drift []StreamDiff
	for _, name := range Contexts {
		want := StreamConfig(name, o)
		have, err := streamConfig(ctx, js, name)
		switch {
		case errors.Is(err, jetstream.ErrStreamNotFound):
			missing = append(missing, want)
		case err != nil:
			return nil, err
		default:
			drift = append(drift, DiffStream(have, want)...)
		}
	}
	if len(drift) > 0 {
		return nil, &DriftError{Diffs: drift}
	}
	var created []string
	for _, want := range missing {
		if _, err := js.CreateStream(ctx, want); err != nil {
			if !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
				return created, fmt.Errorf("create stream %s: %w", want.Name, err)
			}
			// Another process created it after our look-up: compare with
			// theirs like any existing stream.
			have, err := streamConfig(ctx, js, want.Name)
			if err != nil {
				return created, err
			}
			if diffs := DiffStream(have, want); len(diffs) > 0 {
				return created, &DriftError{Diffs: diffs}
			}
			continue
		}
		created = append(created, want.Name)
	}
	return created, nil
}

func streamConfig(ctx context.Context, js jetstream.JetStream, name string) (jetstream.StreamConfig, error) {
	st, err := js.Stream(ctx, name)
	if err != nil {
		return jetstream.StreamConfig{}, fmt.Errorf("look up stream %s: %w", name, err)
	}
	// Stream already fetched the info; CachedInfo avoids a second request.
	return st.CachedInfo().Config, nil
}

// StreamChange is what ApplyStreams did to one stream: Created, or updated
// with Diffs.
type StreamChange struct {
	Stream  string
	Created bool
	Diffs   []StreamDiff
}

// ApplyStreams makes every stream match the configuration: it creates the
// missing ones and updates those that differ, and reports what it did.
// Identical streams are left alone (no update request). When any difference
// is one JetStream cannot make in place (storage type, persist mode, …) it
// changes nothing at all and returns ErrStreamChangeImpossible with the
// differences, so a stream is never left half migrated.
func ApplyStreams(ctx context.Context, js jetstream.JetStream, o StreamOptions) ([]StreamChange, error) {
	type pending struct {
		want  jetstream.StreamConfig
		have  jetstream.StreamConfig
		found bool
		diffs []StreamDiff
	}
	var plan []pending
	var impossible []string
	for _, name := range Contexts {
		p := pending{want: StreamConfig(name, o)}
		have, err := streamConfig(ctx, js, name)
		switch {
		case err == nil:
			p.have, p.found = have, true
			p.diffs = DiffStream(have, p.want)
		case !errors.Is(err, jetstream.ErrStreamNotFound):
			return nil, err
		}
		for _, d := range p.diffs {
			if d.Fixed != "" {
				impossible = append(impossible, d.String())
			}
		}
		plan = append(plan, p)
	}
	if len(impossible) > 0 {
		return nil, fmt.Errorf("%w (nothing was changed):\n  %s\nsuch a stream must be recreated and its history copied into it; Cicero does not do that for you",
			ErrStreamChangeImpossible, strings.Join(impossible, "\n  "))
	}
	var done []StreamChange
	for _, p := range plan {
		switch {
		case !p.found:
			if _, err := js.CreateStream(ctx, p.want); err != nil {
				return done, fmt.Errorf("create stream %s: %w", p.want.Name, err)
			}
			done = append(done, StreamChange{Stream: p.want.Name, Created: true})
		case len(p.diffs) > 0:
			if _, err := js.UpdateStream(ctx, updated(p.have, p.want)); err != nil {
				return done, fmt.Errorf("update stream %s (%d changes): %w", p.want.Name, len(p.diffs), err)
			}
			done = append(done, StreamChange{Stream: p.want.Name, Diffs: p.diffs})
		}
	}
	return done, nil
}

// Provision is ApplyStreams without the report, for callers that set streams
// up deliberately (tests shortening the duplicate window, a fresh cluster).
// Process start-up uses EnsureStreams, which never changes a stream.
func Provision(ctx context.Context, js jetstream.JetStream, o StreamOptions) error {
	_, err := ApplyStreams(ctx, js, o)
	return err
}

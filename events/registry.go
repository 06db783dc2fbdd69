package events

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Upcaster turns the body of version v of an event type into version v+1.
type Upcaster func(json.RawMessage) (json.RawMessage, error)

type typeInfo struct {
	version   int
	newFn     func() Payload
	upcasters map[int]Upcaster
}

// Registry knows every event type, its current schema version and how to
// lift older versions to it. Events are never rewritten in the store; readers
// upcast on the way in, so projections only ever see the newest shape.
type Registry struct {
	types map[string]*typeInfo
}

// NewRegistry returns a registry holding every event type of Cicero.
func NewRegistry() *Registry {
	r := &Registry{types: map[string]*typeInfo{}}
	registerDirectory(r)
	registerMessaging(r)
	registerAccess(r)
	registerPremium(r)
	registerPersonnelPremium(r)
	registerClaim(r)
	registerPenmas(r)
	registerSocial(r)
	registerComplaint(r)
	registerTaskBoard(r)
	registerEditorial(r)
	registerAmplify(r)
	return r
}

// Register adds an event type at its current schema version.
func (r *Registry) Register(version int, newFn func() Payload) {
	t := newFn().EventType()
	if _, dup := r.types[t]; dup {
		panic(fmt.Sprintf("event type %s registered twice", t)) // programming error at start-up
	}
	r.types[t] = &typeInfo{version: version, newFn: newFn, upcasters: map[int]Upcaster{}}
}

// RegisterUpcaster adds the step from version `from` to `from+1` of typ.
func (r *Registry) RegisterUpcaster(typ string, from int, up Upcaster) {
	ti, ok := r.types[typ]
	if !ok {
		panic(fmt.Sprintf("upcaster for unknown event type %s", typ))
	}
	ti.upcasters[from] = up
}

// Version returns the current schema version of typ.
func (r *Registry) Version(typ string) (int, error) {
	ti, ok := r.types[typ]
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrUnknownEventType, typ)
	}
	return ti.version, nil
}

// Types lists the registered event types in name order.
func (r *Registry) Types() []string {
	out := make([]string, 0, len(r.types))
	for t := range r.types {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Upcast lifts env.Data to the current version of its type in place.
func (r *Registry) Upcast(env *Envelope) error {
	ti, ok := r.types[env.Type]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownEventType, env.Type)
	}
	for env.Version < ti.version {
		up, ok := ti.upcasters[env.Version]
		if !ok {
			return fmt.Errorf("no upcaster for %s v%d", env.Type, env.Version)
		}
		data, err := up(env.Data)
		if err != nil {
			return fmt.Errorf("upcast %s v%d: %w", env.Type, env.Version, err)
		}
		env.Data = data
		env.Version++
	}
	if env.Version > ti.version {
		return fmt.Errorf("%s v%d is newer than this binary knows (v%d)", env.Type, env.Version, ti.version)
	}
	return nil
}

// Decode upcasts env and unmarshals it into its payload struct.
func (r *Registry) Decode(env *Envelope) (Payload, error) {
	if err := r.Upcast(env); err != nil {
		return nil, err
	}
	p := r.types[env.Type].newFn()
	if err := json.Unmarshal(env.Data, p); err != nil {
		return nil, fmt.Errorf("decode %s at %s/%d: %w", env.Type, env.Stream, env.Position, err)
	}
	return p, nil
}

// Types lists the type names of ps: how projections and sagas declare what
// they consume without spelling type names by hand.
func Types(ps ...Payload) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.EventType()
	}
	return out
}

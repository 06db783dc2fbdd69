package commands

import (
	"container/list"
	"context"
	"sort"
	"sync"

	"github.com/cicero/cicero/events"
)

// Fold returns the state of the aggregate at subject, read through l as
// Load reads it: zero() with every event of its history applied in order,
// and its version. The runtime keeps the states its decisions folded
// (bounded, least recently used out), so a decision on an aggregate decided
// on before applies only the events that followed, instead of decoding a
// history that grows with every command (a post gains one LikesRecorded per
// fetch). History is append-only, so a state folded up to a version stays
// the state at that version.
//
// The decision owns the state until it returns, and must neither change it
// nor put its maps or slices into the events it appends: the next decision
// on the aggregate continues from it. An apply error drops the state.
func Fold[S any](ctx context.Context, l *Loader, subject string, zero func() S, apply func(*S, *events.Envelope) error) (S, uint64, error) {
	envs, v, err := l.Load(ctx, subject)
	if err != nil {
		var none S
		return none, 0, err
	}
	var s S
	from, weight := uint64(0), 0
	f, ok := l.states.take(subject)
	if st, typed := f.state.(S); ok && typed && f.version <= v {
		s, from, weight = st, f.version, f.weight
	} else {
		if ok {
			// Ahead of this read (a stale one), or of another type: keep it.
			l.states.put(f)
		}
		s = zero()
	}
	i := sort.Search(len(envs), func(i int) bool { return envs[i].Position > from })
	weight = max(weight+len(envs)-i, 1) // an empty history takes a place too
	for ; i < len(envs); i++ {
		if err := apply(&s, &envs[i]); err != nil {
			var none S
			return none, 0, err
		}
	}
	l.held = append(l.held, foldedState{subject: subject, state: s, version: v, weight: weight})
	return s, v, nil
}

// release hands the states the decision folded back to the cache; the
// decision has returned and no longer reads them.
func (l *Loader) release() {
	for _, f := range l.held {
		l.states.put(f)
	}
	l.held = nil
}

// stateCache keeps folded aggregate states by subject, least recently used
// out, up to a number of events folded into them (the same bound as the
// event store's load cache, whose histories they summarise). A state is
// taken out while a decision uses it, so no two decisions share one.
type stateCache struct {
	max int

	mu    sync.Mutex
	n     int
	order *list.List // of *foldedState, most recent at the front
	items map[string]*list.Element
}

// foldedState is an aggregate's state with every event up to version
// applied; weight counts those events.
type foldedState struct {
	subject string
	state   any
	version uint64
	weight  int
}

func newStateCache(maxEvents int) *stateCache {
	return &stateCache{max: maxEvents, order: list.New(), items: map[string]*list.Element{}}
}

// take removes and returns the state of subject.
func (c *stateCache) take(subject string) (foldedState, bool) {
	if c == nil || c.max <= 0 {
		return foldedState{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[subject]
	if !ok {
		return foldedState{}, false
	}
	f := *el.Value.(*foldedState)
	c.remove(el)
	return f, true
}

// put keeps f unless the cache holds the subject at a later version or f
// is heavier than a quarter of the cache.
func (c *stateCache) put(f foldedState) {
	if c == nil || c.max <= 0 || f.weight > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[f.subject]; ok {
		if el.Value.(*foldedState).version >= f.version {
			return
		}
		c.remove(el)
	}
	c.items[f.subject] = c.order.PushFront(&f)
	c.n += f.weight
	for c.n > c.max {
		c.remove(c.order.Back())
	}
}

func (c *stateCache) remove(el *list.Element) {
	f := el.Value.(*foldedState)
	c.order.Remove(el)
	delete(c.items, f.subject)
	c.n -= f.weight
}

package events

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const (
	directGetBatch = 512
	// directGetWait bounds the silence between two answers of one batch
	// before the request is sent again from where it stopped.
	directGetWait = 5 * time.Second
	// directGetRetries bounds how often a batch is asked again.
	directGetRetries = 20
)

// errStopScan ends a scan early without error.
var errStopScan = errors.New("stop scan")

// Load reads every event of one aggregate subject and returns them with the
// aggregate's version: the stream sequence of its last event (0 if none).
// It uses batched direct gets filtered on the subject, so no consumer is
// created per load. On a replicated stream a direct get may be answered by
// a follower a few messages behind; the version then lags too, and an append
// made on it fails with ErrConflict rather than losing anything. A decision
// that appends nothing on it (a refusal) is not checked that way: confirm
// the version with LeaderVersion and, if behind, read with LoadAtLeast.
//
// Histories already read are kept (bounded, see WithLoadCache) and only the
// events after them are fetched: the server finds a subject's messages by
// walking its file blocks from the first message asked for, so re-reading a
// long history interleaved with other aggregates costs milliseconds, while
// asking for what follows a known version costs one lookup. This relies on
// event streams never losing messages (deny delete and purge, no roll-up) and
// on a stream not being re-created under a running store.
func (s *Store) Load(ctx context.Context, subject string) ([]Envelope, uint64, error) {
	known, from, start := s.cache.get(subject)
	out, version, err := s.collect(ctx, subject, start, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("load %s: %w", subject, err)
	}
	s.cache.put(subject, from, out, version)
	if from == 0 {
		return out, version, nil
	}
	if len(out) == 0 {
		version = from
	}
	all := make([]Envelope, 0, len(known)+len(out))
	return append(append(all, known...), out...), version, nil
}

// LoadCached returns the history of subject as this store last knew it
// (read or appended by itself), without asking the server. It may be stale
// when another process appended since; callers decide on it only where
// optimistic concurrency checks that version on append, and reload on a
// conflict. ok is false when nothing exact is cached.
func (s *Store) LoadCached(subject string) ([]Envelope, uint64, bool) {
	return s.cache.exact(subject)
}

// LoadFrom is Load starting at stream sequence from (for snapshots the
// caller passes the position after its last known one). The version is that
// of the last event read: 0 when nothing follows from.
func (s *Store) LoadFrom(ctx context.Context, subject string, from uint64) ([]Envelope, uint64, error) {
	out, version, err := s.collect(ctx, subject, from, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("load %s: %w", subject, err)
	}
	return out, version, nil
}

// LoadUpTo is Load limited to events at or before stream sequence upTo:
// the state of an aggregate as of a past position. upTo 0 is before the
// first message, so it returns nothing.
func (s *Store) LoadUpTo(ctx context.Context, subject string, upTo uint64) ([]Envelope, uint64, error) {
	if upTo == 0 {
		return nil, 0, nil
	}
	out, version, err := s.collect(ctx, subject, 1, upTo)
	if err != nil {
		return nil, 0, fmt.Errorf("load %s up to %d: %w", subject, upTo, err)
	}
	return out, version, nil
}

func (s *Store) collect(ctx context.Context, subject string, from, upTo uint64) ([]Envelope, uint64, error) {
	// A cancelled caller gets its error whatever the cache holds: how far
	// the server is asked must not decide whether cancellation is seen.
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	var out []Envelope
	stream := StreamOf(subject)
	version, err := s.scanSubject(ctx, subject, from, upTo, func(seq uint64, ts time.Time, h nats.Header, data []byte) error {
		envs, err := s.reg.DecodeMessage(stream, subject, seq, ts, h, data)
		if err != nil {
			return err
		}
		if out == nil {
			out = envs
			return nil
		}
		out = append(out, envs...)
		return nil
	})
	return out, version, err
}

type directGetReq struct {
	Seq     uint64 `json:"seq"`
	NextFor string `json:"next_by_subj"`
	Batch   int    `json:"batch"`
}

// scanSubject walks a subject with batched direct gets from sequence from
// (up to upTo when it is not 0) and returns the sequence of the last message
// passed to fn. fn may return errStopScan to end the walk early.
//
// The server honours up_to_seq only for multi-subject gets, so the cut-off
// is applied here.
func (s *Store) scanSubject(ctx context.Context, subject string, from, upTo uint64, fn func(uint64, time.Time, nats.Header, []byte) error) (uint64, error) {
	stream := StreamOf(subject)
	var last uint64
	if from == 0 {
		from = 1
	}
	for attempt := 0; ; {
		req, err := json.Marshal(directGetReq{Seq: from, NextFor: subject, Batch: directGetBatch})
		if err != nil {
			return 0, err
		}
		more, retry, err := s.gets.do(ctx, "$JS.API.DIRECT.GET."+stream, req, func(seq uint64, ts time.Time, h nats.Header, data []byte) error {
			if upTo > 0 && seq > upTo {
				return errStopScan
			}
			if err := fn(seq, ts, h, data); err != nil {
				return err
			}
			last = seq
			return nil
		})
		if errors.Is(err, errStopScan) {
			return last, nil
		}
		if err != nil {
			if retry && attempt < directGetRetries {
				attempt++
				// Resume after what already arrived: answers of the
				// abandoned request are dropped by the mux.
				if last >= from {
					from = last + 1
				}
				if werr := sleepCtx(ctx, time.Duration(attempt)*10*time.Millisecond); werr != nil {
					return 0, werr
				}
				continue
			}
			return 0, err
		}
		if !more {
			return last, nil
		}
		from = last + 1
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// do sends one batched direct get and passes each message to fn until the
// end-of-batch marker. more is true when the server stopped early (batch or
// size cap) with messages left; retry is true for answers worth asking again.
func (m *respMux) do(ctx context.Context, subject string, req []byte, fn func(uint64, time.Time, nats.Header, []byte) error) (more, retry bool, err error) {
	q, reply, err := m.open()
	if err != nil {
		return false, false, err
	}
	defer m.close(reply)
	if err := m.nc.PublishRequest(subject, reply, req); err != nil {
		return false, errors.Is(err, nats.ErrConnectionReconnecting), fmt.Errorf("direct get: %w", err)
	}
	timer := time.NewTimer(directGetWait)
	defer timer.Stop()
	for {
		msg, err := q.next(ctx, timer)
		if err != nil {
			if errors.Is(err, errDirectGetSilent) {
				return false, true, fmt.Errorf("direct get: %w", nats.ErrTimeout)
			}
			return false, false, err
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(directGetWait)
		switch msg.Header.Get("Status") {
		case "":
		case "404":
			return false, false, nil
		case "204": // end of batch
			np, _ := strconv.ParseUint(msg.Header.Get("Nats-Num-Pending"), 10, 64)
			return np > 0, false, nil
		case "503":
			return false, true, fmt.Errorf("direct get: %w", nats.ErrNoResponders)
		default:
			return false, false, fmt.Errorf("direct get: status %s %s", msg.Header.Get("Status"), msg.Header.Get("Description"))
		}
		seq, err := strconv.ParseUint(msg.Header.Get("Nats-Sequence"), 10, 64)
		if err != nil {
			return false, false, fmt.Errorf("direct get: bad sequence header: %w", err)
		}
		ts, _ := time.Parse(time.RFC3339Nano, msg.Header.Get("Nats-Time-Stamp"))
		if err := fn(seq, ts, msg.Header, msg.Data); err != nil {
			return false, false, err
		}
	}
}

// respMux carries the answers to every direct get of a store on one wildcard
// subscription, so a Load costs one request and no subscribe/unsubscribe
// (nats.go does the same for single-answer requests, but a batched get has
// many answers). Each request gets its own reply token; answers that arrive
// for a request no longer waiting are dropped.
type respMux struct {
	nc *nats.Conn

	mu      sync.Mutex
	prefix  string
	sub     *nats.Subscription
	next    uint64
	waiting map[string]*respQueue
}

// respQueue holds the answers to one request; the subscription callback
// never blocks on it.
type respQueue struct {
	mu    sync.Mutex
	msgs  []*nats.Msg
	ready chan struct{}
}

var errDirectGetSilent = errors.New("no answer")

func newRespMux(nc *nats.Conn) *respMux {
	return &respMux{nc: nc, waiting: map[string]*respQueue{}}
}

// open registers a request and returns its queue and reply subject,
// subscribing on first use.
func (m *respMux) open() (*respQueue, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sub == nil || !m.sub.IsValid() {
		prefix := m.nc.NewInbox() + "."
		sub, err := m.nc.Subscribe(prefix+"*", m.deliver)
		if err != nil {
			return nil, "", fmt.Errorf("direct get inbox: %w", err)
		}
		// Answers are bounded by what the requests asked for; never drop
		// them as a slow consumer.
		if err := sub.SetPendingLimits(-1, -1); err != nil {
			_ = sub.Unsubscribe()
			return nil, "", fmt.Errorf("direct get inbox: %w", err)
		}
		m.prefix, m.sub = prefix, sub
	}
	m.next++
	reply := m.prefix + strconv.FormatUint(m.next, 36)
	q := &respQueue{ready: make(chan struct{}, 1)}
	m.waiting[reply] = q
	return q, reply, nil
}

func (m *respMux) close(reply string) {
	m.mu.Lock()
	delete(m.waiting, reply)
	m.mu.Unlock()
}

func (m *respMux) deliver(msg *nats.Msg) {
	m.mu.Lock()
	q := m.waiting[msg.Subject]
	m.mu.Unlock()
	if q == nil {
		return
	}
	q.mu.Lock()
	q.msgs = append(q.msgs, msg)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// next returns the next answer, waiting until one arrives, ctx ends or the
// timer fires (errDirectGetSilent).
func (q *respQueue) next(ctx context.Context, timer *time.Timer) (*nats.Msg, error) {
	for {
		q.mu.Lock()
		if len(q.msgs) > 0 {
			msg := q.msgs[0]
			q.msgs[0] = nil
			q.msgs = q.msgs[1:]
			q.mu.Unlock()
			return msg, nil
		}
		q.mu.Unlock()
		select {
		case <-q.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
			return nil, errDirectGetSilent
		}
	}
}

// loadCache keeps the histories Load has read, least recently used first
// out, up to a number of events. Entries only grow: history is append-only.
type loadCache struct {
	max int

	mu    sync.Mutex
	n     int
	order *list.List // of *cachedHistory, most recent at the front
	items map[string]*list.Element
}

type cachedHistory struct {
	subject string
	envs    []Envelope
	version uint64
	// next, when set, is the sequence of the subject's message after
	// version, known from this store's own append. Reading from there
	// instead of version+1 spares the server a walk over every message
	// stored in between.
	next uint64
}

func newLoadCache(maxEvents int) *loadCache {
	return &loadCache{max: maxEvents, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the cached history of subject (capped, so appends to it
// copy), its version, and the sequence to read on from (1 when nothing is
// cached).
func (c *loadCache) get(subject string) ([]Envelope, uint64, uint64) {
	if c == nil || c.max <= 0 {
		return nil, 0, 1
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[subject]
	if !ok {
		return nil, 0, 1
	}
	c.order.MoveToFront(el)
	h := el.Value.(*cachedHistory)
	start := h.version + 1
	if h.next > h.version {
		start = h.next
	}
	return h.envs[:len(h.envs):len(h.envs)], h.version, start
}

// exact returns a cached history only when no later append of ours is
// known to be missing from it.
func (c *loadCache) exact(subject string) ([]Envelope, uint64, bool) {
	if c == nil || c.max <= 0 {
		return nil, 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[subject]
	if !ok {
		return nil, 0, false
	}
	h := el.Value.(*cachedHistory)
	if h.next > h.version {
		return nil, 0, false
	}
	c.order.MoveToFront(el)
	return h.envs[:len(h.envs):len(h.envs)], h.version, true
}

// extend adds the events this store appended at seq on top of version
// expected, when the cache holds exactly that version (or, for a new
// aggregate, nothing). It reports whether the cache now ends at seq.
func (c *loadCache) extend(subject string, expected uint64, envs []Envelope, seq uint64) bool {
	if c == nil || c.max <= 0 {
		return false
	}
	c.mu.Lock()
	el, ok := c.items[subject]
	if ok && el.Value.(*cachedHistory).version != expected {
		c.mu.Unlock()
		return false
	}
	c.mu.Unlock()
	if !ok && expected != 0 {
		return false
	}
	c.put(subject, expected, envs, seq)
	_, v, ok := c.exact(subject)
	return ok && v == seq
}

// appended notes that this store appended to subject at seq on top of
// version expected: with optimistic concurrency, nothing of the subject lies
// in between.
func (c *loadCache) appended(subject string, expected, seq uint64) {
	if c == nil || c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[subject]; ok {
		if h := el.Value.(*cachedHistory); h.version == expected && seq > expected {
			h.next = seq
		}
	}
}

// put records more as the events of subject after version `after` (0: more
// is the whole history), ending at version. A continuation is kept only if
// it follows the cached version exactly; an empty or oversized history is
// not kept.
func (c *loadCache) put(subject string, after uint64, more []Envelope, version uint64) {
	if c == nil || c.max <= 0 || len(more) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[subject]
	switch {
	case ok:
		h := el.Value.(*cachedHistory)
		if h.version != after {
			return // another load went further, or the entry was replaced
		}
		if len(h.envs)+len(more) > c.max/4 {
			c.remove(el)
			return
		}
		h.envs = append(h.envs, more...)
		h.version, h.next = version, 0
		c.n += len(more)
		c.order.MoveToFront(el)
	case after == 0 && len(more) <= c.max/4:
		envs := make([]Envelope, len(more), len(more)+4)
		copy(envs, more)
		c.items[subject] = c.order.PushFront(&cachedHistory{subject: subject, envs: envs, version: version})
		c.n += len(more)
	}
	for c.n > c.max {
		c.remove(c.order.Back())
	}
}

func (c *loadCache) remove(el *list.Element) {
	h := el.Value.(*cachedHistory)
	c.order.Remove(el)
	delete(c.items, h.subject)
	c.n -= len(h.envs)
}

// Reads answered by the stream leader. A direct get (Load) may be answered
// by any replica, and a replica may be a few messages behind the leader:
// harmless for an append, which names the version it was decided on and so
// ends in a conflict, but not for a refusal or a "nothing to change", which
// nothing checks. The JetStream API's STREAM.MSG.GET is answered only by the
// stream leader, which holds every acknowledged message.

// codeNoMessageFound is JSNoMessageFoundErr: nothing matches the request.
const codeNoMessageFound = 10037

// staleWait bounds the pauses LoadAtLeast gives lagging replicas before it
// reads the rest from the leader.
const staleWait = 20 * time.Millisecond

// msgGetReq is the body of $JS.API.STREAM.MSG.GET.<stream>
// (nats-server JSApiMsgGetRequest).
type msgGetReq struct {
	Seq      uint64 `json:"seq,omitempty"`
	LastFor  string `json:"last_by_subj,omitempty"`
	NextFor  string `json:"next_by_subj,omitempty"`
	NoHeader bool   `json:"no_hdr,omitempty"`
}

// leaderMsg is the message of a STREAM.MSG.GET answer (nats-server StoredMsg).
type leaderMsg struct {
	Subject  string    `json:"subject"`
	Sequence uint64    `json:"seq"`
	Header   []byte    `json:"hdrs,omitempty"`
	Data     []byte    `json:"data,omitempty"`
	Time     time.Time `json:"time"`
}

// leaderGet asks the stream leader for one message; found is false when
// nothing matches. Answers that mean "no leader right now" and lost
// requests are retried within the store's budget (then ErrUnavailable).
func (s *Store) leaderGet(ctx context.Context, stream string, req msgGetReq) (leaderMsg, bool, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return leaderMsg{}, false, err
	}
	var resp struct {
		Error   *jetstream.APIError `json:"error"`
		Message *leaderMsg          `json:"message"`
	}
	err = s.retry(ctx, func(ctx context.Context) error {
		resp.Error, resp.Message = nil, nil
		msg, err := s.nc.RequestWithContext(ctx, "$JS.API.STREAM.MSG.GET."+stream, body)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(msg.Data, &resp); err != nil {
			return fmt.Errorf("decode answer: %w", err)
		}
		if resp.Error != nil && resp.Error.ErrorCode != codeNoMessageFound {
			return resp.Error
		}
		return nil
	})
	if err != nil {
		return leaderMsg{}, false, fmt.Errorf("leader get from %s: %w", stream, err)
	}
	if resp.Error != nil || resp.Message == nil {
		return leaderMsg{}, false, nil
	}
	return *resp.Message, true, nil
}

// leaderMsgAt returns the message at seq of stream, with its headers, from
// the stream leader.
func (s *Store) leaderMsgAt(ctx context.Context, stream string, seq uint64) (leaderMsg, nats.Header, error) {
	m, ok, err := s.leaderGet(ctx, stream, msgGetReq{Seq: seq})
	if err != nil {
		return leaderMsg{}, nil, err
	}
	if !ok {
		return leaderMsg{}, nil, fmt.Errorf("leader get %s/%d: no such message", stream, seq)
	}
	h, err := decodeHeaders(m.Header)
	if err != nil {
		return leaderMsg{}, nil, fmt.Errorf("leader get %s/%d: %w", stream, seq, err)
	}
	return m, h, nil
}

func decodeHeaders(raw []byte) (nats.Header, error) {
	if len(raw) == 0 {
		return nats.Header{}, nil
	}
	h, err := nats.DecodeHeadersMsg(raw)
	if err != nil {
		return nil, fmt.Errorf("headers: %w", err)
	}
	return h, nil
}

// LeaderVersion returns the version of subject (the sequence of its last
// message, 0 if none) as the stream leader knows it: every acknowledged
// append is in it, which a direct get (Load) cannot promise. One round trip.
func (s *Store) LeaderVersion(ctx context.Context, subject string) (uint64, error) {
	m, ok, err := s.leaderGet(ctx, StreamOf(subject), msgGetReq{LastFor: subject, NoHeader: true})
	if err != nil {
		return 0, fmt.Errorf("version of %s: %w", subject, err)
	}
	if !ok {
		return 0, nil
	}
	return m.Sequence, nil
}

// LoadAtLeast is Load for a caller that knows subject has reached version
// min (from LeaderVersion): it never returns an older history. A replica
// answering the direct gets behind min gets a few short pauses to catch up
// (it usually does within milliseconds); after that the rest is read from
// the stream leader, one message per round trip, up to the last the leader
// holds.
func (s *Store) LoadAtLeast(ctx context.Context, subject string, min uint64) ([]Envelope, uint64, error) {
	var (
		envs    []Envelope
		version uint64
		err     error
	)
	for wait := time.Millisecond; ; wait *= 2 {
		envs, version, err = s.Load(ctx, subject)
		if err != nil || version >= min {
			return envs, version, err
		}
		if wait > staleWait {
			break
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return nil, 0, err
		}
	}
	tail, last, err := s.leaderTail(ctx, subject, version)
	if err != nil {
		return nil, 0, fmt.Errorf("load %s: %w", subject, err)
	}
	if last < min {
		// The leader that answered holds less than one before it did: a
		// leadership change to a member still applying its log. Retryable.
		return nil, 0, fmt.Errorf("load %s: %w: the stream leader holds %d, %d was reported", subject, ErrUnavailable, last, min)
	}
	s.cache.put(subject, version, tail, last)
	return append(envs[:len(envs):len(envs)], tail...), last, nil
}

// leaderTail reads the messages of subject after sequence `after` from the
// stream leader and returns their events and the last sequence read
// (`after` when there is none).
func (s *Store) leaderTail(ctx context.Context, subject string, after uint64) ([]Envelope, uint64, error) {
	stream := StreamOf(subject)
	var out []Envelope
	last := after
	for {
		m, ok, err := s.leaderGet(ctx, stream, msgGetReq{Seq: last + 1, NextFor: subject})
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			return out, last, nil
		}
		h, err := decodeHeaders(m.Header)
		if err != nil {
			return nil, 0, fmt.Errorf("%s/%d: %w", stream, m.Sequence, err)
		}
		envs, err := s.reg.DecodeMessage(stream, subject, m.Sequence, m.Time, h, m.Data)
		if err != nil {
			return nil, 0, err
		}
		out, last = append(out, envs...), m.Sequence
	}
}

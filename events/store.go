package events

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Store is the event store over JetStream: append with optimistic
// concurrency, load an aggregate by its subject, read a stream from a position.
type Store struct {
	nc  *nats.Conn
	js  jetstream.JetStream
	reg *Registry
	log *slog.Logger
	now func() time.Time
	// retryBudget bounds how long "temporarily unavailable" answers are retried.
	retryBudget time.Duration
	// attemptTimeout bounds one publish when the caller's context allows
	// more, so a request lost in a fail-over is sent again (under the same
	// message id) instead of waiting out the whole budget.
	attemptTimeout time.Duration
	gets           *respMux
	cache          *loadCache
}

// StoreOption tunes a Store.
type StoreOption func(*Store)

// WithRetryBudget sets how long the store keeps retrying answers that mean
// "try again" (leader election, no responders, timeouts) before it gives up
// with ErrUnavailable. Default 10 s.
func WithRetryBudget(d time.Duration) StoreOption {
	return func(s *Store) { s.retryBudget = d }
}

// DefaultLoadCache is the default size of the load cache, in events.
const DefaultLoadCache = 200000

// WithLoadCache sets how many events Load keeps in memory to read only
// what follows a known version (0: none), and to let commands decide from
// their own aggregate without a round trip. It should hold the hot working
// set: an aggregate evicted from it is read from the server again, which on
// a long stream where its events are interleaved with others' walks many
// messages. Default 200 000 events (tens of MB); one aggregate may take at
// most a quarter of it.
func WithLoadCache(maxEvents int) StoreOption {
	return func(s *Store) { s.cache = newLoadCache(maxEvents) }
}

// NewStore wires a store onto an existing connection.
func NewStore(nc *nats.Conn, reg *Registry, log *slog.Logger, opts ...StoreOption) (*Store, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("jetstream context: %w", err)
	}
	s := &Store{nc: nc, js: js, reg: reg, log: log, now: time.Now, retryBudget: 10 * time.Second,
		attemptTimeout: 3 * time.Second, gets: newRespMux(nc), cache: newLoadCache(DefaultLoadCache)}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// LoadCacheSize is how many events Load keeps in memory (WithLoadCache).
func (s *Store) LoadCacheSize() int {
	if s.cache == nil {
		return 0
	}
	return s.cache.max
}

// JetStream exposes the underlying context for runtimes that create consumers.
func (s *Store) JetStream() jetstream.JetStream { return s.js }

// Registry returns the event type registry the store decodes with.
func (s *Store) Registry() *Registry { return s.reg }

// Commit is what one command appends to one aggregate: its events, carried by
// one message so that they land or fail together.
type Commit struct {
	Subject     string
	AggregateID string
	// Expected is the stream sequence of the subject's last event when the
	// decision was made (0: the aggregate had no events).
	Expected uint64
	Events   []Payload
}

// Appended reports where a commit landed.
type Appended struct {
	Subject  string   `json:"subject"`
	Stream   string   `json:"stream"`
	Sequence uint64   `json:"seq"`
	EventIDs []string `json:"event_ids"`
	Types    []string `json:"types"`
	// Duplicate is true when the server recognised the message id and
	// returned the earlier append instead of storing it again.
	Duplicate bool `json:"duplicate,omitempty"`
}

// EventID derives the id of the i-th event a command appends to a subject.
// It is a UUIDv7 whose time bits come from the command id (itself a UUIDv7
// when the caller made one) and whose random bits are a hash of command id,
// subject and index, so a retried command produces the same ids and the
// server's duplicate window drops the second copy.
func EventID(commandID, subject string, i int) string {
	h := sha256.Sum256([]byte(commandID + "\x00" + subject + "\x00" + strconv.Itoa(i)))
	var u uuid.UUID
	copy(u[:], h[:16])
	if cu, err := uuid.Parse(commandID); err == nil && cu.Version() == 7 {
		copy(u[:6], cu[:6])
	}
	u[6] = (u[6] & 0x0f) | 0x70
	u[8] = (u[8] & 0x3f) | 0x80
	return u.String()
}

// checkHeader refuses values that would break the header block.
func checkHeader(name, v string) error {
	if strings.ContainsAny(v, "\r\n") {
		return fmt.Errorf("%s holds a line break", name)
	}
	return nil
}

func (s *Store) buildMsg(c Commit, meta Meta) (*nats.Msg, []string, []string, error) {
	if len(c.Events) == 0 {
		return nil, nil, nil, errors.New("commit without events")
	}
	if err := checkSubject(c.Subject); err != nil {
		return nil, nil, nil, err
	}
	if meta.CommandID == "" {
		meta.CommandID = uuid.Must(uuid.NewV7()).String()
	}
	for _, f := range [...]struct{ name, v string }{{"aggregate id", c.AggregateID}, {"command id", meta.CommandID},
		{"correlation id", meta.CorrelationID}, {"causation id", meta.CausationID}, {"actor", meta.Actor}, {"channel", meta.Channel}} {
		if err := checkHeader(f.name, f.v); err != nil {
			return nil, nil, nil, err
		}
	}
	occurred := meta.OccurredAt
	if occurred.IsZero() {
		occurred = s.now()
	}
	msg := nats.NewMsg(c.Subject)
	ids := make([]string, len(c.Events))
	types := make([]string, len(c.Events))
	items := make([]commitItem, len(c.Events))
	for i, ev := range c.Events {
		typ := ev.EventType()
		v, err := s.reg.Version(typ)
		if err != nil {
			return nil, nil, nil, err
		}
		data, err := json.Marshal(ev)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("encode %s: %w", typ, err)
		}
		// Postgres text cannot hold NUL: one such event would stall every
		// read model that stores the field, forever. Refuse it at the door.
		if hasNUL(data) {
			return nil, nil, nil, ErrNULInPayload
		}
		ids[i], types[i] = EventID(meta.CommandID, c.Subject, i), typ
		items[i] = commitItem{ID: ids[i], Type: typ, Version: v, Data: data}
	}
	h := msg.Header
	h.Set(jetstream.MsgIDHeader, ids[0])
	h.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(c.Expected, 10))
	if len(items) == 1 {
		h.Set(hdrType, items[0].Type)
		h.Set(hdrVersion, strconv.Itoa(items[0].Version))
		msg.Data = items[0].Data
	} else {
		h.Set(hdrCount, strconv.Itoa(len(items)))
		body, err := json.Marshal(items)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("encode commit: %w", err)
		}
		msg.Data = body
	}
	h.Set(hdrAggregate, c.AggregateID)
	h.Set(hdrCommand, meta.CommandID)
	if meta.CorrelationID != "" {
		h.Set(hdrCorrelation, meta.CorrelationID)
	}
	if meta.CausationID != "" {
		h.Set(hdrCausation, meta.CausationID)
	}
	if meta.Actor != "" {
		h.Set(hdrActor, meta.Actor)
	}
	if meta.Channel != "" {
		h.Set(hdrChannel, meta.Channel)
	}
	h.Set(hdrOccurredAt, occurred.Format(time.RFC3339Nano))
	return msg, ids, types, nil
}

// Append stores one commit with optimistic concurrency. A subject that moved
// past c.Expected gives ErrConflict; "temporarily unavailable" answers and
// lost acknowledgements are retried within the store's budget and never
// reported as conflicts. Appending a commit this command already stored
// (same command id, subject and expected version) stores nothing and
// returns the first append with Duplicate set, inside JetStream's duplicate
// window and after it.
func (s *Store) Append(ctx context.Context, meta Meta, c Commit) (Appended, error) {
	msg, ids, types, err := s.buildMsg(c, meta)
	if err != nil {
		return Appended{}, fmt.Errorf("append %s: %w", c.Subject, err)
	}
	var ack *jetstream.PubAck
	err = s.retry(ctx, func(ctx context.Context) error {
		var perr error
		ack, perr = s.js.PublishMsg(ctx, msg)
		return perr
	})
	if errors.Is(err, ErrConflict) {
		// A standalone server checks the expected sequence before the
		// message id, so a retried commit that already landed (its ack was
		// lost, or the duplicate window has passed) looks like a conflict.
		if prev, ok, ferr := s.findStored(ctx, c.Subject, c.Expected, ids[0]); ferr != nil {
			s.log.Warn("look for an earlier copy after a conflict failed", "subject", c.Subject, "err", ferr)
		} else if ok {
			return prev, nil
		}
	}
	if err != nil {
		return Appended{}, fmt.Errorf("append %s: %w", c.Subject, err)
	}
	if !ack.Duplicate {
		// Keep what we just stored: the next command on this aggregate can
		// decide from it without a round trip (see LoadCached).
		envs, derr := s.reg.DecodeMessage(ack.Stream, c.Subject, ack.Sequence, s.now(), msg.Header, msg.Data)
		if derr != nil || !s.cache.extend(c.Subject, c.Expected, envs, ack.Sequence) {
			s.cache.appended(c.Subject, c.Expected, ack.Sequence)
		}
	}
	return Appended{Subject: c.Subject, Stream: ack.Stream, Sequence: ack.Sequence, EventIDs: ids, Types: types, Duplicate: ack.Duplicate}, nil
}

// findStored looks on subject, after sequence `after`, for the message whose
// id is msgID, and reports it as a duplicate append.
func (s *Store) findStored(ctx context.Context, subject string, after uint64, msgID string) (Appended, bool, error) {
	var found Appended
	var ok bool
	_, err := s.scanSubject(ctx, subject, after+1, 0, func(seq uint64, ts time.Time, h nats.Header, data []byte) error {
		if h.Get(jetstream.MsgIDHeader) != msgID {
			return nil
		}
		envs, err := s.reg.DecodeMessage(StreamOf(subject), subject, seq, ts, h, data)
		if err != nil {
			return err
		}
		found = Appended{Subject: subject, Stream: StreamOf(subject), Sequence: seq, Duplicate: true,
			EventIDs: make([]string, len(envs)), Types: make([]string, len(envs))}
		for i, e := range envs {
			found.EventIDs[i], found.Types[i] = e.ID, e.Type
		}
		ok = true
		return errStopScan
	})
	if err != nil {
		return Appended{}, false, fmt.Errorf("find %s on %s: %w", msgID, subject, err)
	}
	return found, ok, nil
}

// maxBatch bounds how far AppendOf walks an atomic batch (the server's
// default cap on messages per batch).
const maxBatch = 1000

// AppendOf reports the append that stored the message at seq of stream, as
// Append or AppendAtomic reported it when it landed, marked Duplicate as
// they mark an append they found stored before: one entry, or, for a
// message of an atomic batch, one per message of the batch in batch order. It reads from the stream leader. A runtime answers with it
// a command whose events it finds already stored (a retry whose recorded
// outcome was lost, or a second request carrying the same command id).
func (s *Store) AppendOf(ctx context.Context, stream string, seq uint64) ([]Appended, error) {
	m, h, err := s.leaderMsgAt(ctx, stream, seq)
	if err != nil {
		return nil, fmt.Errorf("append of %s/%d: %w", stream, seq, err)
	}
	k := h.Get("Nats-Batch-Sequence")
	if k == "" {
		a, err := s.appendedOf(stream, m, h)
		if err != nil {
			return nil, err
		}
		return []Appended{a}, nil
	}
	// The server keeps the batch headers, and a batch occupies consecutive
	// sequences: its first message is k-1 before this one, its last carries
	// the commit header.
	n, err := strconv.ParseUint(k, 10, 64)
	if err != nil || n == 0 || n > seq || n > maxBatch {
		return nil, fmt.Errorf("append of %s/%d: bad batch sequence %q", stream, seq, k)
	}
	batch := h.Get("Nats-Batch-Id")
	var out []Appended
	for cur := seq - (n - 1); len(out) < maxBatch; cur++ {
		cm, ch := m, h
		if cur != seq {
			if cm, ch, err = s.leaderMsgAt(ctx, stream, cur); err != nil {
				return nil, fmt.Errorf("append of %s/%d: %w", stream, seq, err)
			}
		}
		if ch.Get("Nats-Batch-Id") != batch {
			return nil, fmt.Errorf("append of %s/%d: message %d is not of batch %s", stream, seq, cur, batch)
		}
		a, err := s.appendedOf(stream, cm, ch)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
		if ch.Get("Nats-Batch-Commit") != "" {
			return out, nil
		}
	}
	return nil, fmt.Errorf("append of %s/%d: batch %s has no commit within %d messages", stream, seq, batch, maxBatch)
}

func (s *Store) appendedOf(stream string, m leaderMsg, h nats.Header) (Appended, error) {
	envs, err := s.reg.DecodeMessage(stream, m.Subject, m.Sequence, m.Time, h, m.Data)
	if err != nil {
		return Appended{}, fmt.Errorf("append of %s/%d: %w", stream, m.Sequence, err)
	}
	a := Appended{Subject: m.Subject, Stream: stream, Sequence: m.Sequence, Duplicate: true,
		EventIDs: make([]string, len(envs)), Types: make([]string, len(envs))}
	for i, e := range envs {
		a.EventIDs[i], a.Types[i] = e.ID, e.Type
	}
	return a, nil
}

// Server error codes the store tells apart (nats-server errors.json).
const (
	codeClusterNotAvailable  = 10008 // JSClusterNotAvailErr: no leader right now
	codeWrongLastSequence    = 10071 // JSStreamWrongLastSequenceErrF
	codeMsgIDInProcess       = 10158 // JSStreamDuplicateMessageConflict: the same id is being stored
	codeExpectedSeqNotReady  = 10163 // JSStreamExpectedLastSeqPerSubjectNotReady
	codeWrongLastSequenceR   = 10164 // JSStreamWrongLastSequenceConstantErr (replicated streams)
	codeBatchHoldsDuplicate  = 10201 // JSAtomicPublishContainsDuplicateMessageErr
	codeAtomicTooManyPending = 10210 // JSAtomicPublishTooManyInflight
)

// classify maps a JetStream answer to our error vocabulary: a conflict
// (wraps ErrConflict), something to retry, or a failure.
func classify(err error) (out error, retry bool) {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		case codeWrongLastSequence, codeWrongLastSequenceR:
			return fmt.Errorf("%w: %s", ErrConflict, apiErr.Description), false
		case codeClusterNotAvailable, codeMsgIDInProcess, codeExpectedSeqNotReady, codeAtomicTooManyPending:
			return err, true
		}
		return err, false
	}
	if errors.Is(err, nats.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, jetstream.ErrNoStreamResponse) || errors.Is(err, nats.ErrNoResponders) ||
		errors.Is(err, nats.ErrConnectionReconnecting) || errors.Is(err, errNoLeader) {
		return err, true
	}
	return err, false
}

// retry runs op until it succeeds, fails for good, or the budget is spent.
// Each attempt gets at most attemptTimeout of the caller's time. Retrying a
// publish is safe: the message id makes the server answer a second copy with
// the first one's ack (or, on a standalone server, a conflict that Append
// resolves by finding the first copy).
func (s *Store) retry(ctx context.Context, op func(context.Context) error) error {
	deadline := s.now().Add(s.retryBudget)
	backoff := 5 * time.Millisecond
	for {
		actx, cancel := context.WithTimeout(ctx, s.attemptTimeout)
		err := op(actx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w (last answer: %v)", ctx.Err(), err)
		}
		cerr, again := classify(err)
		if !again {
			return cerr
		}
		if s.now().After(deadline) {
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
		s.log.Debug("event store busy, retrying", "err", err, "backoff", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		if backoff < 500*time.Millisecond {
			backoff *= 2
		}
	}
}

// hasNUL reports whether JSON text encodes a NUL character: a \u0000 escape
// whose backslash is not itself escaped.
func hasNUL(data []byte) bool {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte(`\u0000`))
		if j < 0 {
			return false
		}
		at := i + j
		n := 0
		for k := at - 1; k >= 0 && data[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return true
		}
		i = at + 1
	}
}

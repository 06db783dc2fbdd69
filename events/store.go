package events

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
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
	// RetryBudget bounds how long "temporarily unavailable" answers are retried.
	retryBudget time.Duration
}

// NewStore wires a store onto an existing connection.
func NewStore(nc *nats.Conn, reg *Registry, log *slog.Logger) (*Store, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("jetstream context: %w", err)
	}
	return &Store{nc: nc, js: js, reg: reg, log: log, now: time.Now, retryBudget: 10 * time.Second}, nil
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

func (s *Store) buildMsg(c Commit, meta Meta) (*nats.Msg, []string, []string, error) {
	if len(c.Events) == 0 {
		return nil, nil, nil, errors.New("commit without events")
	}
	if meta.CommandID == "" {
		meta.CommandID = uuid.Must(uuid.NewV7()).String()
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
	h.Set(hdrOccurredAt, occurred.Format(time.RFC3339Nano))
	return msg, ids, types, nil
}

// Append stores one commit with optimistic concurrency. A subject that moved
// past c.Expected gives ErrConflict; "temporarily unavailable" answers are
// retried within the store's budget and never reported as conflicts.
func (s *Store) Append(ctx context.Context, meta Meta, c Commit) (Appended, error) {
	msg, ids, types, err := s.buildMsg(c, meta)
	if err != nil {
		return Appended{}, fmt.Errorf("append %s: %w", c.Subject, err)
	}
	var ack *jetstream.PubAck
	err = s.retry(ctx, func() error {
		var perr error
		ack, perr = s.js.PublishMsg(ctx, msg)
		return perr
	})
	if err != nil {
		return Appended{}, fmt.Errorf("append %s: %w", c.Subject, err)
	}
	return Appended{Subject: c.Subject, Stream: ack.Stream, Sequence: ack.Sequence, EventIDs: ids, Types: types, Duplicate: ack.Duplicate}, nil
}

// classify maps a JetStream answer to our error vocabulary.
func classify(err error) (out error, retry bool) {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		case jetstream.JSErrCodeStreamWrongLastSequence, jetstream.JSErrCodeStreamWrongLastSequenceConstant:
			return fmt.Errorf("%w: %s", ErrConflict, apiErr.Description), false
		case 10008, 10158, 10163: // cluster not available, msg id in process, expected seq not ready
			return err, true
		}
		return err, false
	}
	if errors.Is(err, nats.ErrTimeout) || errors.Is(err, jetstream.ErrNoStreamResponse) ||
		errors.Is(err, nats.ErrNoResponders) {
		return err, true
	}
	return err, false
}

// retry runs op until it succeeds, fails for good, or the budget is spent.
// Retrying a publish is safe: the message id makes the server answer a
// second copy with the first one's ack.
func (s *Store) retry(ctx context.Context, op func() error) error {
	deadline := s.now().Add(s.retryBudget)
	backoff := 5 * time.Millisecond
	for {
		err := op()
		if err == nil {
			return nil
		}
		cerr, again := classify(err)
		if !again {
			return cerr
		}
		if s.now().After(deadline) {
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
		s.log.Debug("event store busy, retrying", "err", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		if backoff < 500*time.Millisecond {
			backoff *= 2
		}
	}
}

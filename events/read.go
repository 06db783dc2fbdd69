package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// errNoLeader: a clustered stream answered stream info without a leader.
var errNoLeader = errors.New("stream has no leader")

// StreamHead returns the last sequence of a stream (0 when empty) as its
// leader reports it. Stream info is answered by the leader, except while a
// clustered stream has none (an election after a member left): then any
// member answers with its own state, which may be behind. Such an answer is
// not taken; the store asks again within its retry budget.
func (s *Store) StreamHead(ctx context.Context, stream string) (uint64, error) {
	var head uint64
	err := s.retry(ctx, func(ctx context.Context) error {
		st, err := s.js.Stream(ctx, stream)
		if err != nil {
			return err
		}
		info := st.CachedInfo()
		if info.Cluster != nil && info.Cluster.Leader == "" {
			return errNoLeader
		}
		head = info.State.LastSeq
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("stream %s head: %w", stream, err)
	}
	return head, nil
}

// ReadStream calls fn with every event of stream from position from
// (inclusive) up to where the stream ended when the read began, optionally
// restricted to subjects matching filter. That end is the leader's: its
// last sequence, or with a filter the sequence of its last matching message.
// The messages come from one ordered consumer (deleted at the end), which
// may live on a replica that is behind: the read waits for it rather than
// trusting its "nothing pending", so nothing acknowledged before the read
// began is missed. An error from fn ends the read and is returned as is.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, filter string, fn func(Envelope) error) error {
	if from == 0 {
		from = 1
	}
	last, err := s.readEnd(ctx, stream, filter)
	if err != nil {
		return err
	}
	if last < from {
		return nil // nothing (matching) from `from` on
	}
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: from,
		InactiveThreshold: 30 * time.Second}
	if filter != "" {
		cfg.FilterSubjects = []string{filter}
	}
	// Creating a consumer needs the cluster's meta leader, which may be
	// between elections (a member just died) while the stream serves.
	var cons jetstream.Consumer
	err = s.retry(ctx, func(ctx context.Context) error {
		cons, err = s.js.OrderedConsumer(ctx, stream, cfg)
		return err
	})
	if err != nil {
		return fmt.Errorf("read %s from %d: %w", stream, from, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(readBatch))
	if err != nil {
		return fmt.Errorf("read %s from %d: %w", stream, from, err)
	}
	defer func() {
		it.Stop()
		if info := cons.CachedInfo(); info != nil {
			// Best effort: an ordered consumer also expires on its own.
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			_ = s.js.DeleteConsumer(dctx, stream, info.Name)
			cancel()
		}
	}()
	for {
		m, err := it.Next(jetstream.NextMaxWait(readStall))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("read %s up to %d: %w", stream, last, err)
		}
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("read %s: metadata: %w", stream, err)
		}
		seq := md.Sequence.Stream
		if seq > last {
			return nil
		}
		envs, err := s.reg.DecodeMessage(stream, m.Subject(), seq, md.Timestamp, m.Headers(), m.Data())
		if err != nil {
			return err
		}
		for _, e := range envs {
			if err := fn(e); err != nil {
				return err
			}
		}
		if seq == last {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// readEnd is the last sequence a read of stream beginning now must reach:
// the leader's head, or with a filter the sequence of the last message
// matching it (0: none).
func (s *Store) readEnd(ctx context.Context, stream, filter string) (uint64, error) {
	if filter == "" {
		return s.StreamHead(ctx, stream)
	}
	m, ok, err := s.leaderGet(ctx, stream, msgGetReq{LastFor: filter, NoHeader: true})
	if err != nil {
		return 0, fmt.Errorf("read %s: last of %s: %w", stream, filter, err)
	}
	if !ok {
		return 0, nil
	}
	return m.Sequence, nil
}

const (
	readBatch = 1000
	// readStall bounds the wait for the next message of a read whose
	// messages are all stored already.
	readStall = 10 * time.Second
)

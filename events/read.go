package events

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamHead returns the last sequence of a stream (0 when empty).
func (s *Store) StreamHead(ctx context.Context, stream string) (uint64, error) {
	st, err := s.js.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("stream %s: %w", stream, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream %s info: %w", stream, err)
	}
	return info.State.LastSeq, nil
}

// ReadStream calls fn with every event of stream from position from
// (inclusive) up to the head as it stood when the read began, optionally
// restricted to subjects matching filter. It uses one ordered consumer for
// the whole read (from the stream leader, so nothing acknowledged before the
// read began is missed) and deletes it at the end. An error from fn ends the
// read and is returned as is.
func (s *Store) ReadStream(ctx context.Context, stream string, from uint64, filter string, fn func(Envelope) error) error {
	head, err := s.StreamHead(ctx, stream)
	if err != nil {
		return err
	}
	if from == 0 {
		from = 1
	}
	if head < from {
		return nil
	}
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: from,
		InactiveThreshold: 30 * time.Second}
	if filter != "" {
		cfg.FilterSubjects = []string{filter}
	}
	cons, err := s.js.OrderedConsumer(ctx, stream, cfg)
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
	if info := cons.CachedInfo(); info != nil && info.NumPending == 0 {
		return nil // the filter matches nothing from `from` on
	}
	for {
		m, err := it.Next(jetstream.NextMaxWait(readStall))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("read %s: %w", stream, err)
		}
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("read %s: metadata: %w", stream, err)
		}
		if md.Sequence.Stream > head {
			return nil
		}
		envs, err := s.reg.DecodeMessage(stream, m.Subject(), md.Sequence.Stream, md.Timestamp, m.Headers(), m.Data())
		if err != nil {
			return err
		}
		for _, e := range envs {
			if err := fn(e); err != nil {
				return err
			}
		}
		if md.Sequence.Stream >= head || md.NumPending == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

const (
	readBatch = 1000
	// readStall bounds the wait for the next message of a read whose
	// messages are all stored already.
	readStall = 10 * time.Second
)

package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"

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
// the whole read.
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
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: from}
	if filter != "" {
		cfg.FilterSubjects = []string{filter}
	}
	cons, err := s.js.OrderedConsumer(ctx, stream, cfg)
	if err != nil {
		return fmt.Errorf("read %s from %d: %w", stream, from, err)
	}
	for {
		batch, err := cons.Fetch(1000, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			return fmt.Errorf("read %s: %w", stream, err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			md, err := m.Metadata()
			if err != nil {
				return fmt.Errorf("read %s: metadata: %w", stream, err)
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
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			return fmt.Errorf("read %s: %w", stream, err)
		}
		if n == 0 {
			return ctx.Err() // nothing more to read
		}
	}
}

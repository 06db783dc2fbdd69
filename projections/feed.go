package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/events"
)

// message is one stored message, decoded: a batch never splits one.
type message struct {
	stream   string
	seq      uint64
	pending  uint64 // messages after this one in the stream when it was delivered
	recorded time.Time
	envs     []events.Envelope
}

// feed reads stream from position from with one ordered consumer (created
// here, once, not per batch), decodes each message and sends it to out. It
// stops after sequence until (0: never) or when ctx ends; it returns nil
// then, and an error when reading or decoding fails.
func feed(ctx context.Context, js jetstream.JetStream, reg *events.Registry, stream string, from, until uint64, pull int, out chan<- message) error {
	if from == 0 {
		from = 1
	}
	if until != 0 && from > until {
		return nil
	}
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   from,
		// A stopped run leaves its consumer behind; let the server drop it soon.
		InactiveThreshold: 30 * time.Second,
	})
	if err != nil {
		return fmt.Errorf("consumer on %s from %d: %w", stream, from, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(pull))
	if err != nil {
		return fmt.Errorf("read %s from %d: %w", stream, from, err)
	}
	defer it.Stop()
	for {
		m, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("read %s: %w", stream, err)
		}
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("read %s: metadata: %w", stream, err)
		}
		envs, err := reg.DecodeMessage(stream, m.Subject(), md.Sequence.Stream, md.Timestamp, m.Headers(), m.Data())
		if err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		msg := message{stream: stream, seq: md.Sequence.Stream, pending: md.NumPending, recorded: md.Timestamp, envs: envs}
		select {
		case out <- msg:
		case <-ctx.Done():
			return nil
		}
		if until != 0 && msg.seq >= until {
			return nil
		}
	}
}

// errFeedDone tells collect that every feeder finished (bounded reads).
var errFeedDone = errors.New("feed finished")

// collect gathers the next batch: it waits for a first message, then takes
// more until the batch holds max events or linger passes without a full
// batch. During catch-up the channel is never empty, so batches fill at once.
func collect(ctx context.Context, in <-chan message, max int, linger time.Duration) ([]message, error) {
	var batch []message
	select {
	case m, ok := <-in:
		if !ok {
			return nil, errFeedDone
		}
		batch = append(batch, m)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	n := len(batch[0].envs)
	var timer <-chan time.Time
	for n < max {
		select {
		case m, ok := <-in:
			if !ok {
				return batch, nil
			}
			batch = append(batch, m)
			n += len(m.envs)
			continue
		default:
		}
		if timer == nil {
			t := time.NewTimer(linger)
			defer t.Stop()
			timer = t.C
		}
		select {
		case m, ok := <-in:
			if !ok {
				return batch, nil
			}
			batch = append(batch, m)
			n += len(m.envs)
		case <-timer:
			return batch, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return batch, nil
}

// flatten returns a batch's events in order and the last sequence per stream.
func flatten(batch []message) ([]events.Envelope, map[string]uint64, map[string]int) {
	n := 0
	for _, m := range batch {
		n += len(m.envs)
	}
	envs := make([]events.Envelope, 0, n)
	last := map[string]uint64{}
	counts := map[string]int{}
	for _, m := range batch {
		envs = append(envs, m.envs...)
		last[m.stream] = m.seq
		counts[m.stream] += len(m.envs)
	}
	return envs, last, counts
}

package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
)

const directGetBatch = 512

// Load reads every event of one aggregate subject and returns them with the
// aggregate's version: the stream sequence of its last event (0 if none).
// It uses batched direct gets filtered on the subject, so no consumer is
// created per load.
func (s *Store) Load(ctx context.Context, subject string) ([]Envelope, uint64, error) {
	return s.LoadFrom(ctx, subject, 1)
}

// LoadFrom is Load starting at stream sequence from (for snapshots/as-of reads
// the caller passes the position after its last known one).
func (s *Store) LoadFrom(ctx context.Context, subject string, from uint64) ([]Envelope, uint64, error) {
	var out []Envelope
	version, err := s.scanSubject(ctx, subject, from, 0, func(seq uint64, ts time.Time, h nats.Header, data []byte) error {
		envs, err := s.reg.DecodeMessage(StreamOf(subject), subject, seq, ts, h, data)
		if err != nil {
			return err
		}
		out = append(out, envs...)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("load %s: %w", subject, err)
	}
	return out, version, nil
}

// LoadUpTo is Load limited to events at or before stream sequence upTo:
// the state of an aggregate as of a past position.
func (s *Store) LoadUpTo(ctx context.Context, subject string, upTo uint64) ([]Envelope, uint64, error) {
	var out []Envelope
	version, err := s.scanSubject(ctx, subject, 1, upTo, func(seq uint64, ts time.Time, h nats.Header, data []byte) error {
		envs, err := s.reg.DecodeMessage(StreamOf(subject), subject, seq, ts, h, data)
		if err != nil {
			return err
		}
		out = append(out, envs...)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("load %s up to %d: %w", subject, upTo, err)
	}
	return out, version, nil
}

type directGetReq struct {
	Seq     uint64 `json:"seq"`
	NextFor string `json:"next_by_subj"`
	Batch   int    `json:"batch"`
	UpToSeq uint64 `json:"up_to_seq,omitempty"`
}

// scanSubject walks a subject with batched direct gets and returns the
// sequence of the last message seen.
func (s *Store) scanSubject(ctx context.Context, subject string, from, upTo uint64, fn func(uint64, time.Time, nats.Header, []byte) error) (uint64, error) {
	stream := StreamOf(subject)
	inbox := s.nc.NewRespInbox()
	sub, err := s.nc.SubscribeSync(inbox)
	if err != nil {
		return 0, err
	}
	defer sub.Unsubscribe() //nolint:errcheck
	var last uint64
	if from == 0 {
		from = 1
	}
	for attempt := 0; ; {
		req, _ := json.Marshal(directGetReq{Seq: from, NextFor: subject, Batch: directGetBatch, UpToSeq: upTo})
		if err := s.nc.PublishRequest("$JS.API.DIRECT.GET."+stream, inbox, req); err != nil {
			return 0, err
		}
		more, retry, err := s.drainBatch(ctx, sub, &last, fn)
		if err != nil {
			if retry && attempt < 20 {
				attempt++
				time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
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

// drainBatch reads the answers to one batched direct get up to its
// end-of-batch marker. more is true when the server stopped early (size cap).
func (s *Store) drainBatch(ctx context.Context, sub *nats.Subscription, last *uint64, fn func(uint64, time.Time, nats.Header, []byte) error) (more, retry bool, err error) {
	for {
		wait, cancel := context.WithTimeout(ctx, 5*time.Second)
		m, err := sub.NextMsgWithContext(wait)
		cancel()
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				return false, true, fmt.Errorf("direct get: %w", nats.ErrTimeout)
			}
			return false, false, err
		}
		switch m.Header.Get("Status") {
		case "":
		case "404":
			return false, false, nil
		case "204": // end of batch
			np, _ := strconv.ParseUint(m.Header.Get("Nats-Num-Pending"), 10, 64)
			return np > 0, false, nil
		case "503":
			return false, true, fmt.Errorf("direct get: %w", nats.ErrNoResponders)
		default:
			return false, false, fmt.Errorf("direct get: status %s %s", m.Header.Get("Status"), m.Header.Get("Description"))
		}
		seq, err := strconv.ParseUint(m.Header.Get("Nats-Sequence"), 10, 64)
		if err != nil {
			return false, false, fmt.Errorf("direct get: bad sequence header: %w", err)
		}
		ts, _ := time.Parse(time.RFC3339Nano, m.Header.Get("Nats-Time-Stamp"))
		if err := fn(seq, ts, m.Header, m.Data); err != nil {
			return false, false, err
		}
		*last = seq
	}
}

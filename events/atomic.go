package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// AppendAtomic stores commits on several subjects of one stream so that all
// land or none does (JetStream atomic batch publish), each with its own
// optimistic-concurrency check. It serves the rare command that changes two
// aggregates at once, e.g. renumbering a person (old and new NRP).
func (s *Store) AppendAtomic(ctx context.Context, meta Meta, commits []Commit) ([]Appended, error) {
	if len(commits) == 0 {
		return nil, nil
	}
	if len(commits) == 1 {
		a, err := s.Append(ctx, meta, commits[0])
		return []Appended{a}, err
	}
	if meta.CommandID == "" {
		// One command id for every commit, so retries derive the same event ids.
		meta.CommandID = uuid.Must(uuid.NewV7()).String()
	}
	if meta.OccurredAt.IsZero() {
		meta.OccurredAt = s.now() // one business time for the whole command
	}
	seen := make(map[string]bool, len(commits))
	stream := StreamOf(commits[0].Subject)
	msgs := make([]*nats.Msg, len(commits))
	out := make([]Appended, len(commits))
	for i, c := range commits {
		if StreamOf(c.Subject) != stream {
			return nil, fmt.Errorf("atomic append across streams %s and %s", stream, StreamOf(c.Subject))
		}
		if seen[c.Subject] {
			// Two checks on one subject in a batch cannot both hold; one
			// commit carries all the events of an aggregate.
			return nil, fmt.Errorf("atomic append: two commits on %s", c.Subject)
		}
		seen[c.Subject] = true
		m, ids, types, err := s.buildMsg(c, meta)
		if err != nil {
			return nil, fmt.Errorf("append %s: %w", c.Subject, err)
		}
		msgs[i] = m
		out[i] = Appended{Subject: c.Subject, Stream: stream, EventIDs: ids, Types: types}
	}
	var ackSeq uint64
	err := s.retry(ctx, func(ctx context.Context) error {
		var err error
		ackSeq, err = s.publishBatch(ctx, msgs)
		return err
	})
	if errors.Is(err, ErrConflict) || isAPIError(err, codeBatchHoldsDuplicate) {
		// The batch may have landed before (its ack was lost, or the
		// command is retried): then every commit is already stored.
		if prev, ok := s.findStoredBatch(ctx, commits, msgs); ok {
			return prev, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("atomic append: %w", err)
	}
	// An atomic batch occupies consecutive sequences ending at the ack's.
	first := ackSeq - uint64(len(msgs)-1)
	for i := range out {
		out[i].Sequence = first + uint64(i)
		s.cache.appended(commits[i].Subject, commits[i].Expected, out[i].Sequence)
	}
	return out, nil
}

// publishBatch sends msgs as one atomic batch under a fresh batch id and
// returns the sequence of the last one. Server refusals come back as
// *jetstream.APIError for classify.
func (s *Store) publishBatch(ctx context.Context, msgs []*nats.Msg) (uint64, error) {
	batchID := nuid.Next()
	for i, m := range msgs {
		m.Header.Set("Nats-Batch-Id", batchID)
		m.Header.Set("Nats-Batch-Sequence", strconv.Itoa(i+1))
	}
	last := msgs[len(msgs)-1]
	last.Header.Set("Nats-Batch-Commit", "1")
	for _, m := range msgs[:len(msgs)-1] {
		if err := s.nc.PublishMsg(m); err != nil {
			return 0, fmt.Errorf("publish %s: %w", m.Subject, err)
		}
	}
	resp, err := s.nc.RequestMsgWithContext(ctx, last)
	if err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	var ack struct {
		Stream string              `json:"stream"`
		Seq    uint64              `json:"seq"`
		Error  *jetstream.APIError `json:"error"`
	}
	if err := json.Unmarshal(resp.Data, &ack); err != nil {
		return 0, fmt.Errorf("ack: %w", err)
	}
	if ack.Error != nil {
		return 0, ack.Error
	}
	if ack.Seq < uint64(len(msgs)) {
		return 0, fmt.Errorf("ack: sequence %d cannot end a batch of %d", ack.Seq, len(msgs))
	}
	return ack.Seq, nil
}

// findStoredBatch reports the commits as duplicates when every one of them
// is already on its subject after its expected version.
func (s *Store) findStoredBatch(ctx context.Context, commits []Commit, msgs []*nats.Msg) ([]Appended, bool) {
	out := make([]Appended, len(commits))
	for i, c := range commits {
		a, ok, err := s.findStored(ctx, c.Subject, c.Expected, msgs[i].Header.Get(jetstream.MsgIDHeader))
		if err != nil {
			s.log.Warn("look for an earlier batch failed", "subject", c.Subject, "err", err)
			return nil, false
		}
		if !ok {
			return nil, false
		}
		out[i] = a
	}
	return out, true
}

func isAPIError(err error, code jetstream.ErrorCode) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == code
}

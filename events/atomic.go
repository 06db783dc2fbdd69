package events

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
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
	stream := StreamOf(commits[0].Subject)
	msgs := make([]*nats.Msg, len(commits))
	out := make([]Appended, len(commits))
	for i, c := range commits {
		if StreamOf(c.Subject) != stream {
			return nil, fmt.Errorf("atomic append across streams %s and %s", stream, StreamOf(c.Subject))
		}
		m, ids, types, err := s.buildMsg(c, meta)
		if err != nil {
			return nil, fmt.Errorf("append %s: %w", c.Subject, err)
		}
		msgs[i] = m
		out[i] = Appended{Subject: c.Subject, Stream: stream, EventIDs: ids, Types: types}
	}
	batchID := nuid.Next()
	for i, m := range msgs {
		m.Header.Set("Nats-Batch-Id", batchID)
		m.Header.Set("Nats-Batch-Sequence", strconv.Itoa(i+1))
	}
	last := msgs[len(msgs)-1]
	last.Header.Set("Nats-Batch-Commit", "1")
	for _, m := range msgs[:len(msgs)-1] {
		if err := s.nc.PublishMsg(m); err != nil {
			return nil, fmt.Errorf("atomic append %s: %w", m.Subject, err)
		}
	}
	resp, err := s.nc.RequestMsgWithContext(ctx, last)
	if err != nil {
		return nil, fmt.Errorf("atomic append commit: %w", err)
	}
	var ack struct {
		Stream string `json:"stream"`
		Seq    uint64 `json:"seq"`
		Error  *struct {
			Code        int    `json:"code"`
			ErrCode     int    `json:"err_code"`
			Description string `json:"description"`
		} `json:"error"`
	}
	if err := json.Unmarshal(resp.Data, &ack); err != nil {
		return nil, fmt.Errorf("atomic append ack: %w", err)
	}
	if ack.Error != nil {
		if ack.Error.ErrCode == 10071 || ack.Error.ErrCode == 10164 {
			return nil, fmt.Errorf("atomic append: %w: %s", ErrConflict, ack.Error.Description)
		}
		return nil, fmt.Errorf("atomic append: %s (%d)", ack.Error.Description, ack.Error.ErrCode)
	}
	// An atomic batch occupies consecutive sequences ending at the ack's.
	first := ack.Seq - uint64(len(msgs)-1)
	for i := range out {
		out[i].Sequence = first + uint64(i)
	}
	return out, nil
}

package events

import (
	"context"
	"fmt"
)

// EventAt returns the event at stream position seq (index idx inside a
// message that carried several), read from the stream leader: the audit
// API finds positions in its index and reads the bodies here.
func (s *Store) EventAt(ctx context.Context, stream string, seq uint64, idx int) (Envelope, error) {
	m, h, err := s.leaderMsgAt(ctx, stream, seq)
	if err != nil {
		return Envelope{}, err
	}
	envs, err := s.reg.DecodeMessage(stream, m.Subject, m.Sequence, m.Time, h, m.Data)
	if err != nil {
		return Envelope{}, err
	}
	if idx < 0 || idx >= len(envs) {
		return Envelope{}, fmt.Errorf("event %s/%d#%d: message holds %d event(s)", stream, seq, idx, len(envs))
	}
	return envs[idx], nil
}

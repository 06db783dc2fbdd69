package inbound

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Menu session lifetimes (spec/ops.md §3.6). A session expires this long
// after it was last set; reading it does not extend it.
const (
	ttlMenu   = 5 * time.Minute // oprrequest, dirrequest, … and the user menu
	ttlBind   = 2 * time.Minute // the NRP binding flow
	ttlPrompt = 2 * time.Minute // option prompts, the profile-link choice
)

// Menus a chat can be in.
const (
	menuUser = "user" // userrequest after the number is known
	menuBind = "bind" // userrequest binding a number to an NRP
	menuLink = "link" // the profile-link username choice
)

// state is one chat's menu session on one WhatsApp session.
type state struct {
	Menu     string   `json:"menu"`
	Step     string   `json:"step"`
	NRP      string   `json:"nrp,omitempty"`
	Field    string   `json:"field,omitempty"`
	Platform string   `json:"platform,omitempty"`
	Handle   string   `json:"handle,omitempty"`
	Options  []string `json:"options,omitempty"`
	// ClientID is the client a menu works on; Draft collects a new
	// user's fields; Action is the report waiting for its period.
	ClientID string            `json:"client_id,omitempty"`
	Draft    map[string]string `json:"draft,omitempty"`
	Action   int               `json:"action,omitempty"`
}

// sessions keeps menu state and handled message ids in Redis.
type sessions struct {
	rdb    *redis.Client
	prefix string
}

func (s *sessions) key(session, chat string) string {
	return s.prefix + "session:" + session + ":" + chat
}

// get returns the chat's session; ok is false when there is none (or it
// expired).
func (s *sessions) get(ctx context.Context, session, chat string) (state, bool, error) {
	raw, err := s.rdb.Get(ctx, s.key(session, chat)).Bytes()
	if errors.Is(err, redis.Nil) {
		return state{}, false, nil
	}
	if err != nil {
		return state{}, false, fmt.Errorf("get session: %w", err)
	}
	var st state
	if err := json.Unmarshal(raw, &st); err != nil {
		// A session written by another version: start over.
		return state{}, false, nil
	}
	return st, true, nil
}

// set stores the chat's session for ttl from now.
func (s *sessions) set(ctx context.Context, session, chat string, st state, ttl time.Duration) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("set session: %w", err)
	}
	if err := s.rdb.Set(ctx, s.key(session, chat), raw, ttl).Err(); err != nil {
		return fmt.Errorf("set session: %w", err)
	}
	return nil
}

// end closes the chat's session.
func (s *sessions) end(ctx context.Context, session, chat string) error {
	if err := s.rdb.Del(ctx, s.key(session, chat)).Err(); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// claim marks a message id as being handled for hold; false when it was
// handled (or is being handled) already.
func (s *sessions) claim(ctx context.Context, key string, hold time.Duration) (bool, error) {
	return s.rdb.SetNX(ctx, s.prefix+key, "handling", hold).Result()
}

// markDone remembers a handled message id for ttl.
func (s *sessions) markDone(ctx context.Context, key string, ttl time.Duration) error {
	return s.rdb.Set(ctx, s.prefix+key, "done", ttl).Err()
}

// release forgets a claim whose handling failed.
func (s *sessions) release(ctx context.Context, key string) error {
	return s.rdb.Del(ctx, s.prefix+key).Err()
}

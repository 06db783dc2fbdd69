package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// tokenKeyPrefix names the session key of a token (spec/access.md §2.1).
const tokenKeyPrefix = "login_token:"

// Session is what Redis knows about a live token.
type Session struct {
	Kind Kind
	ID   string
}

// ErrNoSession means the token has no live session: logged out, revoked by a
// password reset, expired in Redis, or never issued by us.
var ErrNoSession = errors.New("auth: no session for token")

// Sessions is the Redis session registry: `login_token:<jwt>` =
// `<kind>:<id>` with the token's TTL, plus one set per actor listing its
// tokens. Unlike the old system the actor sets expire too (their TTL is
// pushed forward on every login, so a set outlives every token in it).
type Sessions struct {
	rdb redis.Cmdable
	ttl time.Duration
}

// NewSessions builds the registry; ttl <= 0 means DefaultTTL.
func NewSessions(rdb redis.Cmdable, ttl time.Duration) *Sessions {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &Sessions{rdb: rdb, ttl: ttl}
}

// Create records a session for token in one MULTI, so a token is never live
// without being listed under its actor.
func (s *Sessions) Create(ctx context.Context, token string, k Kind, id string) error {
	if !k.Valid() || id == "" {
		return fmt.Errorf("create session: bad actor %q/%q", k, id)
	}
	set := actorSetKey(k, id)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, tokenKeyPrefix+token, sessionValue(k, id), s.ttl)
		p.SAdd(ctx, set, token)
		p.Expire(ctx, set, s.ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("create session %s: %w", k, err)
	}
	return nil
}

// Lookup returns the session of token, or ErrNoSession.
func (s *Sessions) Lookup(ctx context.Context, token string) (Session, error) {
	v, err := s.rdb.Get(ctx, tokenKeyPrefix+token).Result()
	if errors.Is(err, redis.Nil) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("lookup session: %w", err)
	}
	k, id, ok := parseSessionValue(v)
	if !ok {
		return Session{}, ErrNoSession
	}
	return Session{Kind: k, ID: id}, nil
}

// Revoke ends one token's session (logout). Revoking an unknown token is not
// an error.
func (s *Sessions) Revoke(ctx context.Context, token string) error {
	if token == "" || len(token) > maxTokenLen {
		return nil
	}
	sess, err := s.Lookup(ctx, token)
	if errors.Is(err, ErrNoSession) {
		return s.rdb.Del(ctx, tokenKeyPrefix+token).Err()
	}
	if err != nil {
		return err
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, tokenKeyPrefix+token)
		p.SRem(ctx, actorSetKey(sess.Kind, sess.ID), token)
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

// RevokeActor ends every session of one actor (password reset, deactivation)
// and returns how many tokens it listed. A login racing with it keeps its
// new session: only the members read here are removed.
func (s *Sessions) RevokeActor(ctx context.Context, k Kind, id string) (int, error) {
	set := actorSetKey(k, id)
	tokens, err := s.rdb.SMembers(ctx, set).Result()
	if err != nil {
		return 0, fmt.Errorf("list sessions of %s: %w", k, err)
	}
	if len(tokens) == 0 {
		return 0, nil
	}
	members := make([]any, len(tokens))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, t := range tokens {
			p.Del(ctx, tokenKeyPrefix+t)
			members[i] = t
		}
		p.SRem(ctx, set, members...)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("revoke sessions of %s: %w", k, err)
	}
	return len(tokens), nil
}

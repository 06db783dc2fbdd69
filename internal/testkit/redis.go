package testkit

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisURL is the Redis the tests use (CICERO_TEST_REDIS or the local one).
func RedisURL() string {
	if u := os.Getenv("CICERO_TEST_REDIS"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// NewRedis connects to the test Redis. Tests use unique key prefixes rather
// than flushing, so packages may run in parallel.
func NewRedis(tb testing.TB) *redis.Client {
	tb.Helper()
	opt, err := redis.ParseURL(RedisURL())
	if err != nil {
		tb.Fatalf("parse redis url: %v", err)
	}
	c := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		tb.Fatalf("redis ping: %v (is Redis running? `make services`)", err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

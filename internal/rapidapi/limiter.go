package rapidapi

import "context"

// Concurrency the old system used around each call site (p-limit), kept so
// our request rate against the paid RapidAPI plan stays what it was.
const (
	InstagramPostsConcurrency    = 6 // client post fetches
	InstagramLikesConcurrency    = 3 // like fetches within one client batch
	InstagramCommentsConcurrency = 3 // comment fetches within one client batch
	TikTokCommentsConcurrency    = 3 // comment fetches across videos
)

// Limiter is a counting semaphore: at most n holders at once.
type Limiter struct{ slots chan struct{} }

// NewLimiter returns a Limiter for n concurrent holders (n < 1 means 1).
func NewLimiter(n int) *Limiter {
	if n < 1 {
		n = 1
	}
	return &Limiter{slots: make(chan struct{}, n)}
}

// Acquire waits for a slot or for ctx to end.
func (l *Limiter) Acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Release frees a slot taken by Acquire.
func (l *Limiter) Release() { <-l.slots }

// Do runs fn holding a slot.
func (l *Limiter) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	if err := l.Acquire(ctx); err != nil {
		return err
	}
	defer l.Release()
	return fn(ctx)
}

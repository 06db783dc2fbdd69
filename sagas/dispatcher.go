package sagas

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
)

// Sender delivers messages on one channel (the WhatsApp and email adapters).
type Sender interface {
	// Send delivers m and returns the provider's id for it. idempotencyKey is
	// the same for every attempt at one outbox row; an adapter hands it to
	// the peer (as the WhatsApp message id, the email Message-ID) so that a
	// repeat after a crash can be recognised there. An error wrapped with
	// Permanent is not retried; any other error is, up to MaxAttempts.
	// Errors must not quote the recipient: they are logged.
	Send(ctx context.Context, m Message, idempotencyKey string) (providerID string, err error)
}

// ErrPermanent marks a failure that retrying cannot fix (unknown number,
// rejected address).
var ErrPermanent = errors.New("permanent delivery failure")

// ErrExpired is the failure of a message whose NotAfter passed before it
// could be sent.
var ErrExpired = errors.New("not sent: its time passed")

// Permanent wraps err so the dispatcher records the failure at once.
func Permanent(err error) error { return fmt.Errorf("%w: %w", ErrPermanent, err) }

// DispatcherOptions tune a Dispatcher; zero values take the defaults.
type DispatcherOptions struct {
	// Lease is how long a claimed row belongs to its dispatcher before
	// another may take it over (default 2m).
	Lease time.Duration
	// SendTimeout bounds one Send (default 30s); it must be well under
	// Lease so a live dispatcher finishes its row before the lease ends.
	SendTimeout time.Duration
	// MaxAttempts before a retryable failure becomes MessageFailed (default 8).
	MaxAttempts int
	// Backoff is the wait before attempt n+1 after attempt n failed
	// (default 5s·2^(n-1), at most 30m).
	Backoff func(attempt int) time.Duration
	// PollInterval is the wait after finding nothing due (default 1s).
	PollInterval time.Duration
	// Concurrency is the number of rows sent at once per channel (default
	// 1). WhatsApp keeps 1: its sends are serialised per client session.
	Concurrency map[string]int
	// Open opens the sealed secret of a message (Content.Sealed) just before
	// it is sent (seal.Box.Open). Nil: a message with a secret fails.
	Open func(sealed string) (string, error)
	// Now stamps the outcome events' business time (default time.Now).
	// Leases and backoff use the database clock instead, which every
	// instance shares.
	Now func() time.Time
}

func (o *DispatcherOptions) defaults() error {
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.SendTimeout <= 0 {
		o.SendTimeout = 30 * time.Second
	}
	if o.SendTimeout >= o.Lease {
		return fmt.Errorf("dispatcher: send timeout %s must be shorter than the lease %s", o.SendTimeout, o.Lease)
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Backoff == nil {
		o.Backoff = func(n int) time.Duration {
			return min(5*time.Second<<min(n-1, 20), 30*time.Minute)
		}
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// bookkeepingTimeout bounds the writes after a send. They ignore shutdown,
// but a store or database that hangs must not hang the process: the row then
// stays 'sending' and its lease hands it to recovery.
const bookkeepingTimeout = 30 * time.Second

// Dispatcher drains the outbox: it claims due rows, sends them through the
// channel's Sender and records each final outcome as a MessageDelivered or
// MessageFailed event on events.DeliverySubject(row id), appended with
// expected version 0 so a row has at most one outcome. Any number of
// dispatchers may run against one outbox; SKIP LOCKED keeps them on
// different rows.
//
// Delivery is at least once, and exactly once outside one window: between
// the peer accepting a message and its outcome event being appended. A crash
// there (or a store or database that stays unreachable for the bookkeeping
// timeout, or a dispatcher stalled past its lease) leaves the row 'sending'
// with no outcome; when its lease ends the next dispatcher finds no outcome
// and sends again, with the same idempotency key, so a peer that honours the
// key (WhatsApp message ids) drops the copy and one that does not (SMTP) may
// deliver it twice. A shutdown that cuts a Send short so that it returns an
// error is taken as "not sent" and the row is retried later with the same
// key: an adapter that cannot tell must rely on the key too. Everywhere
// else nothing repeats: a Send that returned is recorded even during a
// shutdown, and a recovered row whose outcome is in the store is finished
// without sending.
type Dispatcher struct {
	outbox  outbox
	store   *events.Store
	senders map[string]Sender
	log     *slog.Logger
	opts    DispatcherOptions

	// crashAt, set by tests, simulates the process dying at a point of the
	// dispatch: the worker abandons the row as it is and Run stops.
	crashAt func(point string, r outboxRow) bool
}

// errCrash is what Run returns after a simulated crash.
var errCrash = errors.New("simulated crash")

// NewDispatcher builds a dispatcher for the channels that senders names.
func NewDispatcher(pool *pgxpool.Pool, store *events.Store, senders map[string]Sender, log *slog.Logger, opts DispatcherOptions) (*Dispatcher, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	if len(senders) == 0 {
		return nil, errors.New("dispatcher: no senders")
	}
	return &Dispatcher{outbox: outbox{pool: pool}, store: store, senders: senders, log: log, opts: opts}, nil
}

// Run dispatches until ctx ends, then waits for the rows in hand: a send
// under way is cancelled through its context, but what it did is still
// recorded. It returns nil after a shutdown.
func (d *Dispatcher) Run(ctx context.Context) error {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	var wg sync.WaitGroup
	for channel, sender := range d.senders {
		n := max(d.opts.Concurrency[channel], 1)
		for range n {
			wg.Go(func() { d.work(ctx, stop, channel, sender) })
		}
	}
	wg.Wait()
	if err := context.Cause(ctx); errors.Is(err, errCrash) {
		return err
	}
	return nil
}

// work is one worker of a channel: claim, dispatch, repeat; idle or after an
// error it waits a poll interval.
func (d *Dispatcher) work(ctx context.Context, stop context.CancelCauseFunc, channel string, sender Sender) {
	for ctx.Err() == nil {
		worked, err := d.dispatchOne(ctx, channel, sender)
		if errors.Is(err, errCrash) {
			stop(errCrash)
			return
		}
		if err != nil {
			d.log.Error("dispatch", "channel", channel, "err", err)
		}
		if worked && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(d.opts.PollInterval):
		}
	}
}

func (d *Dispatcher) crash(point string, r outboxRow) bool {
	return d.crashAt != nil && d.crashAt(point, r)
}

// dispatchOne claims one due row and takes it to its next state. worked is
// false when nothing was due.
func (d *Dispatcher) dispatchOne(ctx context.Context, channel string, sender Sender) (worked bool, err error) {
	// The claim commits on its own, so it must not be cut off half way by a
	// shutdown: once claimed, a row is either handled or released.
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()
	r, ok, err := d.outbox.claim(bg, channel, d.opts.Lease)
	if err != nil || !ok {
		return false, err
	}
	if d.crash("claimed", r) {
		return true, errCrash
	}
	if r.Recovering {
		done, err := d.recover(bg, r)
		if err != nil || done {
			return true, err
		}
	}
	if ctx.Err() != nil {
		return true, d.outbox.release(bg, r)
	}
	if r.Attempts > d.opts.MaxAttempts {
		// Only repeated lease expiries get here (a dispatcher dying on this
		// row each time); stop trying rather than loop forever.
		return true, d.record(bg, r, "", fmt.Errorf("gave up after %d claims without an answer", r.Attempts-1))
	}
	msg := r.message()
	if na := msg.Content.NotAfter; na != nil && d.opts.Now().After(*na) {
		return true, d.record(bg, r, "", Permanent(fmt.Errorf("%w (due by %s)", ErrExpired, na.UTC().Format(time.RFC3339))))
	}
	if msg.Content, err = msg.Content.withSecret(d.opts.Open); err != nil {
		// A secret this process cannot open (the key changed) never will be.
		return true, d.record(bg, r, "", Permanent(err))
	}
	sendCtx, cancelSend := context.WithTimeout(ctx, d.opts.SendTimeout)
	providerID, sendErr := sender.Send(sendCtx, msg, r.idempotencyKey())
	cancelSend()
	if d.crash("sent", r) {
		return true, errCrash
	}
	switch {
	case sendErr == nil:
		return true, d.record(bg, r, providerID, nil)
	case ctx.Err() != nil:
		d.log.Info("dispatch interrupted by shutdown", "outbox_id", r.ID, "err", sendErr)
		return true, d.outbox.release(bg, r)
	case errors.Is(sendErr, ErrPermanent) || r.Attempts >= d.opts.MaxAttempts:
		return true, d.record(bg, r, "", sendErr)
	default:
		wait := d.opts.Backoff(r.Attempts)
		d.log.Warn("send failed, will retry", "outbox_id", r.ID, "saga", r.Saga, "channel", r.Channel,
			"attempt", r.Attempts, "retry_in", wait, "err", sendErr)
		return true, d.outbox.retry(bg, r, wait, sendErr.Error())
	}
}

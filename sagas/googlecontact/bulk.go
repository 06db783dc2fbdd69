package googlecontact

import (
	"context"
	"fmt"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/outgoing"
)

// BulkResult counts what SaveAll did.
type BulkResult struct {
	Saved  int // numbers that are contacts now (saved by this run or before)
	Failed int // numbers Google refused for good, or not numbers at all
}

// Queue puts numbers (at most outgoing.MaxRecipients) in the outbox under
// key as messages on sagas.ChannelGoogleContact (commands/outgoing: the
// queued-messages saga writes the rows, the dispatcher's Sender saves
// them) and returns the id of the event that keys those rows — the same id
// when key was queued before.
type Queue func(ctx context.Context, meta commands.Meta, key string, numbers []string) (eventID string, err error)

// Awaiter waits for one outbox row's outcome (sagas.Deliveries).
type Awaiter interface {
	Await(ctx context.Context, eventID, recipient string) (sent bool, failure string, err error)
}

// Bulk is the admin's `savecontact` (spec/ops.md §3) over the outbox.
type Bulk struct {
	Queue Queue
	Await Awaiter
}

// SaveAll queues every number first, so the saves go on through the
// dispatcher (its retries, the saver's cache and cooldown) even when the
// caller stops waiting or the process restarts, then waits for them in
// order and counts. key names the request: the same key again queues
// nothing more and counts the same rows. An error (ctx ended, a failed
// read) comes with the counts so far.
func (b Bulk) SaveAll(ctx context.Context, meta commands.Meta, key string, numbers []string) (BulkResult, error) {
	type batch struct {
		eventID string
		numbers []string
	}
	var batches []batch
	seen := map[string]bool{}
	var part []string
	flush := func() error {
		if len(part) == 0 {
			return nil
		}
		m := meta
		m.CommandID = "" // each batch is its own command, named by its key
		id, err := b.Queue(ctx, m, fmt.Sprintf("%s/%d", key, len(batches)), part)
		if err != nil {
			return fmt.Errorf("save contacts: queue: %w", err)
		}
		batches = append(batches, batch{id, part})
		part = nil
		return nil
	}
	for _, n := range numbers {
		if n = strings.TrimSpace(n); n == "" || seen[n] { // one outbox row per number and batch
			continue
		}
		seen[n] = true
		if part = append(part, n); len(part) == outgoing.MaxRecipients {
			if err := flush(); err != nil {
				return BulkResult{}, err
			}
		}
	}
	if err := flush(); err != nil {
		return BulkResult{}, err
	}
	var r BulkResult
	for _, bt := range batches {
		for _, n := range bt.numbers {
			sent, _, err := b.Await.Await(ctx, bt.eventID, n)
			if err != nil {
				return r, fmt.Errorf("save contacts: stopped after %d: %w", r.Saved+r.Failed, err)
			}
			if sent {
				r.Saved++
			} else {
				r.Failed++
			}
		}
	}
	return r, nil
}

package sagas

import (
	"context"
	"errors"
	"fmt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// dispatcherActor is the actor of every outcome event.
const dispatcherActor = "system:dispatcher"

// record appends the row's final outcome (delivered when sendErr is nil) to
// the (saga, recipient) delivery subject and then copies it onto the row.
// If an outcome for the row's outbox key is already there — another
// dispatcher took the row over when this one's lease ran out and recorded
// first — that outcome stands.
func (d *Dispatcher) record(ctx context.Context, r outboxRow, providerID string, sendErr error) error {
	status, lastErr := StatusSent, ""
	var ev events.Payload = events.MessageDelivered{
		OutboxID: r.ID, Saga: r.Saga, EventID: r.EventID, Channel: r.Channel, Recipient: r.Recipient, ProviderID: providerID,
	}
	if sendErr != nil {
		status, lastErr = StatusFailed, sendErr.Error()
		ev = events.MessageFailed{
			OutboxID: r.ID, Saga: r.Saga, EventID: r.EventID, Channel: r.Channel, Recipient: r.Recipient, Error: lastErr, Attempts: r.Attempts,
		}
		d.log.Warn("message failed", "outbox_id", r.ID, "saga", r.Saga, "channel", r.Channel, "attempts", r.Attempts, "err", sendErr)
	}
	subject := events.DeliverySubject(r.Saga, r.Recipient)
	// The command id is the outbox key's, so a retried append carries the
	// same message id and the store drops the copy.
	meta := events.Meta{CommandID: r.idempotencyKey(), Actor: dispatcherActor, Channel: commands.ChannelSaga, CausationID: r.EventID,
		OccurredAt: d.opts.Now()}
	for attempt := 0; ; attempt++ {
		done, version, err := d.finishFromRecord(ctx, r, subject)
		if err != nil || done {
			return err
		}
		_, err = d.store.Append(ctx, meta, events.Commit{Subject: subject, AggregateID: r.Saga, Expected: version,
			Events: []events.Payload{ev}})
		if errors.Is(err, events.ErrConflict) && attempt < recordRetries {
			continue // another message to this recipient was recorded meanwhile: look again
		}
		if err != nil {
			return fmt.Errorf("record outcome of outbox row %d: %w", r.ID, err)
		}
		break
	}
	if d.crash("recorded", r) {
		return errCrash
	}
	return d.outbox.finish(ctx, r.ID, status, lastErr)
}

// recordRetries bounds how often record looks again after a conflict on the
// delivery subject (other messages to the same recipient landing between
// its read and its append).
const recordRetries = 20

// recover looks for the row's outcome in the event store and, when there is
// one, finishes the row from it without sending (done is then true).
func (d *Dispatcher) recover(ctx context.Context, r outboxRow) (done bool, err error) {
	done, _, err = d.finishFromRecord(ctx, r, events.DeliverySubject(r.Saga, r.Recipient))
	return done, err
}

// finishFromRecord reads the delivery subject and, when it holds the
// outcome of the row's outbox key, finishes the row from it (done true).
// version is the subject's version as read, for an append that follows.
func (d *Dispatcher) finishFromRecord(ctx context.Context, r outboxRow, subject string) (done bool, version uint64, err error) {
	envs, version, err := d.store.Load(ctx, subject)
	if err != nil {
		return false, 0, fmt.Errorf("look up outcome of outbox row %d: %w", r.ID, err)
	}
	for i := len(envs) - 1; i >= 0; i-- {
		env := envs[i]
		p, err := d.store.Registry().Decode(&env)
		if err != nil {
			return false, 0, fmt.Errorf("outcomes of %s: %w", subject, err)
		}
		var saga, eventID, recipient, status, lastErr string
		switch o := p.(type) {
		case *events.MessageDelivered:
			saga, eventID, recipient, status = o.Saga, o.EventID, o.Recipient, StatusSent
		case *events.MessageFailed:
			saga, eventID, recipient, status, lastErr = o.Saga, o.EventID, o.Recipient, StatusFailed, o.Error
		default:
			continue
		}
		if saga != r.Saga || eventID != r.EventID || recipient != r.Recipient {
			continue // another message to the same recipient
		}
		d.log.Info("outbox row finished from its recorded outcome", "outbox_id", r.ID, "status", status)
		return true, version, d.outbox.finish(ctx, r.ID, status, lastErr)
	}
	return false, version, nil
}

package sagas

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/cicero/cicero/events"
)

// dispatcherActor is the actor of every outcome event.
const dispatcherActor = "system:dispatcher"

// record appends the row's final outcome (delivered when sendErr is nil) and
// then copies it onto the row. If another dispatcher recorded first — it took
// the row over when this one's lease ran out — its outcome stands.
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
	_, err := d.store.Append(ctx,
		events.Meta{Actor: dispatcherActor, CausationID: r.EventID, OccurredAt: d.opts.Now()},
		events.Commit{Subject: events.DeliverySubject(r.ID), AggregateID: strconv.FormatInt(r.ID, 10), Expected: 0, Events: []events.Payload{ev}})
	if errors.Is(err, events.ErrConflict) {
		done, err := d.recover(ctx, r)
		if err == nil && !done {
			err = fmt.Errorf("outcome of outbox row %d: conflict but no outcome stored", r.ID)
		}
		return err
	}
	if err != nil {
		return fmt.Errorf("record outcome of outbox row %d: %w", r.ID, err)
	}
	if d.crash("recorded", r) {
		return errCrash
	}
	return d.outbox.finish(ctx, r.ID, status, lastErr)
}

// recover looks for the row's outcome in the event store and, when there is
// one, finishes the row from it without sending (done is then true).
func (d *Dispatcher) recover(ctx context.Context, r outboxRow) (done bool, err error) {
	envs, _, err := d.store.Load(ctx, events.DeliverySubject(r.ID))
	if err != nil {
		return false, fmt.Errorf("look up outcome of outbox row %d: %w", r.ID, err)
	}
	if len(envs) == 0 {
		return false, nil
	}
	env := envs[0]
	p, err := d.store.Registry().Decode(&env)
	if err != nil {
		return false, fmt.Errorf("outcome of outbox row %d: %w", r.ID, err)
	}
	var saga, eventID, recipient, status, lastErr string
	switch o := p.(type) {
	case *events.MessageDelivered:
		saga, eventID, recipient, status = o.Saga, o.EventID, o.Recipient, StatusSent
	case *events.MessageFailed:
		saga, eventID, recipient, status, lastErr = o.Saga, o.EventID, o.Recipient, StatusFailed, o.Error
	default:
		return false, fmt.Errorf("outcome of outbox row %d: unexpected %s", r.ID, env.Type)
	}
	if saga != r.Saga || eventID != r.EventID || recipient != r.Recipient {
		// Outbox ids were reused (the table was recreated against the same
		// event store). Sending could repeat an old message and recording is
		// impossible, so park the row for an operator.
		d.log.Error("delivery subject holds another message's outcome; row parked as failed",
			"outbox_id", r.ID, "saga", r.Saga, "subject", events.DeliverySubject(r.ID))
		return true, d.outbox.finish(ctx, r.ID, StatusFailed, "delivery subject holds another message's outcome")
	}
	d.log.Info("outbox row finished from its recorded outcome", "outbox_id", r.ID, "status", status)
	return true, d.outbox.finish(ctx, r.ID, status, lastErr)
}

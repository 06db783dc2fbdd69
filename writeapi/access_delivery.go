package writeapi

import (
	"context"
	"errors"
	"time"
)

// Deliveries tells a handler how a message its command made due went out:
// the command appends its event, the context's saga puts the message in the
// outbox, a dispatcher sends it and records the outcome. No handler sends
// anything itself. sagas.Deliveries satisfies it.
type Deliveries interface {
	// Await waits until the message event eventID made due to recipient is
	// sent (sent true) or failed for good (failure says why), or ctx ends.
	Await(ctx context.Context, eventID, recipient string) (sent bool, failure string, err error)
}

// deliveryWait bounds how long a request waits for its message, as the
// legacy inline sends were bounded: a first send and a couple of retries.
const deliveryWait = 30 * time.Second

// errNoDeliveries: a route that answers after a delivery was mounted
// without the outbox to wait on.
var errNoDeliveries = errors.New("no outbox to wait on")

// awaitDelivery waits (bounded by deliveryWait, and surviving a client
// that went away: the answer may no longer be read, but the outcome still
// decides what to undo) for the first message the outcome's first event
// made due to recipient.
func awaitDelivery(ctx context.Context, d Deliveries, eventIDs []string, recipient string) (bool, string, error) {
	if d == nil {
		return false, "", errNoDeliveries
	}
	if len(eventIDs) == 0 {
		return false, "", errors.New("no event to wait for")
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deliveryWait)
	defer cancel()
	return d.Await(wctx, eventIDs[0], recipient)
}

package events

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Contexts are the bounded contexts; each has one stream named after it whose
// subjects start with its lower-cased name.
var Contexts = []string{"DIRECTORY", "SOCIAL", "ACCESS", "PREMIUM", "EDITORIAL", "AMPLIFY", "COMPLAINT", "MESSAGING"}

// StreamOptions are the operator's choices for every event stream.
type StreamOptions struct {
	Replicas          int
	DuplicateWindow   time.Duration
	MaxMsgsPerSubject int64 // -1 = unlimited (the default for event streams)
}

// StreamConfig is the configuration of the event stream for one context:
// history is forever, nothing may be deleted, purged or rolled up.
func StreamConfig(name string, o StreamOptions) jetstream.StreamConfig {
	replicas := o.Replicas
	if replicas <= 0 {
		replicas = 1
	}
	dup := o.DuplicateWindow
	if dup <= 0 {
		dup = 2 * time.Minute
	}
	return jetstream.StreamConfig{
		Name:               name,
		Subjects:           []string{strings.ToLower(name) + ".>"},
		Storage:            jetstream.FileStorage,
		Retention:          jetstream.LimitsPolicy,
		MaxAge:             0,
		MaxMsgs:            -1,
		MaxBytes:           -1,
		MaxMsgsPerSubject:  -1,
		Discard:            jetstream.DiscardOld,
		Replicas:           replicas,
		Duplicates:         dup,
		DenyDelete:         true,
		DenyPurge:          true,
		AllowRollup:        false,
		AllowDirect:        true,
		AllowAtomicPublish: true,
	}
}

// Provision creates or updates the stream of every context.
func Provision(ctx context.Context, js jetstream.JetStream, o StreamOptions) error {
	for _, name := range Contexts {
		cfg := StreamConfig(name, o)
		_, err := js.CreateOrUpdateStream(ctx, cfg)
		if err != nil {
			var apiErr *jetstream.APIError
			if errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamNameInUse {
				continue
			}
			return fmt.Errorf("provision stream %s: %w", name, err)
		}
	}
	return nil
}

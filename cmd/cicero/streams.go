package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/config"
)

// streamOptions are the stream settings the environment chooses.
func streamOptions(cfg config.Config) events.StreamOptions {
	return events.StreamOptions{Replicas: cfg.NATSReplicas, DuplicateWindow: cfg.NATSDupWindow}
}

// settingOf names the variable that chooses a stream field, "" when Cicero
// fixes it.
var settingOf = map[string]string{
	"num_replicas":     "NATS_REPLICAS",
	"duplicate_window": "NATS_DUPLICATE_WINDOW",
}

// singleNode refuses replicas the embedded server cannot hold, before the
// server's own less helpful answer.
func singleNode(cfg config.Config) error {
	if cfg.NATSURL == "" && cfg.NATSReplicas > 1 {
		return fmt.Errorf("NATS_REPLICAS=%d needs a NATS cluster (NATS_URL): the embedded server is a single node", cfg.NATSReplicas)
	}
	return nil
}

// ensureStreams runs at every start: it creates missing streams and refuses
// to start when existing ones differ, telling the operator how to resolve it.
func ensureStreams(ctx context.Context, js jetstream.JetStream, cfg config.Config, log *slog.Logger) error {
	if err := singleNode(cfg); err != nil {
		return err
	}
	created, err := events.EnsureStreams(ctx, js, streamOptions(cfg))
	if len(created) > 0 {
		log.Info("created event streams", "streams", created, "replicas", cfg.NATSReplicas, "duplicate_window", cfg.NATSDupWindow.String())
	}
	var drift *events.DriftError
	if errors.As(err, &drift) {
		return fmt.Errorf("%w\n%s", err, driftAdvice(drift))
	}
	if err != nil {
		return fmt.Errorf("event streams: %w", err)
	}
	return nil
}

// driftAdvice says how to resolve a drift: apply the configuration, or, for
// settings the environment chooses, set it to what every stream already has.
func driftAdvice(drift *events.DriftError) string {
	var b strings.Builder
	b.WriteString("to change the streams to this configuration, run `cicero migrate --streams` with the same environment (it prints every change)")
	for _, d := range drift.Diffs {
		if d.Fixed != "" {
			b.WriteString("\nthe differences marked as ones JetStream cannot change need the stream recreated with its history copied; migrate --streams refuses them")
			break
		}
	}
	haves := map[string]map[string]bool{}
	for _, d := range drift.Diffs {
		if settingOf[d.Field] == "" {
			continue
		}
		if haves[d.Field] == nil {
			haves[d.Field] = map[string]bool{}
		}
		haves[d.Field][d.Have] = true
	}
	for _, field := range []string{"num_replicas", "duplicate_window"} {
		if len(haves[field]) != 1 {
			continue
		}
		for have := range haves[field] {
			fmt.Fprintf(&b, "\nif the streams are right, set %s=%s instead", settingOf[field], have)
		}
	}
	return b.String()
}

// printStreamChanges reports what `migrate --streams` did; the summary only
// when it finished (after a failure the changes made so far are listed).
func printStreamChanges(w io.Writer, cfg config.Config, changes []events.StreamChange, finished bool) {
	created, updated := 0, 0
	for _, c := range changes {
		if c.Created {
			created++
			fmt.Fprintf(w, "stream %s: created\n", c.Stream)
			continue
		}
		updated++
		fmt.Fprintf(w, "stream %s: updated\n", c.Stream)
		for _, d := range c.Diffs {
			fmt.Fprintf(w, "  %s: %s -> %s\n", d.Field, d.Have, d.Want)
		}
	}
	if !finished {
		return
	}
	unchanged := len(events.Contexts) - created - updated
	fmt.Fprintf(w, "streams: %d created, %d updated, %d unchanged (NATS_REPLICAS=%d, NATS_DUPLICATE_WINDOW=%s)\n",
		created, updated, unchanged, cfg.NATSReplicas, cfg.NATSDupWindow)
	if updated > 0 {
		fmt.Fprintln(w, "start every cicero process with these settings: one started with others refuses to start")
	}
}

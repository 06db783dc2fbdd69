package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
	auditidx "github.com/cicero/cicero/projections/audit"
)

// rebuildClient is `cicero rebuild <projection> --client ID`: the client's
// aggregates come from the audit index, which is first brought up to the
// stream heads (by serve when it runs, else by a runner started here for
// the while), then projections.RebuildClient replaces the client's rows in
// one transaction; other clients' rows keep serving throughout.
func rebuildClient(cmd *cobra.Command, d *deps, p projections.Projection, client string) error {
	ctx := cmd.Context()
	if _, ok := p.(projections.ClientPartition); !ok {
		return fmt.Errorf("rebuild %s --client: %w", p.Name(), projections.ErrNotPartitioned)
	}
	if err := catchUpAuditIndex(ctx, d); err != nil {
		return err
	}
	start := time.Now()
	res, err := projections.RebuildClient(ctx, d.pool, d.store, p, client, auditidx.SubjectsFor, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "rebuilt %s for client %s: %d aggregates, %d events replayed in %s, checkpoint kept\n",
		p.Name(), client, res.Subjects, res.Events, time.Since(start).Round(time.Millisecond))
	return nil
}

// catchUpAuditIndex waits until the audit index has reached every stream's
// head. A runner started here applies it unless serve's holds the lock.
func catchUpAuditIndex(ctx context.Context, d *deps) error {
	var want []events.Position
	for _, s := range events.Contexts {
		h, err := d.store.StreamHead(ctx, s)
		if err != nil {
			return err
		}
		want = append(want, events.Position{Stream: s, Sequence: h})
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- projections.NewRunner(d.pool, d.store, auditidx.Index{}, projections.RunnerOptions{}).Run(rctx)
	}()
	defer func() { cancel(); <-done }()
	if err := projections.NewCheckpoints(d.pool).WaitFor(ctx, auditidx.Name, want, 5*time.Minute); err != nil {
		return fmt.Errorf("audit index not caught up: %w", err)
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"io"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/pgdb"
)

func newMigrateCmd(c *cli) *cobra.Command {
	var streams bool
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create the database if missing and apply every pending migration",
		Long: "Create the database if missing and apply every pending migration.\n\n" +
			"With --streams, also change the event streams to the configuration (NATS_REPLICAS,\n" +
			"NATS_DUPLICATE_WINDOW and Cicero's fixed settings) and print every change. `serve` and\n" +
			"the other commands only create missing streams and refuse to start when existing ones\n" +
			"differ, so this is the one way a stream's settings change. Changes JetStream cannot make\n" +
			"in place (storage type, persist mode, …) are refused and nothing is changed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := pgdb.EnsureDatabase(ctx, c.cfg.DatabaseURL); err != nil {
				return err
			}
			pool, err := pgdb.Open(ctx, c.cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			if err := pgdb.Migrate(ctx, pool, c.log); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "migrations applied")
			if streams {
				return c.migrateStreams(ctx, cmd.OutOrStdout())
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&streams, "streams", false, "also change existing event streams to the configuration and print what changed")
	return cmd
}

// migrateStreams applies the stream configuration through a running serve
// or an in-process server on DATA_DIR, like every other command.
func (c *cli) migrateStreams(ctx context.Context, out io.Writer) error {
	if err := singleNode(c.cfg); err != nil {
		return err
	}
	nc, srv, err := openNATS(c.cfg, c.log, false)
	if err != nil {
		return err
	}
	defer func() {
		_ = nc.Flush()
		nc.Close()
		if srv != nil {
			srv.Close()
		}
	}()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("jetstream: %w", err)
	}
	changes, err := events.ApplyStreams(ctx, js, streamOptions(c.cfg))
	printStreamChanges(out, c.cfg, changes, err == nil)
	if err != nil {
		return fmt.Errorf("migrate streams: %w", err)
	}
	return nil
}

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/internal/pgdb"
)

func newMigrateCmd(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create the database if missing and apply every pending migration",
		Args:  cobra.NoArgs,
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
			return nil
		},
	}
}

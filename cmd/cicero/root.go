package main

import (
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/logging"
)

// cli carries what every subcommand shares: configuration and a logger.
type cli struct {
	cfg config.Config
	log *slog.Logger
}

func newRootCmd() *cobra.Command {
	c := &cli{}
	root := &cobra.Command{
		Use:           "cicero",
		Short:         "Cicero: engagement monitoring, editorial workflow and recaps for police PR units",
		Long:          "Cicero is an event-sourced backend. Configuration comes from environment variables (see README.md and .env.example).",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load()
			if err != nil {
				return err
			}
			c.cfg = cfg
			c.log = logging.New(os.Stderr, cfg.LogLevel)
			return nil
		},
	}
	root.AddCommand(newServeCmd(c), newMigrateCmd(c), newEventsCmd(c), newRebuildCmd(c), newAdminCmd(c), newJobCmd(c), newLoadgenCmd(c), newSeedDemoCmd(c), newRecapCmd(c), newImportV2Cmd(c))
	root.AddCommand(newWALoginCmd(c), newWALogoutCmd(c))
	return root
}

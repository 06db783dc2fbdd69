package main

import (
	"github.com/spf13/cobra"
)

func newServeCmd(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run everything: HTTP APIs, projectors, sagas (embedded JetStream unless NATS_URL is set)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			app, err := NewApp(cmd.Context(), c.cfg, c.log)
			if err != nil {
				return err
			}
			defer app.Close()
			return app.Run(cmd.Context())
		},
	}
}

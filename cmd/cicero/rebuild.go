package main

import (
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/cicero/cicero/projections"
)

func newRebuildCmd(c *cli) *cobra.Command {
	var quiet bool
	var client string
	cmd := &cobra.Command{
		Use:   "rebuild <projection>",
		Short: "Replay a projection's history into shadow tables and swap them in atomically",
		Long: `Rebuilds one read model from the event history while the live tables keep serving.
The shadow tables are swapped in one transaction once they have caught up; a running serve keeps
applying new events meanwhile and continues from the swapped-in position. Side effects (sagas) never
run during a rebuild.

--client ID rebuilds only that client's rows, in the live tables, in one transaction (see
rebuildClient): projections that can split their rows by client (directory, social_engagements,
amplify_reports).`,
		Example: "  cicero rebuild directory\n  cicero rebuild social_engagements --client POLRESA",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			d, err := openDeps(ctx, c.cfg, c.log, false, false)
			if err != nil {
				return err
			}
			defer d.Close()
			p, err := findReadModel(d.store.Registry(), args[0])
			if err != nil {
				return err
			}
			if client != "" {
				return rebuildClient(cmd, d, p, client)
			}
			bar := progressbar.NewOptions64(-1,
				progressbar.OptionSetDescription("rebuild "+p.Name()),
				progressbar.OptionSetWriter(cmd.ErrOrStderr()),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("events"),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionSetVisibility(!quiet && isTerminal(cmd.ErrOrStderr())),
			)
			start := time.Now()
			var replayed uint64
			err = projections.Rebuild(ctx, d.pool, d.store, p, func(done, total uint64) {
				if bar.GetMax64() != int64(total) {
					bar.ChangeMax64(int64(total))
				}
				_ = bar.Set64(int64(done))
				replayed = done
			})
			_ = bar.Finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "rebuilt %s: %d stream positions replayed in %s, swapped in\n",
				p.Name(), replayed, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	cmd.Flags().StringVar(&client, "client", "", "rebuild only this client's rows")
	return cmd
}

// isTerminal reports whether w is a character device (the bar is off in logs and CI).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

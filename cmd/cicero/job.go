package main

import (
	"context"
	"fmt"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/schedule"
)

func newJobCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "job",
		Short: "List the scheduled jobs or run one now",
		Long: `Scheduled jobs run in Asia/Jakarta, once across all serve instances, and can be switched off
in table job_config (a job without a row runs). "job run" runs a job at once, switched off or not;
jobs are idempotent, so a run next to a scheduled one appends nothing twice. Jobs read the read
models that serve keeps up to date.`,
	}
	withScheduler := func(cmd *cobra.Command, fn func(context.Context, *schedule.Scheduler) error) error {
		// A run asked for here is recorded as the CLI's, not the schedule's.
		ctx := commands.WithChannel(cmd.Context(), commands.ChannelCLI)
		d, err := openDeps(ctx, c.cfg, c.log, false, false)
		if err != nil {
			return err
		}
		defer d.Close()
		s, err := newScheduler(&wiring{cfg: c.cfg, log: c.log, pool: d.pool, store: d.store})
		if err != nil {
			return err
		}
		return fn(ctx, s)
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List jobs with their schedule, switch and last scheduled run",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withScheduler(cmd, func(ctx context.Context, s *schedule.Scheduler) error {
				st, err := s.List(ctx)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
				fmt.Fprintln(w, "JOB\tSCHEDULE (Asia/Jakarta)\tACTIVE\tLAST RUN\tLEGACY KEY")
				for _, j := range st {
					last := "-"
					if j.LastSlot != nil {
						last = j.LastSlot.Format(time.RFC3339)
						if j.LastErr != "" {
							last += " (failed)"
						}
					}
					legacy := j.Legacy
					if legacy == "" {
						legacy = "-"
					}
					fmt.Fprintf(w, "%s\t%s\t%v\t%s\t%s\n", j.Name, j.Cron, j.Active, last, legacy)
				}
				return w.Flush()
			})
		},
	}
	var clientID, platform string
	var quiet bool
	run := &cobra.Command{
		Use:   "run NAME",
		Short: "Run a job now (waits for it; a progress bar on a terminal, a summary line per unit of work)",
		Example: `  cicero job run dashboard-subscription-expiry
  cicero job run fetch-sosmed --client POLRESA --platform ig`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withScheduler(cmd, func(ctx context.Context, s *schedule.Scheduler) error {
				out := cmd.OutOrStdout()
				bar := progressbar.NewOptions(-1,
					progressbar.OptionSetDescription(args[0]),
					progressbar.OptionSetWriter(cmd.ErrOrStderr()),
					progressbar.OptionShowCount(),
					progressbar.OptionThrottle(100*time.Millisecond),
					progressbar.OptionSetVisibility(!quiet && isTerminal(cmd.ErrOrStderr())),
				)
				var mu sync.Mutex
				start := time.Now()
				err := s.RunNow(ctx, args[0], schedule.Args{ClientID: clientID, Platform: platform,
					Progress: func(done, total int) {
						mu.Lock()
						defer mu.Unlock()
						if bar.GetMax() != total {
							bar.ChangeMax(total)
						}
						_ = bar.Set(done)
					},
					Report: func(line string) {
						mu.Lock()
						defer mu.Unlock()
						_ = bar.Clear()
						fmt.Fprintln(out, line)
					}})
				_ = bar.Finish()
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "job %s done in %s\n", args[0], time.Since(start).Round(time.Millisecond))
				return nil
			})
		},
	}
	run.Flags().StringVar(&clientID, "client", "", "limit the run to one client (jobs that work per client)")
	run.Flags().StringVar(&platform, "platform", "", "limit fetch-sosmed to one platform: ig or tiktok")
	run.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	cmd.AddCommand(list, run)
	return cmd
}

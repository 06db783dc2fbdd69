package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/demo"
	"github.com/cicero/cicero/internal/jakarta"
)

const seedMaxConcurrency = 64

// seedHeaderRoom is what a message's headers and the event's other
// fields may take of the server's payload limit.
const seedHeaderRoom = 64 << 10

type seedDemoFlags struct {
	demo.Options
	concurrency int
	wait        time.Duration
	quiet       bool
}

func (f seedDemoFlags) validate() error {
	errs := []error{f.Options.Validate()}
	if f.concurrency < 1 || f.concurrency > seedMaxConcurrency {
		errs = append(errs, fmt.Errorf("--concurrency must be between 1 and %d, got %d", seedMaxConcurrency, f.concurrency))
	}
	if f.wait < 0 {
		errs = append(errs, errors.New("--wait must not be negative"))
	}
	return errors.Join(errs...)
}

func newSeedDemoCmd(c *cli) *cobra.Command {
	f := seedDemoFlags{Options: demo.Options{Seed: 1, Clients: 5, Personnel: 500, Days: 7, Posts: 100,
		Engagements: 50_000, Password: "cicero-demo"}, concurrency: 8, wait: 5 * time.Minute}
	cmd := &cobra.Command{
		Use:   "seed-demo",
		Short: "Fill the system with a realistic demo data set through the command handlers",
		Long: `Registers Polres clients and a directorate (DITBINMAS) with their official accounts, personnel
whose handles are typed the ways people type them (leading @, upper or mixed case, spaces, profile
links, missing; some exempt), dashboard logins, and --days days of Instagram and TikTok posts up
to --end-date with likes and comments recorded over several fetch rounds, as the fetch job would,
including accounts that are not personnel. No RapidAPI key is needed.

Everything goes through the same command handlers as the API and the jobs. The data set is a
function of the flags: the same --seed and flags give the same events, and running it again
appends nothing (each command's id is a hash of its content). A different --seed or --end-date
adds another data set beside the first (clients and logins are shared).

With serve running, it waits (up to --wait) until the read models have caught up, so the dashboard
shows the data when it returns.`,
		Example: `  cicero seed-demo
  cicero seed-demo --seed 7 --personnel 10000 --posts 3000 --engagements 3000000 --concurrency 16`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.EndDate == "" {
				f.EndDate = jakarta.Date(time.Now())
			}
			if err := f.validate(); err != nil {
				return err
			}
			return runSeedDemo(cmd, c, f)
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&f.Seed, "seed", f.Seed, "seed of the data set")
	fl.IntVar(&f.Clients, "clients", f.Clients, fmt.Sprintf("Polres clients, 1 to %d (plus the directorate DITBINMAS)", demo.MaxClients))
	fl.IntVar(&f.Personnel, "personnel", f.Personnel, fmt.Sprintf("personnel, 0 to %d", demo.MaxPersonnel))
	fl.IntVar(&f.Days, "days", f.Days, fmt.Sprintf("days of posts, 1 to %d", demo.MaxDays))
	fl.StringVar(&f.EndDate, "end-date", "", "last day of posts, YYYY-MM-DD in Asia/Jakarta (default today)")
	fl.IntVar(&f.Posts, "posts", f.Posts, fmt.Sprintf("posts in total, 1 to %d", demo.MaxPosts))
	fl.IntVar(&f.Engagements, "engagements", f.Engagements, fmt.Sprintf("likes + comments in total, 0 to %d", demo.MaxEngagements))
	fl.IntVar(&f.concurrency, "concurrency", f.concurrency, fmt.Sprintf("posts seeded at once, 1 to %d", seedMaxConcurrency))
	fl.StringVar(&f.Password, "password", f.Password, "password of the demo dashboard logins")
	fl.DurationVar(&f.wait, "wait", f.wait, "with serve running: how long to wait for the read models (0: do not wait)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar")
	return cmd
}

func runSeedDemo(cmd *cobra.Command, c *cli, f seedDemoFlags) error {
	ctx := cmd.Context()
	plan, err := demo.New(f.Options)
	if err != nil {
		return err
	}
	d, err := openDeps(ctx, c.cfg, c.log, false, false)
	if err != nil {
		return err
	}
	defer d.Close()
	cmdlog := commands.NewBatchingCommandLog(d.pool, commands.BatchOptions{Logger: c.log})
	rt := commands.NewRuntime(d.store, cmdlog, c.log)
	s := newSeeder(rt, plan, f.concurrency, int(d.nc.MaxPayload())-seedHeaderRoom, c.log)
	total := len(plan.Clients) + len(plan.People) + len(plan.Logins) + len(plan.Posts) + plan.Engagements()
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetDescription("seed-demo"),
		progressbar.OptionSetWriter(cmd.ErrOrStderr()),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetVisibility(!f.quiet && isTerminal(cmd.ErrOrStderr())))
	s.progress = func(n int) { _ = bar.Add(n) }
	res, err := s.run(ctx)
	_ = bar.Finish()
	if cerr := cmdlog.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("command log: %w", cerr)
	}
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	printSeedSummary(out, plan, res)
	switch {
	case d.server != nil:
		fmt.Fprintln(out, "read models: built when `cicero serve` starts (no serve was running)")
	case f.wait > 0:
		start := time.Now()
		if err := waitReadModels(ctx, d.pool, d.store, f.wait); err != nil {
			return fmt.Errorf("read models: %w", err)
		}
		fmt.Fprintf(out, "read models caught up in %s\n", time.Since(start).Round(time.Millisecond))
	}
	printSeedLogins(out, plan, res)
	return nil
}

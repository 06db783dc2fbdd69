package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/importv2"
	"github.com/cicero/cicero/internal/jakarta"
)

const importMaxConcurrency = 64

func newImportV2Cmd(c *cli) *cobra.Command {
	var (
		from, igTZ, ttTZ, otherTZ string
		dryRun, quiet             bool
		concurrency               int
		wait                      time.Duration
	)
	cmd := &cobra.Command{
		Use:   "import-v2 --from <postgres url of the old database>",
		Short: "Import a Cicero_V2 (old Node system) database as event history; safe to run again",
		Long: `Reads the old database in one read-only snapshot and issues our commands for its clients,
personnel (roles, handles, WhatsApp, e-mail, exemption, status), dashboard accounts (bcrypt hashes
kept: people keep their passwords), active premium subscriptions, Instagram and TikTok posts with
their role tags, likes and comments, Instagram profiles, link reports (regular and khusus, as history:
with their old time, without the live 2-day / "today" rules), and Penmas (accounts with their bcrypt
hashes, editorial events under their old ids in their old statuses, with press-release details,
approval requests and change logs). Every event has actor system:import-v2,
the old row's own time as occurred_at and the source row (table and key) as causation.

Running it again imports only what changed or appeared since: during a cut-over run it every few
minutes while the old system still serves, then stop the old one and run it a last time. An
interrupted run is resumed by running it again. Rows that break a rule are skipped and listed with
the reason; --dry-run reads every row, applies the import's own checks (NRP, orphans, duplicates,
handles, hashes, timestamps, rows whose account or person is skipped) and appends nothing — the
commands' own validation (a WhatsApp number or e-mail they refuse, a blank nama, a tier not allowed)
runs only in a real run, so a real run may skip a few rows more.

Naive timestamps are read the way the old code wrote them: Instagram post times as Asia/Jakarta wall
time, TikTok post times as UTC wall time, other naive columns as Asia/Jakarta; override with the
--*-tz flags for a database that ran differently.`,
		Example: `  cicero import-v2 --from postgres://cicero:secret@old-db:5432/cicero_v2
  cicero import-v2 --from postgres://old-db/cicero_v2 --dry-run
  cicero import-v2 --from postgres://old-db/cicero_v2 --tiktok-post-tz Asia/Jakarta`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if concurrency < 1 || concurrency > importMaxConcurrency {
				return fmt.Errorf("--concurrency must be between 1 and %d, got %d", importMaxConcurrency, concurrency)
			}
			clock := importv2.DefaultClock(jakarta.Location)
			var err error
			for _, z := range []struct {
				flag, name string
				dst        **time.Location
			}{{"--ig-post-tz", igTZ, &clock.InstagramPosts}, {"--tiktok-post-tz", ttTZ, &clock.TiktokPosts}, {"--naive-tz", otherTZ, &clock.Other}} {
				if *z.dst, err = importv2.ParseLocation(z.flag, z.name); err != nil {
					return err
				}
			}
			ctx := commands.WithChannel(cmd.Context(), commands.ChannelCLI)
			// The old database first: a wrong --from or a missing table
			// stops here, before anything is appended.
			src, err := importv2.Open(ctx, from)
			if err != nil {
				return err
			}
			defer src.Close(ctx)
			d, err := openDeps(ctx, c.cfg, c.log, false, false)
			if err != nil {
				return err
			}
			defer d.Close()
			cmdlog := commands.NewBatchingCommandLog(d.pool, commands.BatchOptions{Logger: c.log})
			rt := commands.NewRuntime(d.store, cmdlog, c.log)
			progress := newImportProgress(cmd.ErrOrStderr(), !quiet && isTerminal(cmd.ErrOrStderr()))
			im := importv2.New(src, rt, cmdlog, importv2.Options{Clock: clock, DryRun: dryRun, Concurrency: concurrency}, c.log, progress)
			rep, err := im.Run(ctx)
			if cerr := cmdlog.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("command log: %w", cerr)
			}
			if rep != nil {
				rep.Print(cmd.OutOrStdout())
			}
			if err != nil {
				return fmt.Errorf("%w (run it again to resume)", err)
			}
			if d.server == nil && wait > 0 && !dryRun {
				start := time.Now()
				if err := waitReadModels(ctx, d.pool, d.store, wait); err != nil {
					return fmt.Errorf("read models: %w", err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "read models caught up in %s\n", time.Since(start).Round(time.Millisecond))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&from, "from", "", "postgres URL of the old Cicero_V2 database (read only)")
	fl.BoolVar(&dryRun, "dry-run", false, "read and check every row, report, append nothing")
	fl.IntVar(&concurrency, "concurrency", 8, fmt.Sprintf("rows imported at once, 1 to %d", importMaxConcurrency))
	fl.StringVar(&igTZ, "ig-post-tz", "Asia/Jakarta", "time zone insta_post.created_at was written in")
	fl.StringVar(&ttTZ, "tiktok-post-tz", "UTC", "time zone tiktok_post.created_at was written in")
	fl.StringVar(&otherTZ, "naive-tz", "Asia/Jakarta", "time zone of the other naive timestamp columns")
	fl.DurationVar(&wait, "wait", 5*time.Minute, "with serve running: how long to wait for the read models (0: do not wait)")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no progress bars")
	return cmd
}

// importProgress draws one progress bar per table.
type importProgress struct {
	w       io.Writer
	visible bool
	bar     *progressbar.ProgressBar
}

func newImportProgress(w io.Writer, visible bool) *importProgress {
	return &importProgress{w: w, visible: visible}
}

func (p *importProgress) Start(table string, total int) {
	p.bar = progressbar.NewOptions(total, progressbar.OptionSetDescription(fmt.Sprintf("%-28s", table)),
		progressbar.OptionSetWriter(p.w), progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }), progressbar.OptionSetVisibility(p.visible))
}

func (p *importProgress) Add(n int) {
	if p.bar != nil {
		_ = p.bar.Add(n)
	}
}

func (p *importProgress) Finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

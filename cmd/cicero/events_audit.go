package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/readapi/audit"
)

// The auditor's questions on the command line: the same service and the
// same reads log as /api/audit (actor cli:<user>, channel cli).

// auditCLI opens the dependencies, runs fn with the audit service and logs
// the read before printing what fn returned as indented JSON.
func auditCLI(c *cli, cmd *cobra.Command, query string, params map[string]any,
	fn func(ctx context.Context, s *audit.Service) (any, int, error)) error {
	ctx := cmd.Context()
	d, err := openDeps(ctx, c.cfg, c.log, false, false)
	if err != nil {
		return err
	}
	defer d.Close()
	s := newAuditService(&wiring{cfg: c.cfg, log: c.log, pool: d.pool, store: d.store})
	out, n, err := fn(ctx, s)
	if err != nil {
		if apperr.CodeOf(err) != apperr.Internal {
			return fmt.Errorf("%s", apperr.MessageOf(err))
		}
		return err
	}
	if err := s.LogRead(ctx, cliActor(), "cli", query, params, n); err != nil {
		return err
	}
	return printJSON(cmd.OutOrStdout(), out)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newEventsHistoryCmd(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:     "history <kind> <id>",
		Short:   "Every event of one aggregate with its whole envelope (actor, channel, command, causation)",
		Long:    "kind is person, client, dashuser, premium, ig-post, tt-post or any subject prefix (social.fetch, …).",
		Example: "  cicero events history person 75020001",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return auditCLI(c, cmd, "history", map[string]any{"kind": args[0], "id": args[1]},
				func(ctx context.Context, s *audit.Service) (any, int, error) {
					subject, evs, err := s.History(ctx, args[0], args[1])
					return map[string]any{"subject": subject, "events": evs}, len(evs), err
				})
		},
	}
}

func asOfFlags(cmd *cobra.Command, position, at *string) {
	cmd.Flags().StringVar(position, "position", "", "as of this stream position (inclusive)")
	cmd.Flags().StringVar(at, "at", "", "as of this instant (RFC 3339) or the end of this Jakarta date (YYYY-MM-DD)")
}

func newEventsStateCmd(c *cli) *cobra.Command {
	var position, at string
	cmd := &cobra.Command{
		Use:     "state <kind> <id>",
		Short:   "An aggregate's state, folded with its own code, as of a position or instant (default now)",
		Example: "  cicero events state person 75020001 --at 2026-11-30",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return auditCLI(c, cmd, "state", map[string]any{"kind": args[0], "id": args[1], "position": position, "at": at},
				func(ctx context.Context, s *audit.Service) (any, int, error) {
					a, err := audit.ParseAsOf(position, at)
					if err != nil {
						return nil, 0, err
					}
					st, err := s.StateAt(ctx, args[0], args[1], a)
					return st, 1, err
				})
		},
	}
	asOfFlags(cmd, &position, &at)
	return cmd
}

func newEventsDiffCmd(c *cli) *cobra.Command {
	var position, at string
	cmd := &cobra.Command{
		Use:     "diff <kind> <id>",
		Short:   "What changed in an aggregate since a position or instant",
		Example: "  cicero events diff person 75020001 --position 12",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return auditCLI(c, cmd, "diff", map[string]any{"kind": args[0], "id": args[1], "position": position, "at": at},
				func(ctx context.Context, s *audit.Service) (any, int, error) {
					a, err := audit.ParseAsOf(position, at)
					if err != nil {
						return nil, 0, err
					}
					if a == (audit.AsOf{}) {
						return nil, 0, apperr.Invalidf("position", audit.MsgAsOf)
					}
					d, err := s.DiffAgainstNow(ctx, args[0], args[1], a)
					return d, len(d.Changes), err
				})
		},
	}
	asOfFlags(cmd, &position, &at)
	return cmd
}

func newEventsWhyCmd(c *cli) *cobra.Command {
	var date, platform string
	cmd := &cobra.Command{
		Use:     "why <nrp>",
		Short:   "The events behind a person's attendance on one Jakarta day",
		Example: "  cicero events why 75020001 --date 2026-12-01 --platform instagram",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return auditCLI(c, cmd, "why", map[string]any{"nrp": args[0], "date": date, "platform": platform},
				func(ctx context.Context, s *audit.Service) (any, int, error) {
					w, err := s.Why(ctx, args[0], date, platform)
					return w, len(w.Platforms), err
				})
		},
	}
	cmd.Flags().StringVar(&date, "date", "", "the Jakarta day (YYYY-MM-DD)")
	cmd.Flags().StringVar(&platform, "platform", "", "instagram or tiktok (default both)")
	return cmd
}

func newEventsReadsCmd(c *cli) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "reads",
		Short: "The audit reads log (every audit read, newest first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return auditCLI(c, cmd, "reads", map[string]any{"limit": limit},
				func(ctx context.Context, s *audit.Service) (any, int, error) {
					r, err := s.Reads(ctx, 0, limit)
					return r, len(r), err
				})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 50, "at most this many entries")
	return cmd
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	auditidx "github.com/cicero/cicero/projections/audit"
	"github.com/cicero/cicero/readapi/audit"
)

// auditFilter selects events for `cicero events`.
type auditFilter struct {
	stream    string
	aggregate string
	types     []string
	since     string
	until     string
	from      uint64
	limit     int
	asJSON    bool
	// actor and channel filter both paths; client and cursor read the
	// audit index (projection audit) instead of scanning the streams.
	actor, channel, client, cursor string
}

func newEventsCmd(c *cli) *cobra.Command {
	f := &auditFilter{}
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Audit the event history (by stream, aggregate, type, time window)",
		Long: `Prints stored events oldest first.

--aggregate takes a subject (directory.person.75020001) or prefix/id with a raw id
(directory.person/budi.ig), which is encoded the way the store encodes ids.
--since/--until take RFC 3339 instants or Asia/Jakarta dates (YYYY-MM-DD, whole day).
--actor and --channel (http, cli, schedule, whatsapp, saga) match the envelope exactly. --client (and
--cursor, to continue a listing) reads the audit index instead: the events of aggregates whose events
named that client, paged by --limit (default 100), the next page's cursor printed to stderr.
The subcommands answer the auditor's other questions (history, state, diff, why); every read is
written to the audit reads log (see "cicero events reads").`,
		Example: `  cicero events --stream DIRECTORY --type PersonRegistered --since 2026-11-01
  cicero events --aggregate directory.client/POLRESA --json
  cicero events --client POLRESA --type PersonHandleChanged --json
  cicero events history person 75020001`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := openDeps(cmd.Context(), c.cfg, c.log, false, false)
			if err != nil {
				return err
			}
			defer d.Close()
			return runAudit(cmd, d, f)
		},
	}
	cmd.AddCommand(newEventsHistoryCmd(c), newEventsStateCmd(c), newEventsDiffCmd(c), newEventsWhyCmd(c), newEventsReadsCmd(c))
	cmd.Flags().StringVar(&f.actor, "actor", "", "only events of this actor (dashboard:<id>, cli:<user>, system:<job>)")
	cmd.Flags().StringVar(&f.channel, "channel", "", "only events that arrived through this channel")
	cmd.Flags().StringVar(&f.client, "client", "", "only events of aggregates that named this client (audit index)")
	cmd.Flags().StringVar(&f.cursor, "cursor", "", "continue an index listing after this cursor")
	cmd.Flags().StringVar(&f.stream, "stream", "", "stream (DIRECTORY, SOCIAL, …); default all")
	cmd.Flags().StringVar(&f.aggregate, "aggregate", "", "one aggregate: subject, or prefix/raw-id")
	cmd.Flags().StringSliceVar(&f.types, "type", nil, "event types (comma separated)")
	cmd.Flags().StringVar(&f.since, "since", "", "from this instant or Jakarta date")
	cmd.Flags().StringVar(&f.until, "until", "", "up to this instant or Jakarta date (inclusive)")
	cmd.Flags().Uint64Var(&f.from, "from", 1, "start at this stream position")
	cmd.Flags().IntVar(&f.limit, "limit", 0, "stop after this many events (0 = no limit)")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "one JSON object per line with the envelope")
	return cmd
}

// parseBound reads an RFC 3339 instant or a Jakarta date; end=true moves a
// date to the end of that day.
func parseBound(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return audit.ParseInstant(s, end)
}

func runAudit(cmd *cobra.Command, d *deps, f *auditFilter) error {
	store := d.store
	since, err := parseBound(f.since, false)
	if err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	until, err := parseBound(f.until, true)
	if err != nil {
		return fmt.Errorf("--until: %w", err)
	}
	out := cmd.OutOrStdout()
	n := 0
	errStop := fmt.Errorf("limit reached")
	emit := func(e events.Envelope) error {
		if len(f.types) > 0 && !slices.Contains(f.types, e.Type) || f.actor != "" && e.Meta.Actor != f.actor ||
			f.channel != "" && e.Meta.Channel != f.channel {
			return nil
		}
		at := e.Meta.OccurredAt
		if !since.IsZero() && at.Before(since) || !until.IsZero() && at.After(until) {
			return nil
		}
		if err := printEvent(out, e, f.asJSON); err != nil {
			return err
		}
		n++
		if f.limit > 0 && n >= f.limit {
			return errStop
		}
		return nil
	}
	ctx := cmd.Context()
	params := map[string]any{"stream": f.stream, "aggregate": f.aggregate, "type": f.types, "since": f.since, "until": f.until,
		"actor": f.actor, "channel": f.channel, "client": f.client}
	if f.client != "" || f.cursor != "" {
		return runAuditIndex(cmd, d, f, since, until, params)
	}
	defer func() {
		if err := newAuditService(&wiring{pool: d.pool, store: store}).LogRead(context.WithoutCancel(ctx), cliActor(), "cli", "events", params, n); err != nil {
			fmt.Fprintln(cmd.ErrOrStderr(), err)
		}
	}()
	if f.aggregate != "" {
		subject := aggregateSubject(f.aggregate)
		envs, _, err := store.Load(ctx, subject)
		if err != nil {
			return err
		}
		for _, e := range envs {
			if err := emit(e); err != nil {
				break
			}
		}
	} else {
		streams := events.Contexts
		if f.stream != "" {
			streams = []string{strings.ToUpper(f.stream)}
		}
		for _, s := range streams {
			if err := store.ReadStream(ctx, s, f.from, "", emit); err != nil && err != errStop {
				return err
			}
			if f.limit > 0 && n >= f.limit {
				break
			}
		}
	}
	if !f.asJSON {
		fmt.Fprintf(cmd.ErrOrStderr(), "%d event(s)\n", n)
	}
	return nil
}

// auditLine is the --json form of one event.
type auditLine struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	Version       int             `json:"version"`
	Stream        string          `json:"stream"`
	Position      uint64          `json:"position"`
	Index         int             `json:"index"`
	Subject       string          `json:"subject"`
	AggregateID   string          `json:"aggregate_id"`
	CommandID     string          `json:"command_id"`
	CorrelationID string          `json:"correlation_id,omitempty"`
	CausationID   string          `json:"causation_id,omitempty"`
	Actor         string          `json:"actor,omitempty"`
	Channel       string          `json:"channel,omitempty"`
	OccurredAt    string          `json:"occurred_at"`
	RecordedAt    string          `json:"recorded_at"`
	Data          json.RawMessage `json:"data"`
}

func printEvent(w io.Writer, e events.Envelope, asJSON bool) error {
	// Hashes and tokens stay out of the terminal, as in the audit API.
	e.Data = audit.Redact(e.Data)
	if asJSON {
		b, err := json.Marshal(auditLine{ID: e.ID, Type: e.Type, Version: e.Version, Stream: e.Stream, Position: e.Position,
			Index: e.Index, Subject: e.Subject, AggregateID: e.AggregateID, CommandID: e.Meta.CommandID,
			CorrelationID: e.Meta.CorrelationID, CausationID: e.Meta.CausationID, Actor: e.Meta.Actor, Channel: e.Meta.Channel,
			OccurredAt: jakarta.Format(e.Meta.OccurredAt), RecordedAt: jakarta.Format(e.RecordedAt), Data: e.Data})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, string(b))
		return err
	}
	_, err := fmt.Fprintf(w, "%s  %s/%d  %-28s %s v%d  actor=%s channel=%s  %s\n", jakarta.Format(e.Meta.OccurredAt), e.Stream,
		e.Position, e.Type, e.Subject, e.Version, e.Meta.Actor, e.Meta.Channel, e.Data)
	return err
}

// runAuditIndex lists events through the audit index (--client, --cursor):
// one page, its cursor for the next on stderr.
func runAuditIndex(cmd *cobra.Command, d *deps, f *auditFilter, since, until time.Time, params map[string]any) error {
	flt := auditidx.Filter{Types: f.types, Actor: f.actor, Channel: f.channel, Client: f.client, Since: since, Until: until, Limit: f.limit}
	if f.stream != "" {
		flt.Streams = []string{strings.ToUpper(f.stream)}
	}
	if f.aggregate != "" {
		flt.Subject = aggregateSubject(f.aggregate)
	}
	if f.cursor != "" {
		c, err := auditidx.ParseCursor(f.cursor)
		if err != nil {
			return fmt.Errorf("--cursor: %w", err)
		}
		flt.After = &c
	}
	s := newAuditService(&wiring{pool: d.pool, store: d.store})
	page, err := s.Events(cmd.Context(), flt)
	if err != nil {
		return err
	}
	if err := s.LogRead(cmd.Context(), cliActor(), "cli", "events", params, len(page.Events)); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	for _, e := range page.Events {
		if f.asJSON {
			b, err := json.Marshal(e)
			if err != nil {
				return err
			}
			fmt.Fprintln(out, string(b))
			continue
		}
		fmt.Fprintf(out, "%s  %s/%d  %-28s %s v%d  actor=%s channel=%s  %s\n", e.OccurredAt, e.Stream, e.Sequence, e.Type,
			e.Subject, e.Version, e.Actor, e.Channel, e.Payload)
	}
	if page.NextCursor != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "next page: --cursor %s\n", *page.NextCursor)
	}
	return nil
}

// aggregateSubject reads --aggregate: a subject, or prefix/raw-id.
func aggregateSubject(s string) string {
	if i := strings.LastIndex(s, "/"); i > 0 {
		return events.Subject(s[:i], s[i+1:])
	}
	return s
}

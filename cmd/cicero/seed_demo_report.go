package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/demo"
	"github.com/cicero/cicero/projections"
)

// waitReadModels waits until every read model that follows a seeded
// stream has reached the stream's head, for at most max in all.
func waitReadModels(ctx context.Context, pool *pgxpool.Pool, store *events.Store, max time.Duration) error {
	heads := map[string]uint64{}
	for _, st := range seedStreams {
		h, err := store.StreamHead(ctx, st)
		if err != nil {
			return err
		}
		heads[st] = h
	}
	deadline := time.Now().Add(max)
	ck := projections.NewCheckpoints(pool)
	for _, p := range readModels(store.Registry()) {
		var ps []events.Position
		for _, st := range p.Streams() {
			if heads[st] > 0 {
				ps = append(ps, events.Position{Stream: st, Sequence: heads[st]})
			}
		}
		if err := ck.WaitFor(ctx, p.Name(), ps, time.Until(deadline)); err != nil {
			return fmt.Errorf("%w (is serve running? raise --wait for a large data set)", err)
		}
	}
	return nil
}

// printSeedSummary prints what the plan holds and what this run appended.
func printSeedSummary(w io.Writer, plan *demo.Plan, r seedResult) {
	o := plan.Options
	var insta, tiktok, exempt, igPosts, likes int
	for _, p := range plan.People {
		insta += b2i(p.InstaNorm != "")
		tiktok += b2i(p.TiktokNorm != "")
		exempt += b2i(p.Exception)
	}
	for _, p := range plan.Posts {
		if p.Platform == demo.Instagram {
			igPosts++
			likes += p.Engagers
		}
	}
	days := plan.Days()
	fmt.Fprintf(w, "seed %d, %d days %s … %s (Asia/Jakarta)\n", o.Seed, len(days),
		days[0].Format(time.DateOnly), days[len(days)-1].Format(time.DateOnly))
	fmt.Fprintf(w, "  clients      %d (%d Polres + %s), %d official profiles\n", len(plan.Clients), o.Clients,
		demo.DirectorateID, 2*len(plan.Clients))
	fmt.Fprintf(w, "  personnel    %d (%d with Instagram, %d with TikTok, %d exempt)\n", len(plan.People), insta, tiktok, exempt)
	fmt.Fprintf(w, "  posts        %d (%d Instagram, %d TikTok)\n", len(plan.Posts), igPosts, len(plan.Posts)-igPosts)
	fmt.Fprintf(w, "  engagements  %d (%d likes, %d comments), %d new in this run\n", plan.Engagements(), likes,
		plan.Engagements()-likes, r.NewEngagements)
	var by []string
	for _, st := range seedStreams {
		by = append(by, fmt.Sprintf("%s %d", st, r.EventsBy[st]))
	}
	fmt.Fprintf(w, "  commands     %d issued\n", r.Commands)
	fmt.Fprintf(w, "  events       %d appended (%s)\n", r.Events, strings.Join(by, ", "))
	if len(r.Existing) > 0 {
		fmt.Fprintf(w, "  existing     %d registered before by someone else, left as they were (%s)\n",
			len(r.Existing), strings.Join(r.Existing[:min(len(r.Existing), 5)], ", "))
	}
	secs := max(r.Elapsed.Seconds(), 1e-9)
	fmt.Fprintf(w, "  time         %s, %.0f events/s, %.0f commands/s, %.0f engagements/s\n",
		r.Elapsed.Round(time.Millisecond), float64(r.Events)/secs, float64(r.Commands)/secs, float64(r.NewEngagements)/secs)
	if r.Events == 0 {
		fmt.Fprintln(w, "  nothing new: this data set was there already")
	}
}

// printSeedLogins prints the demo dashboard logins; an account that
// existed with other details (another --password) keeps its own.
func printSeedLogins(w io.Writer, plan *demo.Plan, r seedResult) {
	fmt.Fprintf(w, "dashboard logins (password %q):\n", plan.Options.Password)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, l := range plan.Logins {
		clients := strings.Join(l.ClientIDs, ",")
		if len(l.ClientIDs) == len(plan.Clients) && len(plan.Clients) > 1 {
			clients = fmt.Sprintf("all %d clients", len(plan.Clients))
		}
		note := ""
		if slices.Contains(r.Existing, seedLoginWhat(l.Username)) {
			note = "existed already: its password and clients were left unchanged"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.Username, l.Role, clients, note)
	}
	_ = tw.Flush()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

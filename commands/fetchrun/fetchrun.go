// Package fetchrun is the fetch-run aggregate of the SOCIAL context: one
// fetch of one client's platform, recorded once when it ends, for auditors
// and /ops. Subject social.fetch.<run id>.
package fetchrun

import (
	"context"
	"fmt"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// maxErrors bounds the error texts one run records (the counts stay exact).
const maxErrors = 20

// CompleteFetchRun records the run's outcome → FetchRunCompleted, once: a
// run already recorded changes nothing (a retried job step).
// Refusals: Invalid run_id, client_id, platform, times.
type CompleteFetchRun struct {
	Run events.FetchRunCompleted
}

func (cmd CompleteFetchRun) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	r := cmd.Run
	r.RunID = strings.TrimSpace(r.RunID)
	r.ClientID = normalize.ClientID(r.ClientID)
	switch {
	case r.RunID == "":
		return nil, apperr.Invalidf("run_id", "run_id wajib diisi")
	case r.ClientID == "":
		return nil, apperr.Invalidf("client_id", "client_id wajib diisi")
	case r.Platform != events.PlatformInstagram && r.Platform != events.PlatformTiktok:
		return nil, apperr.Invalidf("platform", "platform harus instagram atau tiktok")
	case r.StartedAt.IsZero() || r.FinishedAt.Before(r.StartedAt):
		return nil, apperr.Invalidf("started_at", "waktu mulai dan selesai tidak valid")
	}
	if len(r.Errors) > maxErrors {
		r.Errors = append(r.Errors[:maxErrors:maxErrors], fmt.Sprintf("… dan %d lainnya", len(r.Errors)-maxErrors))
	}
	r.StartedAt, r.FinishedAt = r.StartedAt.UTC(), r.FinishedAt.UTC()
	return l.RecordOnce(ctx, events.FetchRunSubject(r.RunID), r.RunID, r)
}

// Handlers runs the fetch-run command.
type Handlers struct{ rt *commands.Runtime }

// NewHandlers returns the fetch-run handlers over rt.
func NewHandlers(rt *commands.Runtime) *Handlers { return &Handlers{rt: rt} }

// CompleteFetchRun → FetchRunCompleted (nothing when recorded already).
func (h *Handlers) CompleteFetchRun(ctx context.Context, meta commands.Meta, cmd CompleteFetchRun) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "fetchrun.CompleteFetchRun", meta, cmd.decide)
}

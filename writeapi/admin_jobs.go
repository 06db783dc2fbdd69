package writeapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/schedule"
)

// Messages of the jobs route.
const (
	jobsMsgStarted = "Job dijalankan"
	jobsMsgUnknown = "Job tidak dikenal"
	jobsMsgRunning = "Job masih berjalan; coba lagi setelah selesai"
)

// JobLauncher starts a job in the background (schedule.Scheduler
// satisfies it).
type JobLauncher interface {
	Launch(ctx context.Context, name string, args schedule.Args, done func(error)) error
}

// JobCommandDeps is what the jobs route uses. Background bounds the runs
// it starts (the process's lifetime, not the request's).
type JobCommandDeps struct {
	Jobs       JobLauncher
	Background context.Context
	Logger     *slog.Logger
}

// MountJobCommands adds POST /admin/jobs/{name}/run {client_id?,
// platform?} (admins): the job starts at once in the background, answered
// 202; 409 while it runs (here or on another instance), 404 for a job that
// does not exist. Its outcome is in the job's own records (a fetch's
// FetchRunCompleted events, the logs).
func MountJobCommands(r *auth.Router, d JobCommandDeps) {
	if d.Jobs == nil || d.Background == nil {
		panic("writeapi.MountJobCommands: Jobs and Background are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	wr := writer{log: d.Logger}
	r.Post("/admin/jobs/{name}/run", auth.Admins, func(w http.ResponseWriter, r *http.Request) {
		b, err := decodeBody(w, r)
		if err == nil {
			err = b.unknown(map[string]bool{"client_id": true, "platform": true})
		}
		var client, platform *string
		if err == nil {
			client, err = b.text("client_id")
		}
		if err == nil {
			platform, err = b.text("platform")
		}
		if err != nil {
			wr.fail(w, r, err)
			return
		}
		name := chi.URLParam(r, "name")
		args := schedule.Args{ClientID: strOr(client), Platform: strOr(platform)}
		// The run outlives the request but keeps its channel (audit).
		err = d.Jobs.Launch(commands.WithChannel(d.Background, commands.ChannelFrom(r.Context())), name, args, func(err error) {
			if err != nil {
				d.Logger.Error("job started over HTTP failed", "job", name, "err", err)
			}
		})
		switch {
		case errors.Is(err, schedule.ErrUnknownJob):
			wr.fail(w, r, apperr.New(apperr.NotFound, jobsMsgUnknown))
		case errors.Is(err, schedule.ErrRunning):
			wr.fail(w, r, apperr.New(apperr.Conflict, jobsMsgRunning))
		case err != nil:
			wr.fail(w, r, err)
		default:
			httpx.JSON(w, http.StatusAccepted, map[string]any{"success": true, "message": jobsMsgStarted, "job": name})
		}
	})
}

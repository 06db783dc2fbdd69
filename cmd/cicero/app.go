package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/readapi"
)

// App is the composition root of `cicero serve`: it owns every connection
// and runs the HTTP server, the projectors and the sagas until its context ends.
type App struct {
	cfg     config.Config
	log     *slog.Logger
	deps    *deps
	metrics *prometheus.Registry
	runtime *commands.Runtime
	http    *http.Server
	ln      net.Listener
}

// NewApp connects everything (creating the database, applying migrations and
// provisioning streams) and binds the HTTP port; Run starts the work.
func NewApp(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	d, err := openDeps(ctx, cfg, log, true, true)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: log, deps: d, metrics: prometheus.NewRegistry()}
	a.metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a.runtime = commands.NewRuntime(d.store, commands.NewPGCommandLog(d.pool), log)

	ln, err := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(cfg.Port)))
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("listen on PORT=%d: %w", cfg.Port, err)
	}
	a.ln = ln
	a.http = &http.Server{Handler: a.router(), ReadHeaderTimeout: 10 * time.Second}
	return a, nil
}

// Addr is the HTTP address actually bound (useful with PORT=0 in tests).
func (a *App) Addr() string { return a.ln.Addr().String() }

func (a *App) router() http.Handler {
	r := chi.NewRouter()
	r.Use(httpx.Recover(a.log), httpx.AccessLog(a.log))
	r.NotFound(httpx.NotFound)
	r.MethodNotAllowed(httpx.MethodNotAllowed)
	readapi.MountPlatform(r, a.readiness(), a.metrics)
	return r
}

func (a *App) readiness() map[string]readapi.Check {
	return map[string]readapi.Check{
		"nats": func(ctx context.Context) error {
			if !a.deps.nc.IsConnected() {
				return errors.New("not connected")
			}
			_, err := a.deps.store.JetStream().AccountInfo(ctx)
			return err
		},
		"postgres": func(ctx context.Context) error { return a.deps.pool.Ping(ctx) },
		"redis":    func(ctx context.Context) error { return a.deps.redis.Ping(ctx).Err() },
	}
}

// Run serves until ctx ends, then shuts down gracefully.
func (a *App) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() {
		a.log.Info("http listening", "addr", a.Addr())
		if err := a.http.Serve(a.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	select {
	case <-ctx.Done():
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return a.http.Shutdown(shutdown)
}

// Close releases every connection.
func (a *App) Close() { a.deps.Close() }

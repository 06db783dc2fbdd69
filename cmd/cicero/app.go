package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/inbound"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apispec"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/middleware"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/whatsapp"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/readapi/ops"
)

// App is the composition root of `cicero serve`: it owns every connection
// and runs the HTTP server, the projectors, the sagas and their dispatcher,
// and the scheduler until its context ends.
type App struct {
	cfg     config.Config
	log     *slog.Logger
	deps    *deps
	metrics *prometheus.Registry
	runtime *commands.Runtime
	cmdlog  *commands.BatchingCommandLog
	models  *projections.Manager
	// sagas run the contexts' sagas like projections (single active
	// instance each, checkpoint and outbox rows in one transaction); they
	// are not read models, so `cicero rebuild` never runs them.
	sagas    *projections.Manager
	dispatch *sagas.Dispatcher
	openapi  http.Handler
	authn    *auth.Authenticator
	routes   *auth.Routes // every /api route and who may call it
	wiring   *wiring
	jobs     *schedule.Scheduler
	// wa holds the WhatsApp sessions (nil with WA_SERVICE_SKIP_INIT).
	wa      *whatsapp.Manager
	waStore *whatsapp.Store
	// waRouter answers the sessions' inbound messages (nil without WhatsApp).
	waRouter *inbound.Router
	// life is the process's lifetime: jobs started over HTTP run in it.
	life context.Context
	stop context.CancelFunc
	http *http.Server
	ln   net.Listener
}

// NewApp connects everything (creating the database, applying migrations,
// checking the event streams) and binds the HTTP port; Run starts the work.
func NewApp(ctx context.Context, cfg config.Config, log *slog.Logger) (app *App, err error) {
	if cfg.JWTSecret == "" {
		return nil, errors.New("JWT_SECRET is required: set it in the environment (make run generates a local one under DATA_DIR)")
	}
	d, err := openDeps(ctx, cfg, log, true, true)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: log, deps: d, metrics: prometheus.NewRegistry()}
	defer func() {
		if err != nil {
			if a.cmdlog != nil {
				_ = a.cmdlog.Close()
			}
			if a.waStore != nil {
				_ = a.waStore.Close()
			}
			d.Close()
		}
	}()
	a.metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	pm, err := projections.NewMetrics(a.metrics)
	if err != nil {
		return nil, err
	}
	if err := sagas.RegisterOutboxMetrics(a.metrics, d.pool); err != nil {
		return nil, fmt.Errorf("outbox metrics: %w", err)
	}
	runnerOpts := projections.RunnerOptions{BatchSize: cfg.ProjectionBatch, Metrics: pm, Logger: log}
	if a.models, err = projections.NewManager(d.pool, d.store, runnerOpts, readModels(d.store.Registry())...); err != nil {
		return nil, err
	}
	if a.authn, err = auth.New(d.redis, auth.Options{Secret: []byte(cfg.JWTSecret), SecureCookie: cfg.CookieSecure}); err != nil {
		return nil, err
	}
	if err := a.openWhatsApp(ctx); err != nil {
		return nil, err
	}
	// Jobs issue their commands through their own runtime (newScheduler).
	if a.jobs, err = newScheduler(&wiring{cfg: cfg, log: log, pool: d.pool, store: d.store, wa: a.wa}); err != nil {
		return nil, err
	}
	spec, err := apispec.Load()
	if err != nil {
		return nil, err
	}
	if a.openapi, err = apispec.Handler(spec); err != nil {
		return nil, err
	}
	a.cmdlog = commands.NewBatchingCommandLog(d.pool, commands.BatchOptions{Logger: log})
	a.runtime = commands.NewRuntime(d.store, a.cmdlog, log)
	a.life, a.stop = context.WithCancel(context.WithoutCancel(ctx))
	a.wiring = &wiring{cfg: cfg, log: log, pool: d.pool, store: d.store, redis: d.redis, runtime: a.runtime,
		authn: a.authn, models: a.models, deliveries: sagas.NewDeliveries(d.pool), jobs: a.jobs, background: a.life, wa: a.wa}
	if err := a.messaging(runnerOpts); err != nil {
		return nil, err
	}
	if err := a.routeWhatsApp(); err != nil {
		return nil, err
	}
	handler, err := a.router()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(cfg.Port)))
	if err != nil {
		return nil, fmt.Errorf("listen on PORT=%d: %w", cfg.Port, err)
	}
	a.ln = ln
	a.http = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	return a, nil
}

// messaging builds the side-effect half: the message key, the senders, the
// saga runners and the dispatcher that drains the outbox.
func (a *App) messaging(opts projections.RunnerOptions) error {
	w := a.wiring
	var err error
	if w.seal, err = newSealBox(a.cfg); err != nil {
		return err
	}
	if w.senders, err = newSenders(a.cfg, a.wa); err != nil {
		return err
	}
	if err := addGoogleSenders(w); err != nil {
		return err
	}
	ss, err := allSagas(w)
	if err != nil {
		return err
	}
	reg := a.deps.store.Registry()
	ps := make([]projections.Projection, len(ss))
	for i, s := range ss {
		ps[i] = s.Projection(reg, time.Now)
	}
	if a.sagas, err = projections.NewManager(a.deps.pool, a.deps.store, opts, ps...); err != nil {
		return fmt.Errorf("sagas: %w", err)
	}
	a.dispatch, err = sagas.NewDispatcher(a.deps.pool, a.deps.store, w.senders, a.log, sagas.DispatcherOptions{Open: w.seal.Open})
	if err != nil {
		return err
	}
	return nil
}

// Addr is the HTTP address actually bound (useful with PORT=0 in tests).
func (a *App) Addr() string { return a.ln.Addr().String() }

func (a *App) router() (http.Handler, error) {
	var mountErr error
	r := chi.NewRouter()
	clientIP := middleware.ClientIP(parsePrefixes(a.cfg.TrustedProxies, a.log))
	r.Use(httpx.Recover(a.log), httpx.AccessLog(a.log), middleware.WithClientIP(clientIP),
		middleware.EnvGuard(a.log),
		middleware.CORS(middleware.CORSConfig{Origins: middleware.ParseOrigins(a.cfg.CORSOrigin)}),
		middleware.BodyLimit(a.cfg.BodyLimit, a.log))
	r.NotFound(httpx.NotFound)
	r.MethodNotAllowed(httpx.MethodNotAllowed)
	readapi.MountPlatform(r, a.readiness(), a.metrics)
	r.Method(http.MethodGet, "/ops", a.opsPage()) // ops.go
	// The pairing QR is for admins too.
	r.Method(http.MethodGet, "/ops/whatsapp/{session}/qr.png", ops.RequireAdmin(a.authn, a.log, http.HandlerFunc(a.whatsappQR)))
	r.Method(http.MethodPost, "/ops/whatsapp/{session}/pair", ops.RequireAdmin(a.authn, a.log, http.HandlerFunc(a.whatsappPair)))
	r.Method(http.MethodGet, "/openapi.yaml", a.openapi)
	a.routes = auth.NewRoutes()
	routes := a.routes
	resolve := func(method, path string) string { return r.Find(chi.NewRouteContext(), method, path) }
	r.Route("/api", func(api chi.Router) {
		// Identity and the route's rule first, then the Idempotency-Key and
		// de-duplication (both keyed on the caller), then the read-your-writes
		// wait.
		api.Use(middleware.Access(middleware.AccessConfig{Auth: a.authn, Log: a.log, Routes: routes, Resolve: resolve,
			Reload: access.NewPrincipalReloader(a.deps.pool, nil).Reload}))
		api.Use(middleware.Idempotency(middleware.IdempotencyConfig{Redis: a.deps.redis,
			Secret: derivedSecret(a.cfg.JWTSecret, "idempotency"), ClientIP: clientIP, Log: a.log}))
		api.Use(middleware.Dedup(middleware.DedupConfig{Redis: a.deps.redis, Disabled: a.cfg.AllowDuplicateRequests,
			Secret:   derivedSecret(a.cfg.JWTSecret, "dedup"),
			ClientIP: clientIP, Log: a.log}))
		api.Use(readapi.MinPosition(readModelsWaiter{a.models}, a.cfg.ReadWaitMax, a.log))
		api.Use(commandChannel(commands.ChannelHTTP)) // audit: events record the channel
		api.NotFound(httpx.NotFound)
		mountErr = mountContexts(a.wiring, auth.NewRouter(api, "/api", routes))
	})
	return r, mountErr
}

// parsePrefixes reads TRUSTED_PROXIES (addresses or CIDR prefixes, comma
// separated); bad entries are logged and skipped.
func parsePrefixes(s string, log *slog.Logger) []netip.Prefix {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			if a, err := netip.ParseAddr(f); err == nil {
				out = append(out, netip.PrefixFrom(a, a.BitLen()))
				continue
			}
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			log.Warn("TRUSTED_PROXIES entry ignored", "entry", f)
			continue
		}
		out = append(out, p)
	}
	return out
}

// readModelsWaiter makes every read wait for all read models that follow
// the written streams (a read does not name the model it reads).
type readModelsWaiter struct{ m *projections.Manager }

func (w readModelsWaiter) WaitFor(ctx context.Context, ps []events.Position) error {
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(5 * time.Second)
	}
	return w.m.WaitForAll(ctx, ps, time.Until(dl))
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

// Run serves until ctx ends, then shuts down gracefully: the HTTP server
// first, then the projections, sagas and dispatcher (which record what
// they have in hand) and the scheduler.
func (a *App) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 5)
	var workers sync.WaitGroup
	defer workers.Wait()
	loops := map[string]func(context.Context) error{
		"projections": a.models.Run, "sagas": a.sagas.Run, "dispatcher": a.dispatch.Run,
	}
	if a.wa != nil {
		loops["whatsapp"] = a.wa.Run // connects the paired sessions; disconnects at shutdown
	}
	for name, run := range loops {
		workers.Go(func() {
			if err := run(ctx); err != nil {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		})
	}
	if a.cfg.SchedulerEnabled {
		if err := a.jobs.Start(ctx); err != nil {
			return fmt.Errorf("scheduler: %w", err)
		}
	} else {
		a.log.Info("scheduler off (SCHEDULER_ENABLED=false): jobs run only on request")
	}
	defer func() { cancel(); a.stop(); a.jobs.Wait() }()
	go func() {
		a.log.Info("http listening", "addr", a.Addr())
		if err := a.http.Serve(a.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("http: %w", err)
		}
	}()
	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	shutdown, cancelShutdown := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelShutdown()
	err := a.http.Shutdown(shutdown)
	a.stop() // jobs started over HTTP end with the process
	return err
}

// Close writes the command outcomes still queued, then releases every
// connection.
func (a *App) Close() {
	if a.stop != nil {
		a.stop()
	}
	if a.waRouter != nil {
		a.waRouter.Wait() // a savecontact still running finishes
	}
	if err := a.cmdlog.Close(); err != nil {
		a.log.Warn("command log flush failed", "err", err)
	}
	if a.waStore != nil {
		_ = a.waStore.Close()
	}
	a.deps.Close()
}

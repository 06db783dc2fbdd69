package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/wasession"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/whatsapp"
	"github.com/cicero/cicero/sagas/jobs"
)

// waDevices are the sessions' device ids from the configuration.
func waDevices(cfg config.Config) whatsapp.Devices {
	return whatsapp.Devices{Main: cfg.WAMainClientID, User: cfg.WAUserClientID, Gateway: cfg.WAGatewayClientID}
}

// newWhatsApp opens the device store (bringing whatsmeow's tables up to
// date) and builds the session manager, which records pairings and logouts
// through rt. Nothing connects until Run, Pair or ConnectSession. The
// caller closes the store.
func newWhatsApp(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, rt *commands.Runtime, log *slog.Logger) (*whatsapp.Manager, *whatsapp.Store, error) {
	st, err := whatsapp.OpenStore(ctx, pool, log)
	if err != nil {
		return nil, nil, err
	}
	// Inbound messages go to serve's router (routeWhatsApp, SetHandler).
	m, err := whatsapp.NewManager(whatsapp.Options{Devices: waDevices(cfg), Store: st,
		Lifecycle: wasession.NewLifecycle(rt), DedupTTL: cfg.WADedupTTL(), Logger: log})
	if err != nil {
		_ = st.Close()
		return nil, nil, err
	}
	return m, st, nil
}

// openWhatsApp gives serve its WhatsApp manager and its metrics, unless
// WA_SERVICE_SKIP_INIT leaves WhatsApp to another instance.
func (a *App) openWhatsApp(ctx context.Context) error {
	if a.cfg.WASkipInit {
		a.log.Info("WhatsApp off in this instance (WA_SERVICE_SKIP_INIT)")
		return nil
	}
	// Its own runtime with a direct command log: pairings and logouts are
	// rare, and the manager is made before serve's batching runtime.
	rt := commands.NewRuntime(a.deps.store, commands.NewPGCommandLog(a.deps.pool), a.log)
	var err error
	if a.wa, a.waStore, err = newWhatsApp(ctx, a.cfg, a.deps.pool, rt, a.log); err != nil {
		return fmt.Errorf("whatsapp: %w", err)
	}
	return a.wa.RegisterMetrics(a.metrics)
}

// waReadiness is what jobs wait on before queueing WhatsApp messages: the
// manager in serve; nil elsewhere (`cicero job run` has no sessions, so
// its messages wait in the outbox for serve's).
func (w *wiring) waReadiness() jobs.Readiness {
	if w.wa == nil {
		return nil
	}
	return w.wa
}

// whatsappStatuses is /ops's view of the sessions (none when off).
func (a *App) whatsappStatuses() []whatsapp.SessionStatus {
	if a.wa == nil {
		return []whatsapp.SessionStatus{}
	}
	return a.wa.Statuses()
}

// whatsappQR serves GET /ops/whatsapp/{session}/qr.png.
func (a *App) whatsappQR(w http.ResponseWriter, r *http.Request) {
	if a.wa == nil {
		httpx.NotFound(w, r)
		return
	}
	a.wa.QRHandler(func(r *http.Request) string { return chi.URLParam(r, "session") }).ServeHTTP(w, r)
}

// routeWhatsApp hands the sessions' inbound messages to the menus' router
// (sagas/inbound), built from the wiring; before Run connects anything.
func (a *App) routeWhatsApp() error {
	if a.wa == nil {
		return nil
	}
	r, err := newWhatsAppRouter(a.wiring)
	if err != nil {
		return err
	}
	a.waRouter = r
	a.wa.SetHandler(whatsappChannel(r)) // audit: commands from chats record channel whatsapp
	return nil
}

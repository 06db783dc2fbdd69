package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

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

// whatsappPair serves POST /ops/whatsapp/{session}/pair: a pairing starts
// in serve and its codes wait at qr.png. A browser's form (the /ops
// button) is sent back to /ops; JSON callers get 202 and the QR's path.
func (a *App) whatsappPair(w http.ResponseWriter, r *http.Request) {
	if a.wa == nil {
		httpx.JSON(w, http.StatusNotFound, httpx.ErrorBody{Message: "WhatsApp tidak aktif pada instance ini (WA_SERVICE_SKIP_INIT)"})
		return
	}
	name := chi.URLParam(r, "session")
	if !whatsapp.ValidSession(name) {
		httpx.JSON(w, http.StatusNotFound, httpx.ErrorBody{Message: "Sesi WhatsApp tidak dikenal"})
		return
	}
	err := a.wa.StartPair(r.Context(), name, whatsapp.PairOptions{})
	switch {
	case errors.Is(err, whatsapp.ErrAlreadyPaired):
		httpx.JSON(w, http.StatusConflict, httpx.ErrorBody{Message: "Sesi sudah tertaut ke perangkat; jalankan cicero wa-logout " + name + " dulu"})
		return
	case errors.Is(err, whatsapp.ErrPairing):
		httpx.JSON(w, http.StatusConflict, httpx.ErrorBody{Message: "Penautan sesi ini sedang berjalan"})
		return
	case errors.Is(err, whatsapp.ErrNotRunning):
		httpx.JSON(w, http.StatusServiceUnavailable, httpx.ErrorBody{Message: "WhatsApp belum berjalan; coba lagi sebentar lagi"})
		return
	case err != nil:
		httpx.Error(w, r, a.log, fmt.Errorf("start pairing %s: %w", name, err))
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		httpx.JSON(w, http.StatusAccepted, map[string]any{"success": true, "session": name,
			"qr": "/ops/whatsapp/" + name + "/qr.png"})
		return
	}
	http.Redirect(w, r, "/ops", http.StatusSeeOther)
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

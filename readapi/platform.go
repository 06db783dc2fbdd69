// Package readapi serves dashboards from read models only. This file holds
// the platform routes every deployment answers: liveness, readiness, metrics.
package readapi

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cicero/cicero/internal/httpx"
)

// Check reports whether one dependency is reachable.
type Check func(ctx context.Context) error

// MountPlatform adds /, /healthz, /readyz and /metrics to r.
func MountPlatform(r chi.Router, checks map[string]Check, reg *prometheus.Registry) {
	status := func(w http.ResponseWriter, _ *http.Request) {
		httpx.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}
	r.Get("/", status)
	r.Post("/", status)
	r.Get("/healthz", status)
	r.Get("/readyz", func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
		defer cancel()
		names := make([]string, 0, len(checks))
		for n := range checks {
			names = append(names, n)
		}
		sort.Strings(names)
		out := map[string]string{}
		ok := true
		for _, n := range names {
			if err := checks[n](ctx); err != nil {
				// The reason stays in the log; the body only says which failed.
				out[n] = "unavailable"
				ok = false
				continue
			}
			out[n] = "ok"
		}
		code := http.StatusOK
		if !ok {
			code = http.StatusServiceUnavailable
		}
		httpx.JSON(w, code, map[string]any{"status": map[bool]string{true: "ready", false: "not ready"}[ok], "checks": out})
	})
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
}

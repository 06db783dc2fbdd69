package apitest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/middleware"
)

// TestStackOptions: each option changes the router the rigs stand on the
// way it says, and the defaults are the composition root's. The rigs'
// tests rely on these (a duplicate refused, a reloaded account refused), so
// a wiring slip would otherwise show up only as puzzling failures there.
func TestStackOptions(t *testing.T) {
	t.Parallel()
	big := `{"pad":"` + strings.Repeat("x", int(middleware.DefaultBodyLimit)) + `"}`
	for _, tc := range []struct {
		name        string
		opts        StackOptions
		second      int // a repeat of an identical POST
		oversized   int // a body over the default limit
		goneAccount int // a dashboard token whose account is not in the read model
	}{
		{"defaults", StackOptions{}, http.StatusTooManyRequests, http.StatusOK, http.StatusOK},
		{"no dedup", StackOptions{NoDedup: true}, http.StatusOK, http.StatusOK, http.StatusOK},
		{"body limit", StackOptions{BodyLimit: true}, http.StatusTooManyRequests, http.StatusRequestEntityTooLarge, http.StatusOK},
		{"reload principals", StackOptions{ReloadPrincipals: true}, http.StatusTooManyRequests, http.StatusOK, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewStack(t, tc.opts)
			s.Serve(func(api *auth.Router) {
				api.Post("/probe", auth.Dashboard, func(w http.ResponseWriter, _ *http.Request) {
					httpx.JSON(w, http.StatusOK, map[string]any{"success": true})
				})
			})
			admin := s.Token(auth.KindDashboard, auth.Claims{DashboardUserID: uuid.NewString(), Username: "admin",
				Role: "admin", ClientIDs: []string{"POLRES_A"}})
			// The probe route is not in the OpenAPI document.
			post := func(body string) int {
				res, _ := Send(t, http.DefaultClient, http.MethodPost, s.Srv.URL+"/api/probe", strings.NewReader(body), admin)
				return res.StatusCode
			}
			if got := post(`{"n":1}`); got != tc.goneAccount {
				t.Fatalf("dashboard token of an account not in the read model: %d, want %d", got, tc.goneAccount)
			}
			if tc.goneAccount != http.StatusOK {
				return // the remaining probes need a caller that gets through
			}
			if got := post(`{"n":1}`); got != tc.second {
				t.Errorf("repeated POST: %d, want %d", got, tc.second)
			}
			if got := post(big); got != tc.oversized {
				t.Errorf("oversized body: %d, want %d", got, tc.oversized)
			}
		})
	}
}

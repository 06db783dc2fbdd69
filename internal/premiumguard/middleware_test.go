package premiumguard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cicero/cicero/projections/premium"

	"github.com/google/uuid"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/internal/testkit"
)

func TestMiddleware(t *testing.T) {
	pool, _ := testkit.NewDatabase(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	ids := map[string]string{}
	// sub inserts a subscription row of a fresh user. The guard reads the
	// one active at now, else the one still active by status (its expiry
	// job has not run yet), else none.
	sub := func(name, tier, status string, expires time.Time) {
		id := uuid.NewString()
		ids[name] = id
		_, err := pool.Exec(ctx, `INSERT INTO premium_subscriptions (subscription_id, dashboard_user_id, tier, status,
			started_at, expires_at, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $5, $5)`,
			uuid.NewString(), id, tier, status, now.Add(-time.Hour), expires)
		if err != nil {
			t.Fatal(err)
		}
	}
	sub("premium", "Tier1", "active", now.Add(24*time.Hour))
	sub("gold", "gold", "active", now.Add(24*time.Hour))
	sub("lapsed", "tier1", "expired", now.Add(-time.Second)) // ended by the expiry job
	sub("expired", "tier1", "active", now.Add(-time.Minute)) // past its expiry, job not run yet
	ids["none"] = uuid.NewString()

	guard := premiumguard.Middleware(premium.NewQueries(pool), premiumguard.ParseTiers(""),
		func() time.Time { return now }, testkit.Logger(t))
	handler := guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, _ := premiumguard.Granted(r.Context())
		httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "tier": g.PremiumTier})
	}))
	// The test's stand-in for the access layer: X-Who names the caller.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch who := r.Header.Get("X-Who"); who {
		case "":
		case "client":
			r = r.WithContext(auth.WithPrincipal(r.Context(), &auth.Principal{Kind: auth.KindClient, ID: "POLRESA"}))
		default:
			r = r.WithContext(auth.WithPrincipal(r.Context(), &auth.Principal{Kind: auth.KindDashboard, ID: ids[who]}))
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	exp := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	cases := []struct {
		who     string
		status  int
		message string
		tier    any
		expires any
	}{
		{"", 401, premiumguard.MsgUnauthorized, nil, nil},
		{"premium", 200, "", "tier1", nil},
		{"gold", 403, premiumguard.MsgTierNotAllowed, "gold", exp(24 * time.Hour)},
		{"lapsed", 403, premiumguard.MsgRequired, nil, nil},
		{"expired", 403, premiumguard.MsgExpired, "tier1", exp(-time.Minute)},
		{"none", 403, premiumguard.MsgRequired, nil, nil},
		{"client", 403, premiumguard.MsgRequired, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.who, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/dashboard/anev", nil)
			req.Header.Set("X-Who", c.who)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d (%v)", res.StatusCode, c.status, body)
			}
			if c.status == 200 {
				if body["tier"] != c.tier {
					t.Fatalf("handler saw tier %v, want %v", body["tier"], c.tier)
				}
				return
			}
			if body["success"] != false || body["message"] != c.message {
				t.Fatalf("body %v, want message %q", body, c.message)
			}
			if c.status == 403 {
				for _, k := range []string{"premium_tier", "premium_expires_at", "expires_at"} {
					if _, ok := body[k]; !ok {
						t.Fatalf("403 lacks %s: %v", k, body)
					}
				}
				if body["premium_tier"] != c.tier || body["premium_expires_at"] != c.expires || body["expires_at"] != c.expires {
					t.Fatalf("body %v, want tier %v expiry %v", body, c.tier, c.expires)
				}
			}
		})
	}
}

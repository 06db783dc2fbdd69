package premiumguard

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
)

// SnapshotReader loads a dashboard user's premium snapshot at now
// (premium.Queries satisfies it).
type SnapshotReader interface {
	Snapshot(ctx context.Context, dashboardUserID string, now time.Time) (Snapshot, error)
}

// Middleware is the legacy dashboardPremiumGuard (spec access.md §3.3) for
// GET /api/dashboard/anev and its export. It sits behind the access layer:
//   - no principal → 401 {"success":false,"message":"Unauthorized"};
//   - the snapshot is always read from the read model (the legacy guard
//     refreshed it whenever a cached field was blank; the token's copy is
//     never trusted, so a grant or revocation counts at once);
//   - Decide refuses → 403 with premium_tier, premium_expires_at and
//     expires_at;
//   - allowed → the handler runs, Granted(ctx) holding the decision.
//
// Only dashboard accounts hold dashboard premium: any other kind of caller
// is refused as having none. allowed goes through NormalizeTiers (nil:
// DefaultTiers); now nil is time.Now. A read-model failure is a 500.
func Middleware(snapshots SnapshotReader, allowed []string, now func() time.Time, log *slog.Logger) func(http.Handler) http.Handler {
	tiers := NormalizeTiers(allowed)
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, ok := auth.FromContext(r.Context())
			if !ok {
				httpx.JSON(w, http.StatusUnauthorized, httpx.ErrorBody{Message: MsgUnauthorized})
				return
			}
			at := now()
			var snap Snapshot
			if p.Kind == auth.KindDashboard {
				var err error
				if snap, err = snapshots.Snapshot(r.Context(), p.ID, at); err != nil {
					httpx.Error(w, r, log, fmt.Errorf("premium guard: %w", err))
					return
				}
			}
			allowedNow, body := Decide(snap, tiers, at)
			if !allowedNow {
				httpx.JSON(w, http.StatusForbidden, body)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), grantedKey{}, body)))
		})
	}
}

type grantedKey struct{}

// Granted returns the guard's decision for a request it let through
// (legacy req.premiumGuard: status, lower-cased tier, expiry).
func Granted(ctx context.Context) (Body, bool) {
	b, ok := ctx.Value(grantedKey{}).(Body)
	return b, ok
}

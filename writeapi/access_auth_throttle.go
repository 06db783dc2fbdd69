package writeapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/middleware"
)

// Login throttling (issue 8 §6): every login and every well-formed
// password-reset request counts against the account and the client address
// (middleware.RequestClientIP, TRUSTED_PROXIES-aware) through
// auth.Throttle; past the free attempts the caller waits. A throttled
// attempt answers 429 with Retry-After before any account is read, and
// Redis being unreachable refuses the attempt (500) rather than let it
// through uncounted.
const authMsgThrottled = "Terlalu banyak percobaan. Silakan coba lagi dalam %d detik."

// allowAttempt counts one attempt of flow on account; false when it has
// answered (429 or 500).
func allowAttempt(w http.ResponseWriter, r *http.Request, d AuthDeps, flow, account string) bool {
	wait, err := d.Throttle.Attempt(r.Context(), flow, account, middleware.RequestClientIP(r))
	if err != nil {
		httpx.Fail(w, r, d.Logger, "login throttle", err, http.StatusInternalServerError,
			httpx.ErrorBody{Success: false, Message: authMsgServer})
		return false
	}
	if wait > 0 {
		secs := auth.RetryAfterSeconds(wait)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		authFail(w, http.StatusTooManyRequests, fmt.Sprintf(authMsgThrottled, secs))
		return false
	}
	return true
}

// loginSucceeded forgets the account's attempts of flow. A failure is
// logged: the login stands, and the count expires on its own.
func loginSucceeded(ctx context.Context, d AuthDeps, flow, account string) {
	if err := d.Throttle.Succeeded(context.WithoutCancel(ctx), flow, account); err != nil {
		d.Logger.Warn("login throttle: forget the account's attempts", "flow", flow, "err", err)
	}
}

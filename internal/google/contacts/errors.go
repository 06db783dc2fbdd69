package contacts

import (
	"errors"
	"net/http"
	"slices"

	"cloud.google.com/go/auth"
	"google.golang.org/api/googleapi"
)

// ErrCoolingDown: Google refused our credentials or quota a short while
// ago, so the saver did not call it. Try again after the cooldown.
var ErrCoolingDown = errors.New("google contacts cooling down after an auth or quota refusal")

// ErrPermanent marks a failure that retrying cannot fix: a number too short
// to be one, or a request Google rejected as such (4xx other than 429).
var ErrPermanent = errors.New("permanent contact failure")

// quotaReasons are the error reasons Google gives for rate and quota limits;
// some APIs send them with 403 rather than 429.
var quotaReasons = []string{"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded", "RESOURCE_EXHAUSTED"}

// kind of a failed call.
type kind int

const (
	retryable kind = iota // network, 5xx: try again
	permanent             // 4xx: the request is wrong
	quota                 // 429 and quota reasons: cool down, then try again
	authFail              // our credentials: cool down, the request itself is not at fault
)

// classify reads a People API call's error.
func classify(err error) kind {
	var ae *auth.Error
	if errors.As(err, &ae) {
		// The token exchange failed: bad or revoked credentials, or the
		// token server is down.
		return authFail
	}
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return retryable
	}
	switch {
	case ge.Code == http.StatusTooManyRequests:
		return quota
	case ge.Code == http.StatusForbidden && slices.ContainsFunc(ge.Errors, func(e googleapi.ErrorItem) bool {
		return slices.Contains(quotaReasons, e.Reason)
	}):
		return quota
	case ge.Code == http.StatusUnauthorized:
		return authFail
	case ge.Code >= 400 && ge.Code < 500:
		return permanent
	}
	return retryable
}

package readapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/httpx"
)

// MinPositionHeader carries the positions a write answered with; a read that
// sends it waits (bounded) until the read models have applied them.
const MinPositionHeader = "X-Cicero-Min-Position"

// ConsistencyHeader tells the client whether the wait was satisfied
// ("caught-up") or ran out of time and the answer may predate its write ("stale").
const ConsistencyHeader = "X-Cicero-Consistency"

// PositionWaiter blocks until the read models have passed every position.
type PositionWaiter interface {
	WaitFor(ctx context.Context, positions []events.Position) error
}

// ParsePositions reads "STREAM:SEQ[,STREAM:SEQ…]".
func ParsePositions(s string) ([]events.Position, error) {
	var out []events.Position
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		stream, seq, ok := strings.Cut(part, ":")
		n, err := strconv.ParseUint(seq, 10, 64)
		if !ok || stream == "" || err != nil {
			return nil, apperr.Invalidf("min_position", "min_position tidak valid: gunakan STREAM:SEQ, mis. DIRECTORY:42")
		}
		out = append(out, events.Position{Stream: strings.ToUpper(stream), Sequence: n})
	}
	return out, nil
}

// FormatPositions is the inverse of ParsePositions, for write responses.
func FormatPositions(ps []events.Position) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s:%d", p.Stream, p.Sequence)
	}
	return strings.Join(parts, ",")
}

// MinPosition makes reads wait for X-Cicero-Min-Position (or ?min_position=)
// for at most max. A wait that runs out still answers, marked stale, because
// a dashboard prefers slightly old figures to an error.
func MinPosition(w PositionWaiter, max time.Duration, log interface {
	Warn(string, ...any)
}) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			raw := r.Header.Get(MinPositionHeader)
			if raw == "" {
				raw = r.URL.Query().Get("min_position")
			}
			if raw == "" {
				next.ServeHTTP(rw, r)
				return
			}
			ps, err := ParsePositions(raw)
			if err != nil {
				httpx.JSON(rw, http.StatusBadRequest, httpx.ErrorBody{Message: apperr.MessageOf(err)})
				return
			}
			ctx, cancel := context.WithTimeout(r.Context(), max)
			err = w.WaitFor(ctx, ps)
			cancel()
			switch {
			case err == nil:
				rw.Header().Set(ConsistencyHeader, "caught-up")
			case errors.Is(err, context.DeadlineExceeded):
				rw.Header().Set(ConsistencyHeader, "stale")
			case r.Context().Err() != nil:
				return // client went away
			default:
				log.Warn("min position wait failed", "err", err)
				rw.Header().Set(ConsistencyHeader, "stale")
			}
			next.ServeHTTP(rw, r)
		})
	}
}

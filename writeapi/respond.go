package writeapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/httpx"
)

// PositionHeader carries, on a write's answer, the stream positions the
// write appended ("STREAM:SEQ,…"); a later read sends them back as
// X-Cicero-Min-Position to see its own write.
const PositionHeader = "X-Cicero-Position"

// ConsistencyHeader is "stale" on a write whose answer could not yet show
// its own effect (the read model lagged past the wait); data is then null.
const ConsistencyHeader = "X-Cicero-Consistency"

// FormatPositions writes positions as "STREAM:SEQ,…", the form
// readapi.ParsePositions reads (kept here so writeapi need not import readapi).
func FormatPositions(ps []events.Position) string {
	return strings.Join(positionStrings(ps), ",")
}

func positionStrings(ps []events.Position) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("%s:%d", p.Stream, p.Sequence)
	}
	return out
}

// respond writes a command's success: {"success":true,"data":data,
// "positions":["STREAM:SEQ",…]} with status, and the positions also in
// X-Cicero-Position (absent when nothing was appended).
func respond(w http.ResponseWriter, status int, data any, ps []events.Position) {
	if len(ps) > 0 {
		w.Header().Set(PositionHeader, FormatPositions(ps))
	}
	httpx.JSON(w, status, map[string]any{"success": true, "data": data, "positions": positionStrings(ps)})
}

// expectedVersion reads the optional optimistic-concurrency check of a
// write: the If-Match header (a bare or quoted number, or W/"n") or the
// body's expected_version. Nil when the caller names none; both naming
// different versions is a 400, not a silent choice.
func expectedVersion(r *http.Request, body *uint64) (*uint64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return body, nil
	}
	h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, err := strconv.ParseUint(h, 10, 64)
	if err != nil {
		return nil, apperr.Invalidf("If-Match", "If-Match harus berupa versi (angka)")
	}
	if body != nil && *body != v {
		return nil, apperr.Invalidf("If-Match", "If-Match dan expected_version berbeda")
	}
	return &v, nil
}

// requestVersion is a write's optimistic-concurrency check from either
// place a caller may name it: the body's expected_version or If-Match.
func requestVersion(r *http.Request, b rawBody) (*uint64, error) {
	v, err := b.version()
	if err != nil {
		return nil, err
	}
	return expectedVersion(r, v)
}

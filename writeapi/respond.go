package writeapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
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

// Waiter blocks until a read model has applied positions, bounded by the
// request's context and the configured maximum (READ_WAIT_MAX). A nil
// Waiter waits for nothing.
type Waiter func(ctx context.Context, ps []events.Position) error

// writer is the one answer path of every write API (each embeds one): wait
// for the write's own positions on the read model its caller reads next,
// answer the refreshed state or, when the read model lagged past the bound,
// no state flagged stale (never the state from before the write), and map
// errors to statuses in one place.
type writer struct {
	log  *slog.Logger
	wait Waiter
}

// fail answers err through the one status mapping (a stale expected
// version is commands.ErrConflict → 409; a system command that kept
// conflicting is 503).
func (wr writer) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.Error(w, r, wr.log, err)
}

// callerWhere returns the caller when allowed says so, else answers 403
// with forbidden. Routes declare who may call them; handlers check again
// with this so the rule stays with them whatever the route table says.
func (wr writer) callerWhere(w http.ResponseWriter, r *http.Request, allowed func(*auth.Principal) bool, forbidden string) (*auth.Principal, bool) {
	p, ok := principalOf(w, r)
	if !ok {
		return nil, false
	}
	if !allowed(p) {
		wr.fail(w, r, apperr.New(apperr.Forbidden, forbidden))
		return nil, false
	}
	return p, true
}

// caughtUp waits for ps and reports whether the read model shows them.
// Nothing appended (a repeat, a no-op) is caught up at once.
func (wr writer) caughtUp(r *http.Request, ps []events.Position) bool {
	if len(ps) == 0 || wr.wait == nil {
		return true
	}
	if err := wr.wait(r.Context(), ps); err != nil {
		wr.log.Warn("write answered before its read model caught up", "path", r.URL.Path, "err", err)
		return false
	}
	return true
}

// written is one write's answer.
type written struct {
	status int
	ps     []events.Position
	// fields are the body's fields as answered before any read model is
	// consulted: null placeholders for the state fill adds, a message.
	fields map[string]any
	// fill reads the refreshed state into the body once the read model has
	// the write; nil when the answer needs none. found false (the model
	// does not show the row) is answered stale, not as a failure of a
	// write that succeeded.
	fill func(ctx context.Context, body map[string]any) (found bool, err error)
}

// done answers a write: {"success":true, …fields, "positions":[…]} with
// the positions also in X-Cicero-Position, and X-Cicero-Consistency: stale
// when the read model did not show the write within the bound.
func (wr writer) done(w http.ResponseWriter, r *http.Request, a written) {
	wr.answer(w, r, a, wr.caughtUp(r, a.ps))
}

// answer is done for a caller that already waited (caughtUp is what the
// wait found), e.g. to act between the wait and the answer.
func (wr writer) answer(w http.ResponseWriter, r *http.Request, a written, caughtUp bool) {
	body := map[string]any{}
	for k, v := range a.fields {
		body[k] = v
	}
	stale := !caughtUp
	if !stale && a.fill != nil {
		found, err := a.fill(r.Context(), body)
		if err != nil {
			wr.fail(w, r, err)
			return
		}
		if !found {
			stale = true
			for k, v := range a.fields {
				body[k] = v
			}
		}
	}
	setWriteHeaders(w, a.ps, !stale)
	body["success"] = true
	body["positions"] = positionStrings(a.ps)
	httpx.JSON(w, a.status, body)
}

// setWriteHeaders sets what every write answer carries, whatever its body's
// legacy shape: the positions it appended and, when its read model did not
// show them within the bound, X-Cicero-Consistency: stale.
func setWriteHeaders(w http.ResponseWriter, ps []events.Position, caughtUp bool) {
	if !caughtUp {
		w.Header().Set(ConsistencyHeader, "stale")
	}
	if len(ps) > 0 {
		w.Header().Set(PositionHeader, FormatPositions(ps))
	}
}

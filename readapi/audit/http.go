package audit

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"log/slog"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	auditidx "github.com/cicero/cicero/projections/audit"
)

// More bad-input messages of the routes.
const (
	MsgLimit     = "limit harus bilangan bulat 1 sampai 500"
	MsgCursor    = "cursor tidak valid"
	MsgStream    = "stream tidak dikenal"
	MsgType      = "type tidak dikenal"
	MsgSince     = "since harus berupa waktu RFC 3339 atau tanggal YYYY-MM-DD"
	MsgUntil     = "until harus berupa waktu RFC 3339 atau tanggal YYYY-MM-DD"
	MsgRangeFlip = "since tidak boleh setelah until"
	MsgBefore    = "before harus bilangan bulat positif"
)

// Mount adds the audit routes under /api/audit, admins only.
func Mount(api *auth.Router, s *Service, log *slog.Logger) {
	h := &handlers{s: s, log: log}
	api.Get("/audit/history/{kind}/{id}", auth.Admins, h.history)
	api.Get("/audit/state/{kind}/{id}", auth.Admins, h.state)
	api.Get("/audit/diff/{kind}/{id}", auth.Admins, h.diff)
	api.Get("/audit/events", auth.Admins, h.events)
	api.Get("/audit/aggregates", auth.Admins, h.aggregates)
	api.Get("/audit/why/{nrp}", auth.Admins, h.why)
	api.Get("/audit/reads", auth.Admins, h.reads)
}

type handlers struct {
	s   *Service
	log *slog.Logger
}

// answer logs the read, then writes data; a read that could not be logged
// is answered 500 without its data.
func (h *handlers) answer(w http.ResponseWriter, r *http.Request, query string, params map[string]any, n int, data any) {
	actor := ""
	if p, ok := auth.FromContext(r.Context()); ok {
		actor = p.Actor()
	}
	if err := h.s.LogRead(r.Context(), actor, "http", query, params, n); err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": data})
}

func (h *handlers) history(w http.ResponseWriter, r *http.Request) {
	kind, id := chi.URLParam(r, "kind"), chi.URLParam(r, "id")
	subject, evs, err := h.s.History(r.Context(), kind, id)
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	h.answer(w, r, "history", map[string]any{"subject": subject}, len(evs),
		map[string]any{"subject": subject, "events": evs})
}

func (h *handlers) state(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a, err := ParseAsOf(q.Get("position"), q.Get("at"))
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	st, err := h.s.StateAt(r.Context(), chi.URLParam(r, "kind"), chi.URLParam(r, "id"), a)
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	h.answer(w, r, "state", map[string]any{"subject": st.Subject, "position": q.Get("position"), "at": q.Get("at")}, 1, st)
}

func (h *handlers) diff(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a, err := ParseAsOf(q.Get("position"), q.Get("at"))
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	if a == (AsOf{}) {
		httpx.Error(w, r, h.log, apperr.Invalidf("position", MsgAsOf))
		return
	}
	d, err := h.s.DiffAgainstNow(r.Context(), chi.URLParam(r, "kind"), chi.URLParam(r, "id"), a)
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	h.answer(w, r, "diff", map[string]any{"subject": d.Now.Subject, "position": q.Get("position"), "at": q.Get("at")},
		len(d.Changes), d)
}

// ParseFilter reads the events route's query (also `cicero events`).
func ParseFilter(get func(string) string, reg *events.Registry) (auditidx.Filter, error) {
	var f auditidx.Filter
	for _, s := range splitList(get("stream")) {
		s = strings.ToUpper(s)
		if !slices.Contains(events.Contexts, s) {
			return f, apperr.Invalidf("stream", MsgStream)
		}
		f.Streams = append(f.Streams, s)
	}
	known := reg.Types()
	for _, t := range splitList(get("type")) {
		if !slices.Contains(known, t) {
			return f, apperr.Invalidf("type", MsgType)
		}
		f.Types = append(f.Types, t)
	}
	f.Actor, f.Channel, f.Client = get("actor"), get("channel"), strings.TrimSpace(get("client"))
	var err error
	if v := get("since"); v != "" {
		if f.Since, err = ParseInstant(v, false); err != nil {
			return f, apperr.Invalidf("since", MsgSince)
		}
	}
	if v := get("until"); v != "" {
		if f.Until, err = ParseInstant(v, true); err != nil {
			return f, apperr.Invalidf("until", MsgUntil)
		}
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Since.After(f.Until) {
		return f, apperr.Invalidf("since", MsgRangeFlip)
	}
	if f.Limit, err = parseLimit(get("limit")); err != nil {
		return f, err
	}
	if v := get("cursor"); v != "" {
		c, err := auditidx.ParseCursor(v)
		if err != nil {
			return f, apperr.Invalidf("cursor", MsgCursor)
		}
		f.After = &c
	}
	return f, nil
}

func parseLimit(v string) (int, error) {
	if v == "" {
		return 100, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 500 {
		return 0, apperr.Invalidf("limit", MsgLimit)
	}
	return n, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (h *handlers) events(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := ParseFilter(q.Get, h.s.Store.Registry())
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	page, err := h.s.Events(r.Context(), f)
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	params := map[string]any{}
	for k := range q {
		params[k] = q.Get(k)
	}
	h.answer(w, r, "events", params, len(page.Events), page)
}

func (h *handlers) aggregates(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := parseLimit(q.Get("limit"))
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	kind := q.Get("kind")
	for _, k := range h.s.Kinds {
		if k.Name == kind {
			kind = k.Prefix
		}
	}
	aggs, err := auditidx.Aggregates(r.Context(), h.s.Pool, kind, strings.TrimSpace(q.Get("client")), q.Get("after"), limit)
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	h.answer(w, r, "aggregates", map[string]any{"kind": kind, "client": q.Get("client"), "after": q.Get("after")}, len(aggs), aggs)
}

func (h *handlers) why(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	wy, err := h.s.Why(r.Context(), chi.URLParam(r, "nrp"), q.Get("date"), q.Get("platform"))
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	h.answer(w, r, "why", map[string]any{"nrp": wy.NRP, "date": wy.Date, "platform": q.Get("platform")}, len(wy.Platforms), wy)
}

func (h *handlers) reads(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := parseLimit(q.Get("limit"))
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	var before int64
	if v := q.Get("before"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before < 1 {
			httpx.Error(w, r, h.log, apperr.Invalidf("before", MsgBefore))
			return
		}
	}
	out, err := h.s.Reads(r.Context(), before, limit)
	if err != nil {
		httpx.Error(w, r, h.log, err)
		return
	}
	h.answer(w, r, "reads", map[string]any{"before": before}, len(out), out)
}

// Package ops serves /ops: where every projection and saga stands
// (checkpoint, head, lag), the outbox's depth and recent failures, the
// WhatsApp sessions (with their pairing QR), the job schedule with last and
// next runs, and the recent fetch runs with the RapidAPI host they used.
// Dashboard admins only (token cookie or Authorization: Bearer). A browser
// gets a server-rendered page (html/template, embedded, no build step);
// Accept: application/json gets the same report as JSON.
//
// Everything it shows comes in through Deps, so the package depends on no
// runtime: the wiring (cmd/cicero/ops.go) adapts the projection managers,
// the outbox, the scheduler and the WhatsApp manager.
package ops

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/jakarta"
)

// Lag is where one projection or saga stands in one stream.
type Lag struct {
	Projection string  `json:"projection"`
	Stream     string  `json:"stream"`
	Checkpoint uint64  `json:"checkpoint"`
	Head       uint64  `json:"head"`
	LagEvents  uint64  `json:"lag_events"`
	LagSeconds float64 `json:"lag_seconds"`
	Active     bool    `json:"active"`
}

// Outbox is the outbox's depth and its newest failures.
type Outbox struct {
	Pending              int64     `json:"pending"`
	Sending              int64     `json:"sending"`
	Failed               int64     `json:"failed"`
	OldestPendingSeconds float64   `json:"oldest_pending_seconds"`
	RecentFailures       []Failure `json:"recent_failures"`
}

// Failure is one failed delivery (recipient already masked).
type Failure struct {
	ID        int64     `json:"id"`
	Saga      string    `json:"saga"`
	Channel   string    `json:"channel"`
	Recipient string    `json:"recipient"`
	Status    string    `json:"status"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
	CreatedAt time.Time `json:"created_at"`
}

// Session is one WhatsApp session as the adapter reports it (the fields
// and JSON names of internal/whatsapp's SessionStatus).
type Session struct {
	Name                 string     `json:"name"`
	DeviceID             string     `json:"device_id"`
	Paired               bool       `json:"paired"`
	Ready                bool       `json:"ready"`
	AwaitingQR           bool       `json:"awaiting_qr"`
	Pairing              bool       `json:"pairing"`  // a pairing started here (POST /ops/whatsapp/{name}/pair) runs
	QRReady              bool       `json:"qr_ready"` // the QR waits at /ops/whatsapp/{name}/qr.png
	LastDisconnectReason string     `json:"last_disconnect_reason,omitempty"`
	LastAuthFailureAt    *time.Time `json:"last_auth_failure_at,omitempty"`
	QueueLength          int64      `json:"queue_length"`
	Sent                 int64      `json:"sent"`
	Failed               int64      `json:"failed"`
}

// Pairing is a session's pairing history as the event history has it
// (WhatsAppSessionPaired / LoggedOut, the wa_sessions read model): what
// survives a restart, beside the adapter's live state.
type Pairing struct {
	Session      string     `json:"session"`
	JID          string     `json:"jid"`
	Paired       bool       `json:"paired"`
	PairedAt     *time.Time `json:"paired_at,omitempty"`
	LoggedOutAt  *time.Time `json:"logged_out_at,omitempty"`
	LogoutReason string     `json:"logout_reason,omitempty"`
}

// WhatsAppSessions is what the page needs of the WhatsApp adapter.
type WhatsAppSessions interface {
	Sessions() []Session
}

// Job is one scheduled job.
type Job struct {
	Name         string     `json:"name"`
	Cron         string     `json:"cron"`
	Active       bool       `json:"active"`
	LastRun      *time.Time `json:"last_run"`
	LastFinished *time.Time `json:"last_finished"`
	LastError    string     `json:"last_error"`
	NextRun      *time.Time `json:"next_run"`
}

// FetchRun is one fetch run of the social context.
type FetchRun struct {
	RunID      string    `json:"run_id"`
	ClientID   string    `json:"client_id"`
	Platform   string    `json:"platform"`
	HostUsed   string    `json:"host_used"`
	Posts      int       `json:"posts"`
	Likes      int       `json:"likes"`
	Comments   int       `json:"comments"`
	Failures   int       `json:"failures"`
	Errors     []string  `json:"errors"`
	Succeeded  bool      `json:"succeeded"`
	FinishedAt time.Time `json:"finished_at"`
}

// Deps are the page's sources. WhatsApp may be nil (no adapter wired).
type Deps struct {
	Auth interface {
		Authenticate(*http.Request) (*auth.Principal, error)
	}
	Projections func(context.Context) ([]Lag, error)
	Sagas       func(context.Context) ([]Lag, error)
	Outbox      func(context.Context) (Outbox, error)
	Jobs        func(context.Context) ([]Job, error)
	FetchRuns   func(context.Context) ([]FetchRun, error)
	WhatsApp    WhatsAppSessions
	Pairings    func(context.Context) ([]Pairing, error) // nil: none shown
	Log         *slog.Logger
	Now         func() time.Time
}

// Report is the whole page's data (the JSON answer).
type Report struct {
	GeneratedAt time.Time `json:"generated_at"`
	Projections []Lag     `json:"projections"`
	Sagas       []Lag     `json:"sagas"`
	Outbox      Outbox    `json:"outbox"`
	// WhatsApp is null when no adapter is wired.
	WhatsApp      []Session  `json:"whatsapp"`
	WhatsAppWired bool       `json:"-"`
	Pairings      []Pairing  `json:"whatsapp_pairings"`
	Jobs          []Job      `json:"jobs"`
	FetchRuns     []FetchRun `json:"fetch_runs"`
}

//go:embed ops.html
var files embed.FS

var page = template.Must(template.New("ops.html").Funcs(template.FuncMap{
	"when": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			if v.IsZero() {
				return "—"
			}
			return jakarta.Format(v)
		case *time.Time:
			if v == nil || v.IsZero() {
				return "—"
			}
			return jakarta.Format(*v)
		}
		return "—"
	},
	"secs": func(f float64) string {
		return time.Duration(f * float64(time.Second)).Round(time.Millisecond).String()
	},
}).ParseFS(files, "ops.html"))

// Handler serves /ops.
func Handler(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	return RequireAdmin(d.Auth, d.Log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep, err := d.report(r.Context())
		if err != nil {
			httpx.Error(w, r, d.Log, err)
			return
		}
		if wantsJSON(r) {
			httpx.JSON(w, http.StatusOK, rep)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := page.Execute(w, rep); err != nil && d.Log != nil {
			d.Log.Warn("ops page render", "err", err)
		}
	}))
}

// RequireAdmin lets dashboard admins through (token from the cookie or
// Authorization); others get 401 (no or a bad token) or 403, as JSON or a
// short HTML page. The WhatsApp QR route uses it too.
func RequireAdmin(a interface {
	Authenticate(*http.Request) (*auth.Principal, error)
}, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := a.Authenticate(r)
		if err != nil {
			if wantsJSON(r) {
				auth.WriteError(w, r, log, err)
				return
			}
			refuse(w, http.StatusUnauthorized, "Masuk sebagai admin untuk membuka halaman ini.")
			return
		}
		if !p.IsAdmin() {
			if wantsJSON(r) {
				auth.WriteForbidden(w)
				return
			}
			refuse(w, http.StatusForbidden, "Halaman ini hanya untuk admin.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func refuse(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = refusal.Execute(w, map[string]any{"Status": status, "Message": msg})
}

var refusal = template.Must(template.New("refusal").Parse(`<!doctype html><html lang="id"><head><meta charset="utf-8">` +
	`<title>Cicero ops — {{.Status}}</title></head><body><h1>{{.Status}}</h1><p id="refusal">{{.Message}}</p></body></html>`))

// wantsJSON: the Accept header names JSON and does not prefer HTML.
func wantsJSON(r *http.Request) bool {
	acc := r.Header.Get("Accept")
	return strings.Contains(acc, "application/json") && !strings.Contains(acc, "text/html")
}

func (d Deps) report(ctx context.Context) (Report, error) {
	rep := Report{GeneratedAt: d.Now(), WhatsApp: []Session{}, Pairings: []Pairing{}}
	var err error
	if rep.Projections, err = d.Projections(ctx); err != nil {
		return rep, err
	}
	if rep.Sagas, err = d.Sagas(ctx); err != nil {
		return rep, err
	}
	if rep.Outbox, err = d.Outbox(ctx); err != nil {
		return rep, err
	}
	if rep.Jobs, err = d.Jobs(ctx); err != nil {
		return rep, err
	}
	if rep.FetchRuns, err = d.FetchRuns(ctx); err != nil {
		return rep, err
	}
	if d.Pairings != nil {
		ps, err := d.Pairings(ctx)
		if err != nil {
			return rep, err
		}
		rep.Pairings = append(rep.Pairings, ps...)
	}
	if d.WhatsApp != nil {
		rep.WhatsAppWired = true
		rep.WhatsApp = d.WhatsApp.Sessions()
		if rep.WhatsApp == nil {
			rep.WhatsApp = []Session{}
		}
	}
	return rep, nil
}

// Package logging builds the process logger: JSON lines on stderr, with each
// record's time also rendered in Asia/Jakarta (the business time zone) so
// operators read local times directly.
package logging

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"github.com/cicero/cicero/internal/jakarta"
)

// New returns a JSON logger at the given level ("debug", "info", "warn", "error").
func New(w io.Writer, level string) *slog.Logger {
	var lv slog.Level
	switch strings.ToLower(level) {
	case "debug":
		lv = slog.LevelDebug
	case "warn":
		lv = slog.LevelWarn
	case "error":
		lv = slog.LevelError
	default:
		lv = slog.LevelInfo
	}
	return slog.New(jakartaHandler{slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lv})})
}

// jakartaHandler adds time_wib to every record.
type jakartaHandler struct{ slog.Handler }

func (h jakartaHandler) Handle(ctx context.Context, r slog.Record) error {
	if !r.Time.IsZero() {
		r.AddAttrs(slog.String("time_wib", jakarta.Format(r.Time)))
	}
	return h.Handler.Handle(ctx, r)
}

func (h jakartaHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return jakartaHandler{h.Handler.WithAttrs(a)}
}

func (h jakartaHandler) WithGroup(name string) slog.Handler {
	return jakartaHandler{h.Handler.WithGroup(name)}
}

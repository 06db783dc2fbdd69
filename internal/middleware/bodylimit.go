package middleware

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"

	"github.com/cicero/cicero/internal/httpx"
)

// DefaultBodyLimit is the largest request body accepted (JSON only; the
// API takes no uploads).
const DefaultBodyLimit int64 = 1 << 20

// TooLargeMessage is the 413 message.
const TooLargeMessage = "Ukuran data permintaan melebihi batas"

// BodyLimit refuses request bodies over max bytes (0 → DefaultBodyLimit)
// with 413 JSON. It reads the body up front, so every handler behind it sees
// a complete, bounded body and no handler needs its own 413 path.
func BodyLimit(max int64, log *slog.Logger) func(http.Handler) http.Handler {
	if max <= 0 {
		max = DefaultBodyLimit
	}
	if log == nil {
		log = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body == nil || r.Body == http.NoBody {
				next.ServeHTTP(w, r)
				return
			}
			if r.ContentLength > max {
				writeTooLarge(w)
				return
			}
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
			if err != nil {
				writeBodyError(w, r, log, err)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			next.ServeHTTP(w, r)
		})
	}
}

func writeTooLarge(w http.ResponseWriter) {
	httpx.JSON(w, http.StatusRequestEntityTooLarge, httpx.ErrorBody{Message: TooLargeMessage})
}

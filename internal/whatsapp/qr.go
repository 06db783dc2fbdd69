package whatsapp

import (
	"net/http"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/cicero/cicero/internal/httpx"
)

// QRHandler serves the session's pending pairing QR code as a PNG (scan it
// from the phone: Linked devices → Link a device); 404 when no pairing
// waits for a scan. session reads the session name from the request (the
// router's path parameter). The code links a phone to the organisation's
// session, so the route belongs behind the operators' access rule.
func (m *Manager) QRHandler(session func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		name := session(r)
		if !ValidSession(name) {
			httpx.JSON(w, http.StatusNotFound, httpx.ErrorBody{Message: "Sesi WhatsApp tidak dikenal"})
			return
		}
		code, ok := m.QR(name)
		if !ok {
			httpx.JSON(w, http.StatusNotFound, httpx.ErrorBody{Message: "Tidak ada kode QR yang menunggu dipindai untuk sesi ini"})
			return
		}
		png, err := qrcode.Encode(code, qrcode.Medium, 320)
		if err != nil {
			httpx.JSON(w, http.StatusInternalServerError, httpx.ErrorBody{Message: "Kode QR tidak dapat dibuat"})
			return
		}
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(png)
	})
}

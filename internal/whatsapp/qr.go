package whatsapp

import (
	"net/http"

	qrcode "github.com/skip2/go-qrcode"
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
			writeJSONError(w, http.StatusNotFound, "Sesi WhatsApp tidak dikenal")
			return
		}
		code, ok := m.QR(name)
		if !ok {
			writeJSONError(w, http.StatusNotFound, "Tidak ada kode QR yang menunggu dipindai untuk sesi ini")
			return
		}
		png, err := qrcode.Encode(code, qrcode.Medium, 320)
		if err != nil {
			writeJSONError(w, http.StatusInternalServerError, "Kode QR tidak dapat dibuat")
			return
		}
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(png)
	})
}

// writeJSONError answers the API's error body ({"success":false,"message"}).
func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"success":false,"message":"` + msg + `"}`))
}

package whatsapp_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/cicero/cicero/internal/whatsapp"
)

type got struct {
	session, chat, id string
}

type collect struct {
	mu  sync.Mutex
	got []got
}

func (c *collect) HandleWhatsAppMessage(_ context.Context, session string, evt *events.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, got{session, evt.Info.Chat.String(), evt.Info.ID})
}

func msg(chat types.JID, id string, fromMe bool) *events.Message {
	sender := types.NewJID("6281234567890", types.DefaultUserServer)
	return &events.Message{Info: types.MessageInfo{
		MessageSource: types.MessageSource{Chat: chat, Sender: sender, IsFromMe: fromMe, IsGroup: chat.Server == types.GroupServer},
		ID:            id, Timestamp: time.Now()},
		Message: &waE2E.Message{Conversation: proto.String("userrequest")}}
}

// TestInbound: messages reach the handler with their session, except
// status posts, the session's own messages, groups on the user session
// and repeats within the dedup TTL (which expire after it).
func TestInbound(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	h := &collect{}
	m := newManager(t, whatsapp.Options{Handler: h, DedupTTL: 2 * time.Minute, Now: clock})
	person := types.NewJID("6281234567890", types.DefaultUserServer)
	group := types.NewJID("120363419830216549", types.GroupServer)
	for _, c := range []struct {
		session string
		evt     *events.Message
	}{
		{whatsapp.SessionMain, msg(person, "A1", false)},
		{whatsapp.SessionMain, msg(person, "A1", false)}, // repeat
		{whatsapp.SessionMain, msg(types.StatusBroadcastJID, "S1", false)},
		{whatsapp.SessionMain, msg(person, "OWN", true)},
		{whatsapp.SessionMain, msg(group, "G1", false)},
		{whatsapp.SessionGateway, msg(group, "G1", false)}, // the same group message on another number
		{whatsapp.SessionUser, msg(group, "G2", false)},
		{whatsapp.SessionUser, msg(person, "U1", false)},
		{whatsapp.SessionGateway, msg(group, "G3", false)},
	} {
		m.HandleEvent(c.session, c.evt)
	}
	now = now.Add(3 * time.Minute)
	m.HandleEvent(whatsapp.SessionMain, msg(person, "A1", false)) // TTL passed: new again
	want := []got{
		{whatsapp.SessionMain, person.String(), "A1"},
		{whatsapp.SessionMain, group.String(), "G1"},
		{whatsapp.SessionGateway, group.String(), "G1"},
		{whatsapp.SessionUser, person.String(), "U1"},
		{whatsapp.SessionGateway, group.String(), "G3"},
		{whatsapp.SessionMain, person.String(), "A1"},
	}
	if len(h.got) != len(want) {
		t.Fatalf("handled %+v, want %+v", h.got, want)
	}
	for i := range want {
		if h.got[i] != want[i] {
			t.Fatalf("handled %+v, want %+v", h.got, want)
		}
	}
}

func TestQRHandlerAndMetrics(t *testing.T) {
	m := newManager(t, whatsapp.Options{})
	srv := httptest.NewServer(m.QRHandler(func(r *http.Request) string { return r.URL.Query().Get("s") }))
	defer srv.Close()
	get := func(s string) *http.Response {
		resp, err := http.Get(srv.URL + "?s=" + s)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for _, s := range []string{"wa", "nope"} {
		resp := get(s)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("%s without a pending QR: %d %s", s, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	m.HandleEvent(whatsapp.SessionMain, &events.QR{Codes: []string{"2@qrcode-data,abc,def"}})
	resp := get("wa")
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("pending QR: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	img, err := png.Decode(&buf)
	if err != nil || img.Bounds().Dx() < 100 {
		t.Fatalf("QR png: %v %v", err, img)
	}

	reg := prometheus.NewRegistry()
	if err := m.RegisterMetrics(reg); err != nil {
		t.Fatal(err)
	}
	attachReady(t, m, whatsapp.SessionGateway)
	expected := `
# HELP cicero_whatsapp_session_ready 1 when the WhatsApp session is connected and logged in.
# TYPE cicero_whatsapp_session_ready gauge
cicero_whatsapp_session_ready{session="wa"} 0
cicero_whatsapp_session_ready{session="wa-gateway"} 1
cicero_whatsapp_session_ready{session="wa-user"} 0
# HELP cicero_whatsapp_session_awaiting_qr 1 while the WhatsApp session waits for its QR code to be scanned.
# TYPE cicero_whatsapp_session_awaiting_qr gauge
cicero_whatsapp_session_awaiting_qr{session="wa"} 1
cicero_whatsapp_session_awaiting_qr{session="wa-gateway"} 0
cicero_whatsapp_session_awaiting_qr{session="wa-user"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(expected), "cicero_whatsapp_session_ready", "cicero_whatsapp_session_awaiting_qr"); err != nil {
		t.Fatal(err)
	}
	m.HandleEvent(whatsapp.SessionGateway, &events.Disconnected{})
	if v := testutil.ToFloat64(gaugeOf(t, reg, "cicero_whatsapp_session_ready", "wa-gateway")); v != 0 {
		t.Fatalf("ready gauge after Disconnected: %v", v)
	}
}

func attachReady(t *testing.T, m *whatsapp.Manager, s string) {
	t.Helper()
	if err := m.Attach(s, alwaysUp{}, types.JID{}); err != nil {
		t.Fatal(err)
	}
	m.HandleEvent(s, &events.Connected{})
}

// gaugeOf reads one series back as a collector for testutil.ToFloat64.
func gaugeOf(t *testing.T, reg *prometheus.Registry, name, session string) prometheus.Collector {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, mt := range mf.GetMetric() {
			for _, l := range mt.GetLabel() {
				if l.GetName() == "session" && l.GetValue() == session {
					g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "x"})
					g.Set(mt.GetGauge().GetValue())
					return g
				}
			}
		}
	}
	t.Fatalf("no %s{session=%q}", name, session)
	return nil
}

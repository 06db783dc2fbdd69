package whatsapp_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/cicero/cicero/internal/testkit"
	"github.com/cicero/cicero/internal/whatsapp"
	"github.com/cicero/cicero/internal/whatsapp/whatsapptest"
)

var devices = whatsapp.Devices{Main: "wa-admin", User: "wa-userrequest", Gateway: "wa-gateway"}

func newManager(t *testing.T, o whatsapp.Options) *whatsapp.Manager {
	t.Helper()
	o.Devices = devices
	if o.SendReadyWait == 0 {
		o.SendReadyWait = 50 * time.Millisecond
	}
	o.Logger = testkit.Logger(t)
	m, err := whatsapp.NewManager(o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

const number = "6281234567890"

var userJID = types.NewJID(number, types.DefaultUserServer)

func TestMessageID(t *testing.T) {
	a, b := whatsapp.MessageID("outbox:welcome:e1:628"), whatsapp.MessageID("outbox:welcome:e1:628")
	if a != b {
		t.Fatalf("same key, ids %s and %s", a, b)
	}
	if c := whatsapp.MessageID("outbox:welcome:e2:628"); c == a {
		t.Fatalf("different keys share id %s", a)
	}
	if !regexp.MustCompile(`^3EB0[0-9A-F]{18}$`).MatchString(string(a)) {
		t.Fatalf("id %q is not shaped like whatsmeow's GenerateMessageID", a)
	}
	if strings.Contains(string(a), "welcome") {
		t.Fatalf("id %q leaks the key", a)
	}
}

func TestSendTextBuildsTheProto(t *testing.T) {
	m := newManager(t, whatsapp.Options{})
	rec := whatsapptest.Attach(t, m, whatsapp.SessionMain)
	for i, recipient := range []string{number + "@s.whatsapp.net", number + "@c.us", "0812-3456-7890"} {
		key := fmt.Sprintf("key-%d", i)
		id, err := m.Send(ctx(t), whatsapp.Outgoing{Session: whatsapp.SessionMain, Recipient: recipient, Text: "Selamat pagi 🙏"}, key)
		if err != nil {
			t.Fatalf("send to %q: %v", recipient, err)
		}
		got := rec.Sent()[i]
		if id != string(whatsapp.MessageID(key)) || got.ID != whatsapp.MessageID(key) {
			t.Errorf("id %q / sent with %q, want %q", id, got.ID, whatsapp.MessageID(key))
		}
		if got.To != userJID {
			t.Errorf("recipient %q went to %v, want %v", recipient, got.To, userJID)
		}
		want := &waE2E.Message{Conversation: proto.String("Selamat pagi 🙏")}
		if !proto.Equal(got.Message, want) {
			t.Errorf("message %v, want %v", got.Message, want)
		}
	}
	// A group is sent as is, without asking whether it is on WhatsApp.
	lookups := rec.Lookups()
	if _, err := m.Send(ctx(t), whatsapp.Outgoing{Recipient: "120363419830216549@g.us", Text: "Tugas hari ini"}, "g"); err != nil {
		t.Fatal(err)
	}
	if got := rec.Sent()[3]; got.To != types.NewJID("120363419830216549", types.GroupServer) || rec.Lookups() != lookups {
		t.Errorf("group send to %v after %d lookups", got.To, rec.Lookups()-lookups)
	}
}

func TestSendDocument(t *testing.T) {
	m := newManager(t, whatsapp.Options{})
	rec := whatsapptest.Attach(t, m, whatsapp.SessionGateway)
	data := []byte("PK\x03\x04 rekap")
	doc := &whatsapp.Document{FileName: "Rekap_Desember.xlsx", MimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: data}
	if _, err := m.Send(ctx(t), whatsapp.Outgoing{Recipient: number, Text: "Rekap bulanan", Document: doc}, "doc-1"); err != nil {
		t.Fatal(err)
	}
	ups := rec.Uploads()
	if len(ups) != 1 || string(ups[0].Data) != string(data) || ups[0].MediaType != whatsmeow.MediaDocument {
		t.Fatalf("uploads %+v", ups)
	}
	// The same upload the recorder answered goes into the message.
	up, _ := whatsapptest.NewRecorder().Upload(context.Background(), data, whatsmeow.MediaDocument)
	want := &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{
		URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath), MediaKey: up.MediaKey,
		FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: proto.Uint64(uint64(len(data))),
		Mimetype: proto.String(doc.MimeType), FileName: proto.String("Rekap_Desember.xlsx"),
		Title: proto.String("Rekap_Desember.xlsx"), Caption: proto.String("Rekap bulanan")}}
	if got := rec.Sent()[0].Message; !proto.Equal(got, want) {
		t.Fatalf("document message\n%v\nwant\n%v", got, want)
	}
}

// TestSessionChoice: a named session is used alone; no session is the
// legacy chain gateway → main → user, first ready one; nothing ready is a
// retryable ErrNotReady after the wait.
func TestSessionChoice(t *testing.T) {
	m := newManager(t, whatsapp.Options{})
	recs := map[string]*whatsapptest.Recorder{}
	for _, s := range whatsapp.Sessions {
		recs[s] = whatsapptest.Attach(t, m, s)
	}
	send := func(session string) (string, error) {
		return m.Send(ctx(t), whatsapp.Outgoing{Session: session, Recipient: number, Text: "x"}, "")
	}
	last := func() string { // the session of the latest message
		best, at := "", time.Time{}
		for _, s := range whatsapp.Sessions {
			if sent := recs[s].Sent(); len(sent) > 0 && sent[len(sent)-1].At.After(at) {
				best, at = s, sent[len(sent)-1].At
			}
		}
		return best
	}
	steps := []struct {
		name    string
		down    string // session to take down before the send
		session string
		want    string // session that sends; "" = not ready
	}{
		{"chain starts at the gateway", "", "", whatsapp.SessionGateway},
		{"named user session", "", whatsapp.SessionUser, whatsapp.SessionUser},
		{"gateway down: main", whatsapp.SessionGateway, "", whatsapp.SessionMain},
		{"named gateway down: not ready", "", whatsapp.SessionGateway, ""},
		{"main down too: user", whatsapp.SessionMain, "", whatsapp.SessionUser},
		{"all down: not ready", whatsapp.SessionUser, "", ""},
	}
	for _, st := range steps {
		if st.down != "" {
			m.HandleEvent(st.down, &events.Disconnected{})
		}
		_, err := send(st.session)
		if st.want == "" {
			if !errors.Is(err, whatsapp.ErrNotReady) || errors.Is(err, whatsapp.ErrPermanent) {
				t.Fatalf("%s: err %v, want retryable ErrNotReady", st.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := last(); got != st.want {
			t.Fatalf("%s: sent on %s, want %s", st.name, got, st.want)
		}
	}
}

// TestSendWaitsForReadiness: a send that finds its session reconnecting
// goes out once whatsmeow reports Connected within the wait; the client's
// own flags gate it too.
func TestSendWaitsForReadiness(t *testing.T) {
	m := newManager(t, whatsapp.Options{SendReadyWait: 5 * time.Second})
	rec := whatsapptest.Attach(t, m, whatsapp.SessionMain)
	m.HandleEvent(whatsapp.SessionMain, &events.Disconnected{})
	go func() {
		time.Sleep(50 * time.Millisecond)
		m.HandleEvent(whatsapp.SessionMain, &events.Connected{})
	}()
	if _, err := m.Send(ctx(t), whatsapp.Outgoing{Session: whatsapp.SessionMain, Recipient: number, Text: "x"}, "k"); err != nil {
		t.Fatalf("send after reconnect: %v", err)
	}
	if len(rec.Sent()) != 1 {
		t.Fatalf("sent %d", len(rec.Sent()))
	}
	rec.SetState(true, false) // connected but the store lost its login
	if m.Ready(whatsapp.SessionMain) {
		t.Fatal("ready while not logged in")
	}
	short, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := m.Send(short, whatsapp.Outgoing{Session: whatsapp.SessionMain, Recipient: number, Text: "x"}, "k2")
	if err == nil || errors.Is(err, whatsapp.ErrPermanent) || len(rec.Sent()) != 1 {
		t.Fatalf("send while not logged in: %v, %d sent", err, len(rec.Sent()))
	}
	if err := m.WaitReady(ctx(t), whatsapp.SessionMain, 20*time.Millisecond); !errors.Is(err, whatsapp.ErrNotReady) ||
		!strings.Contains(err.Error(), "label=wa clientId=wa-admin") {
		t.Fatalf("WaitReady: %v", err)
	}
	// "" is the fallback chain: any ready session will do.
	if err := m.WaitReady(ctx(t), "", 20*time.Millisecond); !errors.Is(err, whatsapp.ErrNotReady) {
		t.Fatalf("WaitReady(chain) with nothing ready: %v", err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		_ = m.Attach(whatsapp.SessionUser, whatsapptest.NewRecorder(), types.JID{})
		m.HandleEvent(whatsapp.SessionUser, &events.Connected{})
	}()
	if err := m.WaitReady(ctx(t), "", 5*time.Second); err != nil {
		t.Fatalf("WaitReady(chain) once wa-user is ready: %v", err)
	}
	if err := m.WaitReady(ctx(t), "wa-admin", time.Millisecond); err == nil || errors.Is(err, whatsapp.ErrNotReady) {
		t.Fatalf("WaitReady of an unknown session: %v", err)
	}
}

// TestSendsAreSerialisedPerSession: sends started at once on one session
// never overlap, and sends that queue behind one in flight leave in the
// order they queued. Sessions do not wait for each other.
func TestSendsAreSerialisedPerSession(t *testing.T) {
	m := newManager(t, whatsapp.Options{})
	rec := whatsapptest.Attach(t, m, whatsapp.SessionGateway)
	other := whatsapptest.Attach(t, m, whatsapp.SessionMain)
	rec.SendDelay = 2 * time.Millisecond
	const n = 12
	send := func(session, text string) error {
		_, err := m.Send(ctx(t), whatsapp.Outgoing{Session: session, Recipient: number, Text: text}, "k"+text)
		return err
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := send(whatsapp.SessionGateway, fmt.Sprint("burst ", i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if c := rec.MaxConcurrent(); c != 1 || len(rec.Sent()) != n {
		t.Fatalf("%d sends at once on one session, %d sent", c, len(rec.Sent()))
	}

	release := rec.Hold()
	defer release()
	for i := range n {
		wg.Go(func() {
			if err := send(whatsapp.SessionGateway, fmt.Sprint(i)); err != nil {
				t.Error(err)
			}
		})
		// The next send queues only once this one is in line.
		testkit.Eventually(t, 5*time.Second, func() error {
			if q := m.Statuses()[0].QueueLength; q < int64(i+1) || rec.InFlight() != 1 {
				return fmt.Errorf("%d in line, %d in flight", q, rec.InFlight())
			}
			return nil
		})
	}
	// Another session sends while the gateway's line waits.
	if err := send(whatsapp.SessionMain, "main"); err != nil || len(other.Sent()) != 1 {
		t.Fatalf("main session blocked by the gateway's queue: %v", err)
	}
	release()
	wg.Wait()
	sent := rec.Sent()[n:]
	for i, s := range sent {
		if got := whatsapptest.Text(s.Message); got != fmt.Sprint(i) {
			t.Fatalf("send %d carried %q: not in queue order", i, got)
		}
	}
	if c := rec.MaxConcurrent(); c != 1 {
		t.Fatalf("%d sends at once on one session", c)
	}
	if st := m.Statuses()[0]; st.Sent != 2*n || st.QueueLength != 0 {
		t.Fatalf("status %+v", st)
	}
}

func TestSendRefusals(t *testing.T) {
	m := newManager(t, whatsapp.Options{})
	rec := whatsapptest.Attach(t, m, whatsapp.SessionMain)
	rec.NotOnWhatsApp(number)
	out := whatsapp.Outgoing{Session: whatsapp.SessionMain, Recipient: number + "@c.us", Text: "x"}
	_, err := m.Send(ctx(t), out, "k")
	if !errors.Is(err, whatsapp.ErrPermanent) || !errors.Is(err, whatsapp.ErrNotOnWhatsApp) || strings.Contains(err.Error(), number) {
		t.Fatalf("not on WhatsApp: %v", err)
	}
	for name, o := range map[string]whatsapp.Outgoing{
		"invalid recipient": {Recipient: "0812", Text: "x"},
		"unknown session":   {Session: "wa-admin", Recipient: "6289876543210", Text: "x"},
		"empty text":        {Session: whatsapp.SessionMain, Recipient: "6289876543210", Text: "  "},
	} {
		if _, err := m.Send(ctx(t), o, "k"); !errors.Is(err, whatsapp.ErrPermanent) {
			t.Errorf("%s: %v, want permanent", name, err)
		}
	}
	// WhatsApp's failure quoting the number: classified, redacted, counted.
	rec.FailNext(fmt.Errorf("%w %d (to 6289876543210@s.whatsapp.net)", whatsmeow.ErrServerReturnedError, 406))
	rec.FailNext(whatsmeow.ErrMessageTimedOut)
	o := whatsapp.Outgoing{Session: whatsapp.SessionMain, Recipient: "6289876543210", Text: "x"}
	if _, err := m.Send(ctx(t), o, "k2"); !errors.Is(err, whatsapp.ErrPermanent) || strings.Contains(err.Error(), "6289876543210") {
		t.Errorf("406: %v", err)
	}
	if _, err := m.Send(ctx(t), o, "k3"); err == nil || errors.Is(err, whatsapp.ErrPermanent) {
		t.Errorf("timeout: %v, want retryable", err)
	}
	// A number WhatsApp knows under another JID is sent there, and neither
	// spelling appears in an error.
	canon := types.NewJID("62811112222333", types.DefaultUserServer)
	rec.Canonical("6281111222333", canon)
	rec.FailNext(fmt.Errorf("no devices for %s", canon))
	_, err = m.Send(ctx(t), whatsapp.Outgoing{Session: whatsapp.SessionMain, Recipient: "6281111222333", Text: "x"}, "k5")
	if err == nil || strings.Contains(err.Error(), "6281111222333") || strings.Contains(err.Error(), canon.User) {
		t.Errorf("canonical JID failure: %v", err)
	}
	if _, err := m.Send(ctx(t), whatsapp.Outgoing{Session: whatsapp.SessionMain, Recipient: "6281111222333", Text: "y"}, "k6"); err != nil {
		t.Fatal(err)
	}
	if got := rec.Sent(); len(got) != 1 || got[0].To != canon {
		t.Fatalf("sent %+v, want one message to the canonical JID", got)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Send(cancelled, o, "k4"); err == nil || errors.Is(err, whatsapp.ErrPermanent) {
		t.Errorf("cancelled: %v, want retryable", err)
	}
	if n := len(rec.Sent()); n != 1 {
		t.Fatalf("%d messages went out, want the one to the canonical JID", n)
	}
	if st := m.Statuses()[1]; st.Name != whatsapp.SessionMain || st.Failed != 4 || st.Sent != 1 {
		t.Fatalf("status %+v, want 4 failed on wa (not on WhatsApp, 406, timeout, no devices)", st)
	}
}

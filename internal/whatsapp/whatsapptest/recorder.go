// Package whatsapptest is a fake of the WhatsApp client the manager uses
// (whatsapp.Client): a Recorder keeps the whatsmeow messages (waE2E
// protobufs) the manager built and sent, in order, and can refuse sends or
// report numbers as not on WhatsApp. Tests of anything that sends over
// WhatsApp attach one to a session of a real whatsapp.Manager (Attach) and
// assert the exact messages.
package whatsapptest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/cicero/cicero/internal/whatsapp"
)

// Sent is one message as the recorder received it.
type Sent struct {
	To      types.JID
	Message *waE2E.Message
	// ID is the message id the send asked for (SendRequestExtra.ID), or
	// one the recorder made up when none was given.
	ID types.MessageID
	At time.Time
}

// Upload is one uploaded file.
type Upload struct {
	Data      []byte
	MediaType whatsmeow.MediaType
}

// Recorder is a whatsapp.Client that records instead of sending.
type Recorder struct {
	// SendDelay holds each send this long (to make overlapping sends
	// visible to MaxConcurrent).
	SendDelay time.Duration

	mu          sync.Mutex
	connected   bool
	loggedIn    bool
	sent        []Sent
	uploads     []Upload
	failNext    []error
	notOnWA     map[string]bool
	canonical   map[string]types.JID
	inFlight    int
	maxInFlight int
	hold        chan struct{} // while set, sends wait in SendMessage
	lookups     int
	seq         int
}

var _ whatsapp.Client = (*Recorder)(nil)

// NewRecorder returns a connected, logged-in recorder.
func NewRecorder() *Recorder {
	return &Recorder{connected: true, loggedIn: true, notOnWA: map[string]bool{}, canonical: map[string]types.JID{}}
}

// SetState sets what IsConnected and IsLoggedIn answer.
func (r *Recorder) SetState(connected, loggedIn bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.connected, r.loggedIn = connected, loggedIn
}

// FailNext makes the next send fail with err (queued: one error per send).
func (r *Recorder) FailNext(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failNext = append(r.failNext, err)
}

// NotOnWhatsApp makes IsOnWhatsApp report the number (digits, e.g.
// "6281234567890") as having no account.
func (r *Recorder) NotOnWhatsApp(number string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notOnWA[number] = true
}

// Canonical makes IsOnWhatsApp answer jid as the account of number (as
// WhatsApp does for numbers whose format changed).
func (r *Recorder) Canonical(number string, jid types.JID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.canonical[number] = jid
}

// Sent lists the messages sent so far, in order.
func (r *Recorder) Sent() []Sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Sent(nil), r.sent...)
}

// Uploads lists the files uploaded so far.
func (r *Recorder) Uploads() []Upload {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Upload(nil), r.uploads...)
}

// Hold makes sends wait inside SendMessage until the returned release is
// called (to line sends up behind one in flight).
func (r *Recorder) Hold() (release func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := make(chan struct{})
	r.hold = ch
	var once sync.Once
	return func() {
		once.Do(func() {
			r.mu.Lock()
			r.hold = nil
			r.mu.Unlock()
			close(ch)
		})
	}
}

// InFlight is the number of sends inside SendMessage now.
func (r *Recorder) InFlight() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.inFlight
}

// MaxConcurrent is the most sends that were in SendMessage at once.
func (r *Recorder) MaxConcurrent() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.maxInFlight
}

// Lookups counts IsOnWhatsApp calls.
func (r *Recorder) Lookups() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lookups
}

func (r *Recorder) IsConnected() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.connected
}

func (r *Recorder) IsLoggedIn() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.loggedIn
}

// SendMessage records message for to, as whatsmeow would send it:
// refused when not connected, when ctx is done, or with a queued FailNext.
func (r *Recorder) SendMessage(ctx context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	if err := ctx.Err(); err != nil {
		return whatsmeow.SendResponse{}, err
	}
	r.mu.Lock()
	if !r.connected {
		r.mu.Unlock()
		return whatsmeow.SendResponse{}, whatsmeow.ErrNotConnected
	}
	r.inFlight++
	r.maxInFlight = max(r.maxInFlight, r.inFlight)
	hold := r.hold
	r.mu.Unlock()
	if hold != nil {
		<-hold
	}
	if r.SendDelay > 0 {
		time.Sleep(r.SendDelay)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inFlight--
	if len(r.failNext) > 0 {
		err := r.failNext[0]
		r.failNext = r.failNext[1:]
		return whatsmeow.SendResponse{}, err
	}
	var id types.MessageID
	if len(extra) > 0 {
		id = extra[0].ID
	}
	if id == "" {
		r.seq++
		id = types.MessageID(fmt.Sprintf("3EB0%018X", r.seq))
	}
	now := time.Now()
	r.sent = append(r.sent, Sent{To: to, Message: message, ID: id, At: now})
	return whatsmeow.SendResponse{ID: id, Timestamp: now}, nil
}

// Upload records the file and answers with the fields WhatsApp's media
// server gives (hashes of the data, a direct path).
func (r *Recorder) Upload(ctx context.Context, plaintext []byte, mediaType whatsmeow.MediaType) (whatsmeow.UploadResponse, error) {
	if err := ctx.Err(); err != nil {
		return whatsmeow.UploadResponse{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.uploads = append(r.uploads, Upload{Data: append([]byte(nil), plaintext...), MediaType: mediaType})
	sum := sha256.Sum256(plaintext)
	enc := sha256.Sum256(append([]byte("enc"), plaintext...))
	path := "/v/t62.7119-24/" + hex.EncodeToString(sum[:8])
	return whatsmeow.UploadResponse{URL: "https://mmg.whatsapp.net" + path, DirectPath: path,
		MediaKey: sum[8:], FileEncSHA256: enc[:], FileSHA256: sum[:], FileLength: uint64(len(plaintext))}, nil
}

// IsOnWhatsApp answers every "+<digits>" query as on WhatsApp unless
// NotOnWhatsApp named the number.
func (r *Recorder) IsOnWhatsApp(ctx context.Context, phones []string) ([]types.IsOnWhatsAppResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lookups++
	out := make([]types.IsOnWhatsAppResponse, 0, len(phones))
	for _, p := range phones {
		n := strings.TrimPrefix(p, "+")
		jid, ok := r.canonical[n]
		if !ok {
			jid = types.NewJID(n, types.DefaultUserServer)
		}
		out = append(out, types.IsOnWhatsAppResponse{Query: p, JID: jid, IsIn: !r.notOnWA[n]})
	}
	return out, nil
}

// Text is what a recorded message says: its text, or its document's caption.
func Text(m *waE2E.Message) string {
	switch {
	case m.GetConversation() != "":
		return m.GetConversation()
	case m.GetExtendedTextMessage() != nil:
		return m.GetExtendedTextMessage().GetText()
	case m.GetDocumentMessage() != nil:
		return m.GetDocumentMessage().GetCaption()
	}
	return ""
}

// Attach attaches a new ready recorder to the manager's session: the
// session is then connected and logged in, as after whatsmeow's Connected.
func Attach(tb testing.TB, m *whatsapp.Manager, session string) *Recorder {
	tb.Helper()
	r := NewRecorder()
	own := types.JID{User: "628000000011", Device: 7, Server: types.DefaultUserServer}
	if err := m.Attach(session, r, own); err != nil {
		tb.Fatalf("attach recorder: %v", err)
	}
	m.HandleEvent(session, &events.Connected{})
	if !m.Ready(session) {
		tb.Fatalf("session %s not ready after attaching a recorder", session)
	}
	return r
}

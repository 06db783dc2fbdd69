package whatsapp_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	"github.com/cicero/cicero/internal/testkit"
	wa "github.com/cicero/cicero/internal/whatsapp"
	"github.com/cicero/cicero/internal/whatsapp/whatsapptest"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/sendertest"
	"github.com/cicero/cicero/sagas/whatsapp"
)

const recipient = "6281234567890@s.whatsapp.net"

func newManager(t *testing.T) *wa.Manager {
	t.Helper()
	m, err := wa.NewManager(wa.Options{Devices: wa.Devices{Main: "wa-admin", User: "wa-userrequest", Gateway: "wa-gateway"},
		SendReadyWait: 50 * time.Millisecond, Logger: testkit.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestConformance runs the sender suite with the recorder as the peer:
// what arrives is read back from the whatsmeow messages the manager built.
func TestConformance(t *testing.T) {
	sendertest.Run(t, func(t *testing.T) sendertest.Peer {
		m := newManager(t)
		rec := whatsapptest.Attach(t, m, wa.SessionGateway)
		return sendertest.Peer{
			Sender:           whatsapp.New(m),
			Channel:          sagas.ChannelWhatsApp,
			Recipient:        recipient,
			InvalidRecipient: "bukan-nomor",
			Compose: func(subject, body string) sagas.Content {
				return sagas.Content{Text: "*" + subject + "*\n\n" + body}
			},
			Received: func() []sendertest.Received {
				var out []sendertest.Received
				for _, s := range rec.Sent() {
					out = append(out, sendertest.Received{Recipient: s.To.String(),
						Content: sagas.Content{Text: whatsapptest.Text(s.Message)}, ID: string(s.ID)})
				}
				return out
			},
			Refuse: func(permanent bool) {
				if permanent { // as WhatsApp answers a malformed request
					rec.FailNext(fmt.Errorf("%w 400 for %s", whatsmeow.ErrServerReturnedError, recipient))
					return
				}
				rec.FailNext(fmt.Errorf("%w (to %s)", whatsmeow.ErrMessageTimedOut, recipient))
			},
		}
	})
}

func TestSessionNames(t *testing.T) {
	if sagas.SessionMain != wa.SessionMain || sagas.SessionUser != wa.SessionUser || sagas.SessionGateway != wa.SessionGateway {
		t.Fatal("sagas and internal/whatsapp disagree on the session names")
	}
}

// TestSendMapping: Body stands in for an empty Text, the session and the
// document reach the manager, an unknown number is permanent and a
// session that is not ready is retryable.
func TestSendMapping(t *testing.T) {
	m := newManager(t)
	user := whatsapptest.Attach(t, m, wa.SessionUser)
	s := whatsapp.New(m)
	ctx := context.Background()
	msg := sagas.Message{Channel: sagas.ChannelWhatsApp, Recipient: "6281211112222@c.us",
		Content: sagas.Content{Session: wa.SessionUser, Body: "Komplain Anda telah ditanggapi."}}
	id, err := s.Send(ctx, msg, "outbox-7")
	if err != nil || id != string(wa.MessageID("outbox-7")) {
		t.Fatalf("send: %q %v", id, err)
	}
	if got := user.Sent()[0].Message; !proto.Equal(got, &waE2E.Message{Conversation: proto.String("Komplain Anda telah ditanggapi.")}) {
		t.Fatalf("message %v", got)
	}
	msg.Content.Document = &sagas.Document{FileName: "rekap.xlsx", MimeType: "application/vnd.ms-excel", Data: []byte("xlsx")}
	if _, err := s.Send(ctx, msg, "outbox-8"); err != nil {
		t.Fatal(err)
	}
	if d := user.Sent()[1].Message.GetDocumentMessage(); d.GetFileName() != "rekap.xlsx" || d.GetCaption() != "Komplain Anda telah ditanggapi." {
		t.Fatalf("document %v", d)
	}
	user.NotOnWhatsApp("6281299998888")
	if _, err := s.Send(ctx, sagas.Message{Channel: sagas.ChannelWhatsApp, Recipient: "081299998888",
		Content: sagas.Content{Session: wa.SessionUser, Text: "x"}}, "outbox-9"); !errors.Is(err, sagas.ErrPermanent) {
		t.Fatalf("not on WhatsApp: %v", err)
	}
	_, err = s.Send(ctx, sagas.Message{Channel: sagas.ChannelWhatsApp, Recipient: recipient,
		Content: sagas.Content{Session: wa.SessionMain, Text: "x"}}, "outbox-10")
	if err == nil || errors.Is(err, sagas.ErrPermanent) || !errors.Is(err, wa.ErrNotReady) {
		t.Fatalf("main not ready: %v, want retryable", err)
	}
}

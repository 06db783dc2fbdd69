package email_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/email"
	"github.com/cicero/cicero/sagas/email/emailtest"
	"github.com/cicero/cicero/sagas/sendertest"
)

const from = "Cicero <noreply@cicero.test>"

func mustSender(t *testing.T, cfg email.Config) *email.Sender {
	t.Helper()
	s, err := email.New(cfg)
	if err != nil {
		t.Fatalf("new sender: %v", err)
	}
	return s
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestConformance(t *testing.T) {
	sendertest.Run(t, func(t *testing.T) sendertest.Peer {
		srv := emailtest.Start(t)
		const rcpt = "Budi.Santoso@Polri.test"
		return sendertest.Peer{
			Sender:           mustSender(t, srv.Config(from)),
			Channel:          sagas.ChannelEmail,
			Recipient:        rcpt,
			InvalidRecipient: "budi at polri",
			Compose: func(subject, body string) sagas.Content {
				return sagas.Content{Subject: subject, Body: body}
			},
			Received: func() []sendertest.Received {
				var out []sendertest.Received
				for _, m := range srv.Messages() {
					out = append(out, sendertest.Received{Recipient: strings.Join(m.RcptTo, ","),
						Content: sagas.Content{Subject: m.Subject, Body: m.Body}, ID: m.MessageID})
				}
				return out
			},
			Refuse: func(permanent bool) {
				if permanent {
					srv.Refuse(550, "<"+strings.ToLower(rcpt)+">: Recipient address rejected: User unknown")
				} else {
					srv.Refuse(451, "<"+rcpt+">: greylisted, try again later")
				}
			},
		}
	})
}

// TestDeliveredMessage checks the mail itself: envelope, headers, body and
// the Message-ID derived from the idempotency key.
func TestDeliveredMessage(t *testing.T) {
	srv := emailtest.Start(t)
	s := mustSender(t, srv.Config(from))
	m := sagas.Message{Channel: sagas.ChannelEmail, Recipient: "budi@polri.test",
		Content: sagas.Content{Subject: "Kode OTP Anda", Body: "Kode OTP Anda: 482913"}}
	id, err := s.Send(ctx(t), m, "outbox:42")
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	wantID := email.MessageID("outbox:42", "cicero.test")
	if id != wantID {
		t.Errorf("provider id %q, want the Message-ID %q", id, wantID)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	for _, c := range []struct{ name, got, want string }{
		{"MAIL FROM", got.MailFrom, "noreply@cicero.test"},
		{"RCPT TO", strings.Join(got.RcptTo, ","), "budi@polri.test"},
		{"From", got.From, `"Cicero" <noreply@cicero.test>`},
		{"To", got.To, "<budi@polri.test>"},
		{"Subject", got.Subject, "Kode OTP Anda"},
		{"Body", got.Body, "Kode OTP Anda: 482913"},
		{"Message-ID", got.MessageID, wantID},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !strings.Contains(string(got.Raw), "Content-Type: text/plain") {
		t.Errorf("not a plain-text mail:\n%s", got.Raw)
	}
	if strings.Contains(got.MessageID, "outbox") {
		t.Errorf("Message-ID %q leaks the idempotency key", got.MessageID)
	}
}

func TestMessageIDIsStable(t *testing.T) {
	a, b := email.MessageID("k1", "x.test"), email.MessageID("k1", "x.test")
	if a != b || a == email.MessageID("k2", "x.test") || !strings.HasSuffix(a, "@x.test") {
		t.Fatalf("MessageID not a stable function of the key: %q %q", a, b)
	}
}

func TestRefusalClasses(t *testing.T) {
	cases := []struct {
		code      int
		permanent bool
	}{{550, true}, {553, true}, {554, true}, {450, false}, {451, false}, {452, false}}
	for _, c := range cases {
		srv := emailtest.Start(t)
		srv.Refuse(c.code, "no")
		_, err := mustSender(t, srv.Config(from)).Send(ctx(t),
			sagas.Message{Channel: sagas.ChannelEmail, Recipient: "a@b.test", Content: sagas.Content{Subject: "s", Body: "b"}}, "k")
		if err == nil {
			t.Fatalf("%d: send succeeded", c.code)
		}
		if got := errors.Is(err, sagas.ErrPermanent); got != c.permanent {
			t.Errorf("%d: permanent = %v, want %v (%v)", c.code, got, c.permanent, err)
		}
	}
}

func TestConnectionFailureIsRetryable(t *testing.T) {
	// A port nothing listens on: take one and close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := mustSender(t, email.Config{Host: "127.0.0.1", Port: port, From: from, TLS: email.TLSNone, Timeout: 2 * time.Second})
	_, err = s.Send(ctx(t), sagas.Message{Channel: sagas.ChannelEmail, Recipient: "a@b.test"}, "k")
	if err == nil || errors.Is(err, sagas.ErrPermanent) {
		t.Fatalf("err %v, want a retryable error", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) {
		t.Errorf("err %v does not unwrap to a net.Error", err)
	}
}

func TestMandatoryTLSWithoutStartTLSIsRetryable(t *testing.T) {
	srv := emailtest.Start(t)
	cfg := srv.Config(from)
	cfg.TLS = email.TLSMandatory
	_, err := mustSender(t, cfg).Send(ctx(t), sagas.Message{Channel: sagas.ChannelEmail, Recipient: "a@b.test"}, "k")
	if err == nil || errors.Is(err, sagas.ErrPermanent) {
		t.Fatalf("err %v, want a retryable error (server offers no STARTTLS)", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages went out in clear text", n)
	}
}

func TestNewChecksConfig(t *testing.T) {
	for name, cfg := range map[string]email.Config{
		"no host":     {From: from},
		"no from":     {Host: "smtp.test"},
		"bad from":    {Host: "smtp.test", From: "not an address"},
		"bad port":    {Host: "smtp.test", From: from, Port: 70000},
		"bad tls":     {Host: "smtp.test", From: from, TLS: "sometimes"},
		"user as bad": {Host: "smtp.test", User: "login-name"},
	} {
		if _, err := email.New(cfg); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
	if _, err := email.New(email.Config{Host: "smtp.test", User: "bot@cicero.test", Pass: "x"}); err != nil {
		t.Errorf("From defaults to User: %v", err)
	}
}

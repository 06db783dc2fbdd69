// Package email is the SMTP adapter of the sagas: a sagas.Sender that
// delivers plain-text e-mail through go-mail. It serves both the outbox
// dispatcher (channel "email") and the claim API, which sends OTP codes
// directly because a code must arrive within seconds.
package email

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/cicero/cicero/sagas"
)

// TLSPolicy says whether the connection to the SMTP server is encrypted.
type TLSPolicy string

const (
	// TLSOpportunistic upgrades with STARTTLS when the server offers it and
	// goes on in clear text otherwise: the legacy transport's `secure:false`.
	TLSOpportunistic TLSPolicy = "opportunistic"
	// TLSMandatory refuses to send unless STARTTLS succeeds.
	TLSMandatory TLSPolicy = "mandatory"
	// TLSNone never encrypts (a local relay, tests).
	TLSNone TLSPolicy = "none"
)

// Config is where and as whom the sender delivers (SMTP_HOST, SMTP_PORT,
// SMTP_USER, SMTP_PASS, SMTP_FROM of the legacy system).
type Config struct {
	Host string
	// Port defaults to 587 (submission with STARTTLS).
	Port int
	// User and Pass authenticate when User is set (mechanism chosen from
	// what the server offers); no authentication otherwise.
	User, Pass string
	// From is the sender address; defaults to User.
	From string
	// TLS defaults to TLSOpportunistic.
	TLS TLSPolicy
	// Timeout bounds connecting and each SMTP command (default 15s); the
	// context passed to Send bounds the whole delivery as well.
	Timeout time.Duration
}

// Sender delivers e-mail over SMTP, one connection per message: mail is
// rare here (OTP codes, notices), and a fresh connection never trips over a
// server that dropped an idle one.
type Sender struct {
	cfg    Config
	from   string
	domain string // right-hand side of Message-IDs
	opts   []gomail.Option
}

var _ sagas.Sender = (*Sender)(nil)

// New checks cfg and returns a sender. It does not connect.
func New(cfg Config) (*Sender, error) {
	if cfg.Host == "" {
		return nil, errors.New("email: SMTP host is required")
	}
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("email: SMTP port %d out of range", cfg.Port)
	}
	if cfg.From == "" {
		cfg.From = cfg.User
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("email: sender address (SMTP_FROM or SMTP_USER) is not an address: %w", err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	policy, err := tlsPolicy(cfg.TLS)
	if err != nil {
		return nil, err
	}
	// WithTLSPolicy, not WithTLSPortPolicy: the latter would silently fall
	// back to clear text on port 25 when the configured port fails.
	opts := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(cfg.Timeout), gomail.WithTLSPolicy(policy)}
	if cfg.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.User), gomail.WithPassword(cfg.Pass))
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	return &Sender{cfg: cfg, from: cfg.From, domain: domain, opts: opts}, nil
}

func tlsPolicy(p TLSPolicy) (gomail.TLSPolicy, error) {
	switch p {
	case "", TLSOpportunistic:
		return gomail.TLSOpportunistic, nil
	case TLSMandatory:
		return gomail.TLSMandatory, nil
	case TLSNone:
		return gomail.NoTLS, nil
	}
	return 0, fmt.Errorf("email: unknown TLS policy %q (opportunistic, mandatory or none)", p)
}

// MessageID is the Message-ID (without angle brackets) that Send gives the
// message with idempotencyKey: the same key always yields the same id, so a
// resend after a crash can be recognised (and de-duplicated) by the
// receiving side. The key is hashed so that nothing of it leaks into mail
// headers.
func MessageID(idempotencyKey, domain string) string {
	sum := sha256.Sum256([]byte(idempotencyKey))
	return "cicero." + hex.EncodeToString(sum[:16]) + "@" + domain
}

// Send delivers m as a plain-text mail (Content.Subject, and Content.Body
// or, when that is empty, Content.Text) and returns its Message-ID. Refusals that retrying cannot fix — a recipient
// that is not an address, a 5xx answer to MAIL FROM, RCPT TO or DATA — are
// wrapped with sagas.Permanent. 4xx answers, connection failures and
// failures before the envelope (greeting, STARTTLS, AUTH: a server or
// configuration problem that will be fixed, after which queued mail should
// go out) are retryable. Errors never quote the recipient.
func (s *Sender) Send(ctx context.Context, m sagas.Message, idempotencyKey string) (string, error) {
	if m.Channel != sagas.ChannelEmail {
		return "", sagas.Permanent(fmt.Errorf("email sender got a %q message", m.Channel))
	}
	msg, id, err := s.build(m, idempotencyKey)
	if err != nil {
		return "", err
	}
	client, err := gomail.NewClient(s.cfg.Host, s.opts...)
	if err != nil {
		return "", fmt.Errorf("email: smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		if msg.IsDelivered() {
			// The server accepted the data; only the RSET/QUIT after it
			// failed. Reporting failure would make the dispatcher send again.
			return id, nil
		}
		return "", classify(err, m.Recipient)
	}
	return id, nil
}

// build turns m into a go-mail message with a deterministic Message-ID.
func (s *Sender) build(m sagas.Message, key string) (*gomail.Msg, string, error) {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return nil, "", fmt.Errorf("email: sender address: %w", err)
	}
	if _, err := mail.ParseAddress(m.Recipient); err != nil || strings.ContainsAny(m.Recipient, ",;") {
		return nil, "", sagas.Permanent(errors.New("email: recipient is not a valid address"))
	}
	if err := msg.To(m.Recipient); err != nil {
		return nil, "", sagas.Permanent(errors.New("email: recipient is not a valid address"))
	}
	msg.Subject(m.Content.Subject)
	body := m.Content.Body
	if body == "" { // a message written for WhatsApp still reads as mail
		body = m.Content.Text
	}
	msg.SetBodyString(gomail.TypeTextPlain, body)
	msg.SetDate()
	id := ""
	if key != "" {
		id = MessageID(key, s.domain)
		msg.SetMessageIDWithValue(id)
	} else {
		msg.SetMessageID()
		id = strings.Trim(msg.GetMessageID(), "<>")
	}
	return msg, id, nil
}

// Package emailtest runs a real SMTP server (emersion/go-smtp) inside a
// test, on a loopback port, and keeps what it receives: the peer that the
// email adapter's tests and the claim API's tests deliver to.
package emailtest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/cicero/cicero/sagas/email"
)

// Message is one mail the server accepted.
type Message struct {
	// Envelope sender and recipients (MAIL FROM, RCPT TO).
	MailFrom string
	RcptTo   []string
	// Header fields, decoded.
	From, To, Subject string
	// MessageID without angle brackets.
	MessageID string
	// Body is the decoded text (quoted-printable / base64 undone).
	Body string
	Raw  []byte
}

// Server is a running SMTP server.
type Server struct {
	Host string
	Port int

	srv *smtp.Server

	mu      sync.Mutex
	msgs    []Message
	refuse  []*smtp.SMTPError // answers for the next RCPT TOs, in order
	notify  chan struct{}
	lastErr error
}

// Start listens on 127.0.0.1:0 and serves until the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("emailtest: listen: %v", err)
	}
	s := &Server{notify: make(chan struct{}, 1)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "mx.test"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 1 << 20
	addr := l.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", addr.Port
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.srv.Serve(l)
	}()
	tb.Cleanup(func() {
		_ = s.srv.Close()
		// Close misses a listener that Serve has not registered yet.
		_ = l.Close()
		<-done
	})
	return s
}

// Config is an email.Config that delivers here in clear text as from.
func (s *Server) Config(from string) email.Config {
	return email.Config{Host: s.Host, Port: s.Port, From: from, TLS: email.TLSNone, Timeout: 5 * time.Second}
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Refuse makes the server answer the next RCPT TO with code (e.g. 550 or
// 451) and text; further calls queue further refusals.
func (s *Server) Refuse(code int, text string) {
	class := code / 100
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = append(s.refuse, &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, 1, 1}, Message: text})
}

// Messages returns a copy of what was accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Err is the last failure to parse a received message (nil when none).
func (s *Server) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}

// WaitFor returns the first n messages, failing the test if they have not
// all arrived within timeout.
func (s *Server) WaitFor(tb testing.TB, n int, timeout time.Duration) []Message {
	tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if m := s.Messages(); len(m) >= n {
			return m[:n]
		}
		select {
		case <-s.notify:
		case <-deadline.C:
			tb.Fatalf("emailtest: %d of %d messages after %s (parse error: %v)", len(s.Messages()), n, timeout, s.Err())
		}
	}
}

func (s *Server) nextRefusal() *smtp.SMTPError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.refuse) == 0 {
		return nil
	}
	r := s.refuse[0]
	s.refuse = s.refuse[1:]
	return r
}

func (s *Server) store(m Message, err error) {
	s.mu.Lock()
	if err != nil {
		s.lastErr = err
	} else {
		s.msgs = append(s.msgs, m)
	}
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (c *session) Reset()        { c.from, c.to = "", nil }
func (c *session) Logout() error { return nil }

func (c *session) Mail(from string, _ *smtp.MailOptions) error {
	c.from = from
	return nil
}

func (c *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if r := c.s.nextRefusal(); r != nil {
		return r
	}
	c.to = append(c.to, to)
	return nil
}

func (c *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, perr := parse(raw)
	m.MailFrom, m.RcptTo = c.from, append([]string(nil), c.to...)
	c.s.store(m, perr)
	return nil
}

var decoder = mime.WordDecoder{}

func parse(raw []byte) (Message, error) {
	pm, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{Raw: raw}, fmt.Errorf("emailtest: parse message: %w", err)
	}
	h := func(k string) string {
		v, err := decoder.DecodeHeader(pm.Header.Get(k))
		if err != nil {
			return pm.Header.Get(k)
		}
		return v
	}
	body, err := decodeBody(pm.Header.Get("Content-Transfer-Encoding"), pm.Body)
	m := Message{From: h("From"), To: h("To"), Subject: h("Subject"),
		MessageID: strings.Trim(pm.Header.Get("Message-Id"), "<>"), Body: body, Raw: raw}
	return m, err
}

func decodeBody(cte string, r io.Reader) (string, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		return decodeBase64(r)
	case "", "7bit", "8bit", "binary":
	default:
		return "", errors.New("emailtest: unknown transfer encoding " + cte)
	}
	b, err := io.ReadAll(r)
	return text(b), err
}

// text turns CRLF into LF and drops the one line end that closes the body
// on the wire (it is not part of what the sender wrote).
func text(b []byte) string {
	return strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
}

func decodeBase64(r io.Reader) (string, error) {
	b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, r))
	return text(b), err
}

// Package sendertest is the conformance suite every sagas.Sender adapter
// runs against a real peer (an SMTP server, a WhatsApp test session): the
// same promises the dispatcher relies on, checked the same way for each.
package sendertest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/sagas"
)

// Received is one message as the peer saw it.
type Received struct {
	Recipient string
	Content   sagas.Content
	// ID is what the peer knows the message by, derived from the
	// idempotency key (the email Message-ID, the WhatsApp message id).
	ID string
}

// Peer is the receiving end a Sender under test delivers to.
type Peer struct {
	Sender  sagas.Sender
	Channel string
	// Recipient is an address the peer accepts.
	Recipient string
	// InvalidRecipient is not an address on the channel at all.
	InvalidRecipient string
	// Compose builds the channel's content from a subject and a body (an
	// email uses both, WhatsApp joins them into Text); the peer must give
	// back exactly this content.
	Compose func(subject, body string) sagas.Content
	// Received lists what has arrived so far, in order.
	Received func() []Received
	// Refuse makes the peer refuse the next delivery, for good (an unknown
	// mailbox or number) or temporarily (try again later). Its refusal text
	// should quote the recipient, as real servers do, so the suite can check
	// that the adapter's error does not.
	Refuse func(permanent bool)
}

// Run runs the suite; newPeer gives every subtest its own peer.
func Run(t *testing.T, newPeer func(t *testing.T) Peer) {
	t.Run("delivers content to the recipient", func(t *testing.T) { testDelivers(t, newPeer(t)) })
	t.Run("same key gives the same peer id", func(t *testing.T) { testIdempotencyKey(t, newPeer(t)) })
	t.Run("permanent refusal", func(t *testing.T) { testRefusal(t, newPeer(t), true) })
	t.Run("temporary refusal", func(t *testing.T) { testRefusal(t, newPeer(t), false) })
	t.Run("invalid recipient is permanent", func(t *testing.T) { testInvalidRecipient(t, newPeer(t)) })
	t.Run("other channel is permanent", func(t *testing.T) { testOtherChannel(t, newPeer(t)) })
	t.Run("cancelled context is retryable", func(t *testing.T) { testCancelled(t, newPeer(t)) })
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func (p Peer) message(subject, body string) sagas.Message {
	return sagas.Message{Channel: p.Channel, Recipient: p.Recipient, Content: p.Compose(subject, body)}
}

// waitReceived polls the peer until it holds n messages.
func waitReceived(t *testing.T, p Peer, n int) []Received {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := p.Received()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("peer received %d messages, want %d", len(got), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func testDelivers(t *testing.T, p Peer) {
	m := p.message("Kode OTP Anda", "Kode OTP Anda: 123456\nJangan bagikan kode ini. Terima kasih 🙏")
	id, err := p.Sender.Send(ctx(t), m, "conformance-1")
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if id == "" {
		t.Error("send returned an empty provider id")
	}
	got := waitReceived(t, p, 1)
	if len(got) != 1 {
		t.Fatalf("peer received %d messages, want 1", len(got))
	}
	if !strings.EqualFold(got[0].Recipient, p.Recipient) {
		t.Errorf("recipient %q, want %q", got[0].Recipient, p.Recipient)
	}
	if got[0].Content != m.Content {
		t.Errorf("content %+v, want %+v", got[0].Content, m.Content)
	}
}

func testIdempotencyKey(t *testing.T, p Peer) {
	for _, key := range []string{"k-a", "k-a", "k-b"} {
		if _, err := p.Sender.Send(ctx(t), p.message("s", "b "+key), key); err != nil {
			t.Fatalf("send %s: %v", key, err)
		}
	}
	got := waitReceived(t, p, 3)
	if got[0].ID == "" || got[0].ID != got[1].ID {
		t.Errorf("same key, peer ids %q and %q: want equal and not empty", got[0].ID, got[1].ID)
	}
	if got[2].ID == got[0].ID {
		t.Errorf("different keys share peer id %q", got[2].ID)
	}
}

// checkQuiet fails when err quotes the recipient (errors are logged).
func checkQuiet(t *testing.T, err error, recipient string) {
	t.Helper()
	if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(recipient)) {
		t.Errorf("error quotes the recipient: %v", err)
	}
}

func testRefusal(t *testing.T, p Peer, permanent bool) {
	p.Refuse(permanent)
	_, err := p.Sender.Send(ctx(t), p.message("s", "refused"), "refused")
	if err == nil {
		t.Fatal("send succeeded although the peer refused")
	}
	if got := errors.Is(err, sagas.ErrPermanent); got != permanent {
		t.Errorf("errors.Is(err, ErrPermanent) = %v, want %v (err: %v)", got, permanent, err)
	}
	checkQuiet(t, err, p.Recipient)
	// The refusal was for one delivery only: the next one goes through.
	if _, err := p.Sender.Send(ctx(t), p.message("s", "after"), "after"); err != nil {
		t.Fatalf("send after the refusal: %v", err)
	}
	got := waitReceived(t, p, 1)
	if len(got) != 1 || got[0].Content != p.Compose("s", "after") {
		t.Fatalf("peer holds %+v, want only the message sent after the refusal", got)
	}
}

func testInvalidRecipient(t *testing.T, p Peer) {
	m := p.message("s", "b")
	m.Recipient = p.InvalidRecipient
	_, err := p.Sender.Send(ctx(t), m, "invalid")
	if !errors.Is(err, sagas.ErrPermanent) {
		t.Fatalf("send to %q: err %v, want a permanent error", p.InvalidRecipient, err)
	}
	checkQuiet(t, err, p.InvalidRecipient)
}

func testOtherChannel(t *testing.T, p Peer) {
	m := p.message("s", "b")
	m.Channel = "carrier-pigeon"
	if _, err := p.Sender.Send(ctx(t), m, "other"); !errors.Is(err, sagas.ErrPermanent) {
		t.Fatalf("send on another channel: err %v, want a permanent error", err)
	}
	if n := len(p.Received()); n != 0 {
		t.Fatalf("peer received %d messages", n)
	}
}

func testCancelled(t *testing.T, p Peer) {
	c, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := p.Sender.Send(c, p.message("s", "b"), "cancelled")
	if err == nil {
		t.Fatal("send with a cancelled context succeeded")
	}
	if errors.Is(err, sagas.ErrPermanent) {
		t.Errorf("cancelled send is permanent: %v", err)
	}
	if n := len(p.Received()); n != 0 {
		t.Fatalf("peer received %d messages", n)
	}
}

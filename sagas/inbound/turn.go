package inbound

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/sagas"
)

// KindReply is the MessageQueued kind of the router's replies.
const KindReply = "wa-reply"

// turn is the handling of one inbound message.
type turn struct {
	r         *Router
	ctx       context.Context
	session   string
	msgID     string
	text      string
	chat      string // the chat JID replies go to
	group     bool
	number    string // the sender's number (62…), "" when unknown
	senderJID string
	admin     bool

	replies int // replies queued so far (their keys count up)
	cmds    int // commands run so far (their ids count up)
}

func (t *turn) seenKey() string { return "seen:" + t.session + ":" + t.chat + ":" + t.msgID }

// actor is the sender as the actor of the commands it causes.
func (t *turn) actor() string { return "wa:" + t.number }

// meta is the next command's meta: its id derives from the message id, so
// a redelivered message runs the same commands under the same ids.
func (t *turn) meta() commands.Meta {
	t.cmds++
	return commands.Meta{CommandID: fmt.Sprintf("wa/%s/%s/%d", t.session, t.msgID, t.cmds), Actor: t.actor(),
		OccurredAt: t.r.cfg.Now()}
}

// reply queues text to the chat the message came from.
func (t *turn) reply(text string) error { return t.send(t.chat, text, nil) }

// replyf is reply with a format.
func (t *turn) replyf(format string, args ...any) error { return t.reply(fmt.Sprintf(format, args...)) }

// send queues a message from the session the message came in on, keyed
// wa-reply/<session>/<message id>/<n>: queued once however often the
// message is delivered.
func (t *turn) send(recipient, text string, doc *events.QueuedDocument) error {
	return t.r.queue(t.ctx, t.session, t.nextKey(), recipient, text, doc)
}

// nextKey is the key of the turn's next reply: the replies of one message
// are numbered in the order it sends them, the same on every delivery.
func (t *turn) nextKey() string {
	t.replies++
	return fmt.Sprintf("%s/%s/%s/%d", KindReply, t.session, t.msgID, t.replies)
}

// queue appends the MessageQueued of one reply.
func (r *Router) queue(ctx context.Context, session, key, recipient, text string, doc *events.QueuedDocument) error {
	_, err := r.d.Commands.Outgoing.Queue(ctx, commands.Meta{Actor: "system:wa-router"}, outgoing.Queue{
		Message: events.MessageQueued{Key: key, Kind: KindReply, Channel: sagas.ChannelWhatsApp,
			Recipients: []string{recipient}, Session: session, Text: text, Document: doc}})
	if err != nil {
		return fmt.Errorf("queue reply: %w", err)
	}
	return nil
}

// refusal is the message of a business refusal (a command's *apperr.Error);
// ok is false for any other error, which fails the turn.
func refusal(err error) (string, bool) {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code != apperr.Internal && ae.Code != apperr.Unavailable {
		return ae.Message, true
	}
	return "", false
}

// run runs one command and answers: ok on success, the refusal as
// "❌ <prefix><message>" (and false) on a business refusal, or the error.
func (t *turn) run(prefix string, fn func(commands.Meta) (commands.Outcome, error)) (bool, error) {
	_, err := fn(t.meta())
	if err == nil {
		return true, nil
	}
	if msg, ok := refusal(err); ok {
		return false, t.reply("❌ " + prefix + msg)
	}
	return false, err
}

// get, set and end work on this chat's menu session.
func (t *turn) getState() (state, bool, error) { return t.r.sess.get(t.ctx, t.session, t.chat) }
func (t *turn) setState(st state, ttl time.Duration) error {
	return t.r.sess.set(t.ctx, t.session, t.chat, st, ttl)
}
func (t *turn) endState() error { return t.r.sess.end(t.ctx, t.session, t.chat) }

// word is the message lower-cased with inner spaces collapsed.
func (t *turn) word() string { return strings.ToLower(strings.Join(strings.Fields(t.text), " ")) }

// runRaw runs a command under the turn's next meta and returns its error
// untouched (the caller answers a refusal itself).
func (t *turn) runRaw(fn func(commands.Meta) (commands.Outcome, error)) (commands.Outcome, error) {
	return fn(t.meta())
}

package inbound

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"go.mau.fi/whatsmeow/types"
	waevents "go.mau.fi/whatsmeow/types/events"

	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/sagas"
)

// Commands are the handlers the router hands its commands to.
type Commands struct {
	Person           *person.Handlers
	Client           *client.Handlers
	DashUser         *dashuser.Handlers
	Premium          *premium.Handlers
	PersonnelPremium *personnelpremium.Handlers
	Outgoing         *outgoing.Handlers
}

// Deps are what the router needs. Fetcher and Premium may be nil: the
// commands needing them answer that they are unavailable.
type Deps struct {
	Directory Directory
	Premium   PremiumRequests
	Fetcher   Fetcher
	Solver    ComplaintSolver
	Groups    ClientGroups
	Absensi   Attendance
	Usernames UsernameRecap
	Links     LinkRecap
	DashUsers DashboardUsers
	Reports   DirReports
	Contacts  ContactSaver
	Redis     *redis.Client
	Commands  Commands
}

// Config tunes the router.
type Config struct {
	// Admins are the ADMIN_WHATSAPP JIDs (waid.Admins).
	Admins []string
	// KeyPrefix prefixes every Redis key (tests isolate themselves by it).
	KeyPrefix string
	// SeenTTL is how long a handled message id is remembered (default 24 h,
	// the legacy WA_MESSAGE_DEDUP_TTL_MS).
	SeenTTL time.Duration
	Now     func() time.Time
	Logger  *slog.Logger
}

// Router routes inbound WhatsApp messages. It implements the adapter's
// message handler (HandleWhatsAppMessage).
type Router struct {
	cfg  Config
	d    Deps
	sess *sessions
	log  *slog.Logger
	// work tracks what runs after a message was handled (savecontact).
	work sync.WaitGroup
}

// Wait waits for the work started by handled messages to end (at
// shutdown, after the sessions stopped delivering).
func (r *Router) Wait() { r.work.Wait() }

// New builds a router.
func New(cfg Config, d Deps) (*Router, error) {
	if d.Directory == nil || d.Redis == nil || d.Commands.Outgoing == nil || d.Commands.Person == nil {
		return nil, errors.New("inbound router: directory, redis, outgoing and person handlers are required")
	}
	if cfg.SeenTTL <= 0 {
		cfg.SeenTTL = 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Router{cfg: cfg, d: d, sess: &sessions{rdb: d.Redis, prefix: cfg.KeyPrefix + "wa:"},
		log: cfg.Logger.With("component", "wa-router")}, nil
}

// HandleWhatsAppMessage handles one message event of a session (sagas.SessionMain,
// SessionUser or SessionGateway). Failures are logged: the message may be
// delivered again and is then handled again (its commands and replies are
// keyed by its id, so nothing happens twice).
func (r *Router) HandleWhatsAppMessage(ctx context.Context, session string, evt *waevents.Message) {
	if err := r.Handle(ctx, session, evt); err != nil {
		r.log.Warn("inbound message failed", "session", session, "error", err)
	}
}

// Handle is HandleWhatsAppMessage returning its error.
func (r *Router) Handle(ctx context.Context, session string, evt *waevents.Message) error {
	t, ok := r.newTurn(ctx, session, evt)
	if !ok {
		return nil
	}
	claimed, err := r.sess.claim(ctx, t.seenKey(), time.Minute)
	if err != nil {
		return fmt.Errorf("claim message: %w", err)
	}
	if !claimed {
		return nil // handled (or being handled) already
	}
	if err := r.route(t); err != nil {
		// Let a redelivery try again: everything done so far is keyed.
		_ = r.sess.release(context.WithoutCancel(ctx), t.seenKey())
		return err
	}
	return r.sess.markDone(ctx, t.seenKey(), r.cfg.SeenTTL)
}

// newTurn reads the event; ok is false for what the router ignores: own
// messages, status broadcasts, messages without text.
func (r *Router) newTurn(ctx context.Context, session string, evt *waevents.Message) (*turn, bool) {
	if evt == nil || evt.Info.IsFromMe || evt.Info.Chat == types.StatusBroadcastJID || evt.Info.ID == "" {
		return nil, false
	}
	text := messageText(evt)
	if strings.TrimSpace(text) == "" {
		return nil, false
	}
	t := &turn{r: r, ctx: ctx, session: session, msgID: evt.Info.ID, text: strings.TrimSpace(text),
		chat: evt.Info.Chat.ToNonAD().String(), group: evt.Info.IsGroup, number: senderNumber(evt.Info.MessageSource)}
	t.senderJID = waid.UserJID(t.number)
	t.admin = t.number != "" && waid.IsAdmin(r.cfg.Admins, t.number)
	return t, true
}

// messageText is the text of a plain or extended text message (a reply, a
// message with a link preview).
func messageText(evt *waevents.Message) string {
	m := evt.Message
	if m == nil {
		return ""
	}
	if s := m.GetConversation(); s != "" {
		return s
	}
	return m.GetExtendedTextMessage().GetText()
}

// senderNumber is the sender's phone number (62…): from the sender JID, or
// its alternative address when WhatsApp addressed the sender by LID.
func senderNumber(src types.MessageSource) string {
	switch {
	case src.Sender.Server == types.DefaultUserServer:
		return waid.Number(src.Sender.User)
	case src.SenderAlt.Server == types.DefaultUserServer:
		return waid.Number(src.SenderAlt.User)
	case !src.IsGroup && src.Chat.Server == types.DefaultUserServer:
		return waid.Number(src.Chat.User)
	}
	return ""
}

// route sends the turn down the session's routing order.
func (r *Router) route(t *turn) error {
	switch t.session {
	case sagas.SessionUser:
		if t.group {
			return nil // the user-facing number serves private chats only
		}
		if t.number == "" {
			return t.reply(txtUnknownSender)
		}
		return r.routeUser(t)
	case sagas.SessionGateway:
		return r.routeGateway(t)
	default:
		if t.group {
			return r.routeGroup(t)
		}
		if t.number == "" {
			// Nothing may be bound to, or done for, a sender without a
			// number (WhatsApp gave only a LID).
			return t.reply(txtUnknownSender)
		}
		return r.routeMain(t)
	}
}

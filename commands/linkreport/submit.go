package linkreport

import (
	"context"
	"sort"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/normalize"
)

// Submit reports a person's links for an Instagram post.
//
// Regular: the post must have been ingested and published within Window
// of At; a report of the person for the post that already stands (and
// whose post is still within the window) is refused with MsgDuplicate.
// ClientID, when it names a client whose feed holds the post, is the
// report's client; otherwise the post's first client (by id).
//
// Khusus: the post must have been ingested for ClientID and published on
// At's Asia/Jakarta date; a second submission replaces the links (the
// legacy upsert), so it is LinkReportUpdated or nothing.
//
// Refusals: Invalid (kind, shortcode, user_id, client_id, MsgDuplicate,
// MsgRegularNotFound, MsgKhususNotFound).
type Submit struct {
	Kind      string
	Shortcode string
	UserID    string
	ClientID  string
	Links     events.Links
	// Title, Nama and WhatsApp: the person, for the thank-you message.
	Title, Nama, WhatsApp string
	By                    string
	// At is the submission instant (zero: now).
	At time.Time
}

func (cmd Submit) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	kind, shortcode, nrp, err := key(cmd.Kind, cmd.Shortcode, cmd.UserID)
	if err != nil {
		return nil, err
	}
	clientID := normalize.ClientID(cmd.ClientID)
	if kind == events.LinkReportKhusus && clientID == "" {
		return nil, apperr.Invalidf("client_id", "%s", MsgClientRequired)
	}
	at := cmd.At
	if at.IsZero() {
		at = time.Now()
	}
	r, v, err := Load(ctx, l, kind, shortcode, nrp)
	if err != nil {
		return nil, err
	}
	p, _, err := post.Load(ctx, l, events.PlatformInstagram, shortcode)
	if err != nil {
		return nil, err
	}
	if kind == events.LinkReportKhusus {
		return cmd.decideKhusus(r, v, p, clientID, at)
	}
	recent := func(t time.Time) bool { return !t.Before(at.Add(-Window)) }
	if r.Exists && recent(r.PostPublishedAt) {
		return nil, apperr.Invalidf("shortcode", "%s", MsgDuplicate)
	}
	if !p.Ingested || !recent(p.PublishedAt) {
		return nil, apperr.Invalidf("shortcode", "%s", MsgRegularNotFound)
	}
	owner := reportClient(p, clientID)
	return r.commit(v, &events.LinkReportSubmitted{Kind: kind, Shortcode: shortcode, UserID: nrp, ClientID: owner,
		Links: cmd.Links, PostPublishedAt: p.PublishedAt.UTC(), SubmittedAt: at.UTC(),
		Title: cmd.Title, Nama: cmd.Nama, WhatsApp: cmd.WhatsApp, By: cmd.By}), nil
}

func (cmd Submit) decideKhusus(r Report, v uint64, p post.Post, clientID string, at time.Time) ([]events.Commit, error) {
	if _, ok := p.Clients[clientID]; !ok || !p.Ingested || jakarta.Date(p.PublishedAt) != jakarta.Date(at) {
		return nil, apperr.Invalidf("shortcode", "%s", MsgKhususNotFound)
	}
	if r.Exists {
		if r.Links == cmd.Links {
			return nil, nil
		}
		return r.commit(v, &events.LinkReportUpdated{Kind: r.Kind, Shortcode: r.Shortcode, UserID: r.UserID,
			Links: cmd.Links, UpdatedAt: at.UTC(), By: cmd.By}), nil
	}
	return r.commit(v, &events.LinkReportSubmitted{Kind: r.Kind, Shortcode: r.Shortcode, UserID: r.UserID, ClientID: clientID,
		Links: cmd.Links, PostPublishedAt: p.PublishedAt.UTC(), SubmittedAt: at.UTC(),
		Title: cmd.Title, Nama: cmd.Nama, WhatsApp: cmd.WhatsApp, By: cmd.By}), nil
}

// reportClient is the client a regular report counts for: the one asked
// for when its feed holds the post (even withdrawn since), else the
// post's first client still holding it, else its first client.
func reportClient(p post.Post, asked string) string {
	if _, ok := p.Clients[asked]; ok && asked != "" {
		return asked
	}
	ids := make([]string, 0, len(p.Clients))
	for id := range p.Clients {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if p.Clients[id] {
			return id
		}
	}
	if len(ids) > 0 {
		return ids[0]
	}
	return ""
}

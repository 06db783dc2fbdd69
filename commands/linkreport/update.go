package linkreport

import (
	"context"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// Update changes the links of a standing report: each link Set names
// replaces the report's (a khusus report keeps only its Instagram link).
// No report: NotFound (the route answers the legacy `data: null`).
// Refusals: Invalid (kind, shortcode, user_id, MsgOnlyInstagram), NotFound.
type Update struct {
	Kind, Shortcode, UserID string
	Links                   events.Links
	// Set names the links the request supplied (instagram, facebook,
	// twitter, tiktok, youtube); others keep their value.
	Set map[string]bool
	By  string
	At  time.Time
}

// ErrNoReport is the refusal of an update or delete of no report.
var ErrNoReport = &apperr.Error{Code: apperr.NotFound, Field: "shortcode", Message: "link report tidak ditemukan"}

func (cmd Update) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	kind, shortcode, nrp, err := key(cmd.Kind, cmd.Shortcode, cmd.UserID)
	if err != nil {
		return nil, err
	}
	if kind == events.LinkReportKhusus {
		for _, f := range []string{"facebook", "twitter", "tiktok", "youtube"} {
			if cmd.Set[f] {
				return nil, apperr.Invalidf(f+"_link", "%s", MsgOnlyInstagram)
			}
		}
	}
	r, v, err := Load(ctx, l, kind, shortcode, nrp)
	if err != nil {
		return nil, err
	}
	if !r.Exists {
		return nil, ErrNoReport
	}
	next := r.Links
	for f, dst := range map[string]*string{"instagram": &next.Instagram, "facebook": &next.Facebook,
		"twitter": &next.Twitter, "tiktok": &next.Tiktok, "youtube": &next.Youtube} {
		if cmd.Set[f] {
			*dst = linkOf(cmd.Links, f)
		}
	}
	if kind == events.LinkReportKhusus {
		next = events.Links{Instagram: next.Instagram}
	}
	if next == r.Links {
		return nil, nil
	}
	at := cmd.At
	if at.IsZero() {
		at = time.Now()
	}
	return r.commit(v, &events.LinkReportUpdated{Kind: kind, Shortcode: shortcode, UserID: nrp, Links: next,
		UpdatedAt: at.UTC(), By: cmd.By}), nil
}

func linkOf(l events.Links, f string) string {
	switch f {
	case "instagram":
		return l.Instagram
	case "facebook":
		return l.Facebook
	case "twitter":
		return l.Twitter
	case "tiktok":
		return l.Tiktok
	}
	return l.Youtube
}

// Delete withdraws a report; the person may report the post again.
// Refusals: Invalid (kind, shortcode, user_id), NotFound (no report).
type Delete struct {
	Kind, Shortcode, UserID string
	By                      string
	At                      time.Time
}

func (cmd Delete) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	kind, shortcode, nrp, err := key(cmd.Kind, cmd.Shortcode, cmd.UserID)
	if err != nil {
		return nil, err
	}
	r, v, err := Load(ctx, l, kind, shortcode, nrp)
	if err != nil {
		return nil, err
	}
	if !r.Exists {
		return nil, ErrNoReport
	}
	at := cmd.At
	if at.IsZero() {
		at = time.Now()
	}
	return r.commit(v, &events.LinkReportDeleted{Kind: kind, Shortcode: shortcode, UserID: nrp, DeletedAt: at.UTC(), By: cmd.By}), nil
}

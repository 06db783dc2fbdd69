package writeapi

import (
	"net/http"
	"strings"

	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/normalize"
)

func (a *amplifyCmdAPI) submit(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := principalOf(w, r)
		if !ok {
			return
		}
		cmd, err := a.readSubmit(r, w, p, kind)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		o, err := a.Reports.Submit(r.Context(), writeMeta(r, p), cmd)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		a.answer201(w, r, kind, cmd.Shortcode, normalize.NRP(cmd.UserID), o)
	}
}

// readSubmit decodes and checks a submission, and for khusus ingests the
// linked post first (spec/ops.md §2.3 khusus steps 1–6, in that order).
func (a *amplifyCmdAPI) readSubmit(r *http.Request, w http.ResponseWriter, p *auth.Principal, kind string) (linkreport.Submit, error) {
	b, err := decodeBody(w, r)
	if err != nil {
		return linkreport.Submit{}, err
	}
	allowed := map[string]bool{"shortcode": true, "user_id": true, "client_id": true, "post_id": true}
	for _, f := range linkFields {
		allowed[f] = true
	}
	if err := b.unknown(allowed); err != nil {
		return linkreport.Submit{}, err
	}
	var shortcode, userID, clientID, postID *string
	for key, dst := range map[string]**string{"shortcode": &shortcode, "user_id": &userID, "client_id": &clientID, "post_id": &postID} {
		if *dst, err = b.text(key); err != nil {
			return linkreport.Submit{}, err
		}
	}
	l, set, err := links(b)
	if err != nil {
		return linkreport.Submit{}, err
	}
	cmd := linkreport.Submit{Kind: kind, Shortcode: strings.TrimSpace(strOr(shortcode)), Links: l, By: p.Actor(), At: a.Now()}
	if cmd.Shortcode == "" {
		cmd.Shortcode = strings.TrimSpace(strOr(postID))
	}
	if kind == events.LinkReportKhusus {
		if err := a.khusus(p, &cmd, strOr(clientID), b, set); err != nil {
			return linkreport.Submit{}, err
		}
	} else if cmd.Shortcode == "" {
		return linkreport.Submit{}, apperr.Invalidf("shortcode", "%s", linkreport.MsgShortcode)
	}
	person, err := a.person(r.Context(), p, strOr(userID))
	if err != nil {
		return linkreport.Submit{}, err
	}
	cmd.UserID, cmd.Title, cmd.Nama, cmd.WhatsApp = person.UserID, person.Title, person.Nama, person.WhatsApp
	if kind == events.LinkReportRegular && person.ClientID != nil {
		cmd.ClientID = *person.ClientID
	}
	if kind == events.LinkReportKhusus {
		// Checked first, ingested last: a refused request appends nothing.
		if _, err := a.Importer.ImportKhusus(r.Context(), writeMeta(r, p), cmd.Shortcode, cmd.ClientID); err != nil {
			return linkreport.Submit{}, err
		}
	}
	return cmd, nil
}

// khusus checks a khusus submission in the legacy order (steps 1–5); its
// post is ingested into SOCIAL once the person is known: the submitted
// link is the task post itself.
func (a *amplifyCmdAPI) khusus(p *auth.Principal, cmd *linkreport.Submit, clientID string, b rawBody, set map[string]bool) error {
	clientID = strings.TrimSpace(clientID)
	raw, _ := b.text("instagram_link")
	switch {
	case clientID == "":
		return apperr.Invalidf("client_id", "%s", linkreport.MsgClientRequired)
	case strings.TrimSpace(strOr(raw)) == "":
		return apperr.Invalidf("instagram_link", "%s", amplifyMsgIGRequired)
	case cmd.Links.Instagram == "":
		return apperr.Invalidf("instagram_link", "%s", amplifyMsgIGURL)
	}
	code := linkreport.KhususShortcode(cmd.Links.Instagram)
	if code == "" {
		return apperr.Invalidf("instagram_link", "%s", amplifyMsgIGPost)
	}
	if set["facebook"] || set["twitter"] || set["tiktok"] || set["youtube"] {
		return apperr.Invalidf("instagram_link", "%s", amplifyMsgOnlyIGUpload)
	}
	if p.Kind == auth.KindDashboard && !p.AllowsClient(clientID) {
		return apperr.New(apperr.Forbidden, "client_id tidak diizinkan")
	}
	cmd.Shortcode, cmd.ClientID = code, normalize.ClientID(clientID)
	cmd.Links = events.Links{Instagram: cmd.Links.Instagram}
	return nil
}

package writeapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/projections/amplify"
	"github.com/cicero/cicero/projections/directory"
)

// Messages of the link report writes (spec/ops.md §2.3; the khusus ones
// are the legacy texts).
const (
	amplifyMsgUserNotFound = "user tidak ditemukan"
	amplifyMsgNotYours     = "user_id tidak diizinkan"
	amplifyMsgIGRequired   = "instagram_link is required"
	amplifyMsgIGURL        = "instagram_link must be a valid URL"
	amplifyMsgIGPost       = "instagram_link must be a valid Instagram post URL"
	amplifyMsgOnlyIGUpload = "Only instagram_link is allowed for special assignment uploads"
)

// linkFields are the five link fields, in the legacy body's names.
var linkFields = []string{"instagram_link", "facebook_link", "twitter_link", "tiktok_link", "youtube_link"}

// KhususImporter ingests a khusus post read from Instagram
// (jobs.SocialImport.ImportKhusus).
type KhususImporter interface {
	ImportKhusus(ctx context.Context, meta commands.Meta, shortcode, clientID string) (commands.Outcome, error)
}

// AmplifyPeople finds the person a report is for.
type AmplifyPeople interface {
	Person(ctx context.Context, userID string) (directory.Person, error)
}

// AmplifyReports reads a report back.
type AmplifyReports interface {
	Report(ctx context.Context, f amplify.ReportFilter) (amplify.Report, error)
}

// AmplifyCommandDeps is everything the link report writes use.
type AmplifyCommandDeps struct {
	Reports  *linkreport.Handlers
	Importer KhususImporter
	People   AmplifyPeople
	Read     AmplifyReports
	// WaitForReports blocks until amplify_reports has applied positions.
	WaitForReports Waiter
	Now            func() time.Time
	Logger         *slog.Logger
}

type amplifyCmdAPI struct {
	AmplifyCommandDeps
	writer
}

// MountAmplifyCommands adds the link report writes (spec/ops.md §2.3):
// POST /link-reports and /link-reports-khusus, PUT and DELETE
// /link-reports[-khusus]/{shortcode}. Personnel report for themselves;
// dashboard users for personnel of their clients; operators may create
// and update but not delete (the legacy operator allow-list).
func MountAmplifyCommands(r *auth.Router, d AmplifyCommandDeps) {
	if d.Reports == nil || d.Importer == nil || d.People == nil || d.Read == nil {
		panic("writeapi.MountAmplifyCommands: Reports, Importer, People and Read are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	a := &amplifyCmdAPI{d, writer{log: d.Logger, wait: d.WaitForReports}}
	for _, k := range []struct{ base, kind string }{{"/link-reports", events.LinkReportRegular}, {"/link-reports-khusus", events.LinkReportKhusus}} {
		r.Post(k.base, auth.Dashboard|auth.Personnel, a.submit(k.kind))
		r.Put(k.base+"/{shortcode}", auth.Dashboard|auth.Personnel, a.update(k.kind))
		r.Delete(k.base+"/{shortcode}", auth.Staff|auth.Personnel, a.remove(k.kind))
	}
}

// person resolves the report's person for caller p: personnel only
// themselves (an empty user_id is their own), dashboard users personnel
// of their clients.
func (a *amplifyCmdAPI) person(ctx context.Context, p *auth.Principal, userID string) (directory.Person, error) {
	nrp := normalize.NRP(userID)
	if p.Kind == auth.KindUser {
		if nrp == "" {
			nrp = normalize.NRP(p.ID)
		}
		if nrp != normalize.NRP(p.ID) {
			return directory.Person{}, apperr.New(apperr.Forbidden, amplifyMsgNotYours)
		}
	}
	if nrp == "" {
		return directory.Person{}, apperr.Invalidf("user_id", "%s", linkreport.MsgUserID)
	}
	person, err := a.People.Person(ctx, nrp)
	if errors.Is(err, directory.ErrNotFound) {
		return directory.Person{}, &apperr.Error{Code: apperr.NotFound, Field: "user_id", Message: amplifyMsgUserNotFound}
	}
	if err != nil {
		return directory.Person{}, err
	}
	if p.Kind == auth.KindDashboard && !p.IsAdmin() && (person.ClientID == nil || !p.AllowsClient(*person.ClientID)) {
		// Someone outside the caller's clients looks like no one.
		return directory.Person{}, &apperr.Error{Code: apperr.NotFound, Field: "user_id", Message: amplifyMsgUserNotFound}
	}
	return person, nil
}

// links reads the link fields: each non-empty one becomes its first
// http(s) URL ("" when it has none); set names the fields given non-empty.
func links(b rawBody) (events.Links, map[string]bool, error) {
	var l events.Links
	set := map[string]bool{}
	dst := map[string]*string{"instagram_link": &l.Instagram, "facebook_link": &l.Facebook, "twitter_link": &l.Twitter,
		"tiktok_link": &l.Tiktok, "youtube_link": &l.Youtube}
	for _, f := range linkFields {
		v, err := b.text(f)
		if err != nil {
			return l, nil, err
		}
		if s := strings.TrimSpace(strOr(v)); s != "" {
			*dst[f] = linkreport.FirstURL(s)
			set[strings.TrimSuffix(f, "_link")] = true
		}
	}
	return l, set, nil
}

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

func (a *amplifyCmdAPI) update(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := principalOf(w, r)
		if !ok {
			return
		}
		b, err := decodeBody(w, r)
		if err == nil {
			allowed := map[string]bool{"user_id": true, "shortcode": true, "expected_version": true}
			for _, f := range linkFields {
				allowed[f] = true
			}
			err = b.unknown(allowed)
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		userID, err := b.text("user_id")
		if err != nil {
			a.fail(w, r, err)
			return
		}
		// Optional optimistic concurrency: the report's version (If-Match
		// or expected_version); a stale one is a 409.
		version, err := requestVersion(r, b)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		l, set, err := links(b)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if kind == events.LinkReportKhusus && set["instagram"] && (l.Instagram == "" || linkreport.KhususShortcode(l.Instagram) == "") {
			a.fail(w, r, apperr.Invalidf("instagram_link", "%s", amplifyMsgIGPost))
			return
		}
		person, err := a.person(r.Context(), p, strOr(userID))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		shortcode := chi.URLParam(r, "shortcode")
		meta := writeMeta(r, p)
		meta.ExpectedVersion = version
		o, err := a.Reports.Update(r.Context(), meta, linkreport.Update{Kind: kind, Shortcode: shortcode,
			UserID: person.UserID, Links: l, Set: set, By: p.Actor(), At: a.Now()})
		if a.noReport(w, r, err) {
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		a.answerRow(w, r, http.StatusOK, kind, shortcode, person.UserID, o)
	}
}

func (a *amplifyCmdAPI) remove(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := principalOf(w, r)
		if !ok {
			return
		}
		person, err := a.person(r.Context(), p, r.URL.Query().Get("user_id"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		shortcode := chi.URLParam(r, "shortcode")
		// The answer is the report as it stood (the legacy DELETE … RETURNING).
		before, err := a.Read.Report(r.Context(), amplify.ReportFilter{Kind: kind, Shortcode: shortcode, UserID: person.UserID})
		if err != nil && !errors.Is(err, amplify.ErrNotFound) {
			a.fail(w, r, err)
			return
		}
		o, err := a.Reports.Delete(r.Context(), writeMeta(r, p), linkreport.Delete{Kind: kind, Shortcode: shortcode,
			UserID: person.UserID, By: p.Actor(), At: a.Now()})
		if a.noReport(w, r, err) {
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		var data any
		if before.Shortcode != "" {
			data = before
		}
		a.done(w, r, written{status: http.StatusOK, ps: o.Positions(), fields: map[string]any{"data": data}})
	}
}

// noReport answers an update or delete of no report as the legacy
// routes did: 200 with data null.
func (a *amplifyCmdAPI) noReport(w http.ResponseWriter, r *http.Request, err error) bool {
	if !errors.Is(err, linkreport.ErrNoReport) {
		return false
	}
	a.done(w, r, written{status: http.StatusOK, fields: map[string]any{"data": nil}})
	return true
}

func (a *amplifyCmdAPI) answer201(w http.ResponseWriter, r *http.Request, kind, shortcode, nrp string, o commands.Outcome) {
	a.answerRow(w, r, http.StatusCreated, kind, shortcode, nrp, o)
}

// answerRow answers a write with the report as the read model shows it.
func (a *amplifyCmdAPI) answerRow(w http.ResponseWriter, r *http.Request, status int, kind, shortcode, nrp string, o commands.Outcome) {
	a.done(w, r, written{status: status, ps: o.Positions(), fields: map[string]any{"data": nil},
		fill: func(ctx context.Context, body map[string]any) (bool, error) {
			row, err := a.Read.Report(ctx, amplify.ReportFilter{Kind: kind, Shortcode: shortcode, UserID: nrp})
			if errors.Is(err, amplify.ErrNotFound) {
				return false, nil
			}
			body["data"] = row
			return err == nil, err
		}})
}

package writeapi

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

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

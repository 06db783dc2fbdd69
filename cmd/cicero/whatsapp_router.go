package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/amplifytext"
	"github.com/cicero/cicero/internal/complainttext"
	"github.com/cicero/cicero/internal/google"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/premiumguard"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/amplify"
	"github.com/cicero/cicero/projections/directory"
	premiumview "github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/projections/social"
	"github.com/cicero/cicero/sagas/inbound"
	"github.com/cicero/cicero/sagas/jobs"
	"github.com/cicero/cicero/sagas/jobs/dirreport"
	"github.com/cicero/cicero/writeapi"
)

// newWhatsAppRouter builds the inbound WhatsApp router over the directory
// and premium read models, the commands, Redis and (in serve) the
// scheduler's fetch job. The WhatsApp manager hands it every message.
func newWhatsAppRouter(w *wiring) (*inbound.Router, error) {
	if w.redis == nil {
		return nil, errors.New("whatsapp router: redis is required")
	}
	d := whatsAppRouterDeps(w)
	return inbound.New(inbound.Config{Admins: waid.Admins(w.cfg.AdminWhatsApp), KeyPrefix: "cicero:", Logger: w.log}, d)
}

// whatsAppRouterDeps are the router's dependencies from the wiring.
func whatsAppRouterDeps(w *wiring) inbound.Deps {
	rt := w.runtime
	d := inbound.Deps{
		Directory: waDirectory{directory.NewQueries(w.pool)},
		Premium:   waPremium{premiumview.NewQueries(w.pool), premiumview.NewPersonnelQueries(w.pool)},
		Groups:    waGroups{directory.NewQueries(w.pool)},
		DashUsers: waDashUsers{access.NewDashboardUserQueries(w.pool)},
		Solver:    waSolver{writeapi.ComplaintSolutions{Social: social.NewQueries(w.pool)}},
		Absensi:   waAbsensi{recap.New(w.pool)},
		Usernames: waAbsensi{recap.New(w.pool)},
		Links:     waLinks{amplify.NewQueries(w.pool)},
		Reports:   waReports{dirreport.New(recap.New(w.pool), nil)},
		Redis:     w.redis,
		Commands: inbound.Commands{Person: person.NewHandlers(rt), Client: client.NewHandlers(rt),
			DashUser:         dashuser.NewHandlers(rt),
			Premium:          premium.NewHandlers(rt, premiumguard.ParseTiers(w.cfg.PremiumAllowedTiers), nil),
			PersonnelPremium: personnelpremium.NewHandlers(rt, nil), Outgoing: outgoing.NewHandlers(rt)},
	}
	d.Contacts = waContacts{w}
	if w.jobs != nil && w.background != nil {
		d.Fetcher = waFetcher{s: w.jobs, life: w.background}
	}
	return d
}

// waDirectory maps the directory read model onto the router's view.
type waDirectory struct{ q *directory.Queries }

func waPerson(p directory.Person, err error) (inbound.Person, bool, error) {
	if errors.Is(err, directory.ErrNotFound) {
		return inbound.Person{}, false, nil
	}
	if err != nil {
		return inbound.Person{}, false, err
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return inbound.Person{NRP: p.UserID, Nama: p.Nama, Title: p.Title, Divisi: p.Divisi, Jabatan: p.Jabatan, Desa: p.Desa,
		ClientID: deref(p.ClientID), ClientName: deref(p.ClientName), Insta: p.Insta, Tiktok: p.Tiktok,
		WhatsApp: p.WhatsApp, Active: p.Status, Roles: p.Roles}, true, nil
}

func (d waDirectory) PersonByWhatsApp(ctx context.Context, number string) (inbound.Person, bool, error) {
	return waPerson(d.q.PersonByWhatsApp(ctx, number))
}

func (d waDirectory) Person(ctx context.Context, nrp string) (inbound.Person, bool, error) {
	return waPerson(d.q.Person(ctx, nrp))
}

func (d waDirectory) PersonByHandle(ctx context.Context, platform, handle string) (inbound.Person, bool, error) {
	return waPerson(d.q.PersonByHandle(ctx, platform, handle))
}

func (d waDirectory) Client(ctx context.Context, id string) (inbound.Client, bool, error) {
	c, err := d.q.Client(ctx, id)
	if errors.Is(err, directory.ErrNotFound) {
		return inbound.Client{}, false, nil
	}
	if err != nil {
		return inbound.Client{}, false, err
	}
	return waClient(c), true, nil
}

func waClient(c directory.Client) inbound.Client {
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return inbound.Client{ID: c.ClientID, Nama: c.Nama, Type: c.ClientType, Active: c.ClientStatus, Insta: c.ClientInsta,
		Tiktok: c.ClientTiktok, InstaOn: c.ClientInstaStatus, TiktokOn: c.ClientTiktokStatus, AmplifyOn: c.ClientAmplifyStatus,
		Operator: c.ClientOperator, Group: c.ClientGroup, Super: c.ClientSuper, RegionalID: deref(c.RegionalID),
		ParentID: deref(c.ParentClientID), Level: deref(c.ClientLevel), SecUID: c.TiktokSecUID}
}

func (d waDirectory) Clients(ctx context.Context, typ string, activeOnly bool) ([]inbound.Client, error) {
	cs, err := d.q.Clients(ctx, directory.ClientFilter{Type: typ, ActiveOnly: activeOnly})
	return waClients(cs), err
}

func (d waDirectory) ClientsByContact(ctx context.Context, number string) ([]inbound.Client, error) {
	cs, err := d.q.ClientsByContact(ctx, number)
	return waClients(cs), err
}

func waClients(cs []directory.Client) []inbound.Client {
	out := make([]inbound.Client, len(cs))
	for i, c := range cs {
		out[i] = waClient(c)
	}
	return out
}

func (d waDirectory) Titles(ctx context.Context) ([]string, error) { return d.q.Titles(ctx) }

func (d waDirectory) Satfung(ctx context.Context, clientID string) ([]string, error) {
	return d.q.Satfung(ctx, clientID)
}

// waGroups is the gateway's allow-list: the groups of active clients.
type waGroups struct{ q *directory.Queries }

func (g waGroups) IsClientGroup(ctx context.Context, jid string) (bool, error) {
	cs, err := g.q.Clients(ctx, directory.ClientFilter{ActiveOnly: true})
	if err != nil {
		return false, err
	}
	for _, c := range cs {
		for _, grp := range waid.Split(c.ClientGroup) {
			if waid.GroupJID(grp) == jid {
				return true, nil
			}
		}
	}
	return false, nil
}

// waPremium finds a premium request's owner in the premium read models.
type waPremium struct {
	dash      *premiumview.Queries
	personnel *premiumview.PersonnelQueries
}

func (p waPremium) DashboardRequestOwner(ctx context.Context, token string) (string, bool, error) {
	r, err := p.dash.RequestByToken(ctx, token)
	if errors.Is(err, premiumview.ErrNotFound) {
		return "", false, nil
	}
	return r.DashboardUserID, err == nil, err
}

func (p waPremium) PersonnelRequestOwner(ctx context.Context, id string) (string, bool, error) {
	r, err := p.personnel.RequestByID(ctx, id)
	if errors.Is(err, premiumview.ErrNotFound) {
		return "", false, nil
	}
	return r.UserID, err == nil, err
}

// waFetcher runs the fetch job now, in the process's lifetime, and hands
// its summary lines to done.
type waFetcher struct {
	s    *schedule.Scheduler
	life context.Context
}

func (f waFetcher) Launch(_ context.Context, clientID, platform string, done func([]string, error)) error {
	var mu sync.Mutex
	var lines []string
	args := schedule.Args{ClientID: clientID, Platform: platform, Report: func(l string) {
		mu.Lock()
		lines = append(lines, l)
		mu.Unlock()
	}}
	return f.s.Launch(f.life, jobs.SocialFetchJob, args, func(err error) {
		mu.Lock()
		defer mu.Unlock()
		done(lines, err)
	})
}

// waAbsensi is the attendance recap the recap command prints, from the
// recap reader (projections/recap) at the router's clock.
type waAbsensi struct{ r *recap.Reader }

func (a waAbsensi) Absensi(ctx context.Context, clientID, platform, mode, role string, at time.Time) (string, error) {
	c, err := a.r.Client(ctx, clientID)
	if err != nil {
		return "", err
	}
	in, err := a.r.Absensi(ctx, c, platform, role, jakarta.Date(at), at)
	if err != nil {
		return "", err
	}
	in.Mode = recaptext.ParseMode(mode)
	if platform == events.PlatformTiktok {
		return recaptext.AbsensiKomentarOperator(in), nil
	}
	return recaptext.AbsensiLikes(in), nil
}

// waDashUsers maps the dashboard_users read model onto the router's view.
type waDashUsers struct{ q *access.DashboardUserQueries }

func (d waDashUsers) DashboardUsersByWhatsApp(ctx context.Context, number string) ([]inbound.DashUser, error) {
	us, err := d.q.ByWhatsApp(ctx, number)
	out := make([]inbound.DashUser, len(us))
	for i, u := range us {
		out[i] = inbound.DashUser{ID: u.DashboardUserID, Username: u.Username, Role: u.Role, Approved: u.Approved,
			ClientIDs: u.ClientIDs}
	}
	return out, err
}

// waSolver answers recognised complaint issues as the complaint routes do.
type waSolver struct{ s writeapi.ComplaintSolutions }

func (w waSolver) Solution(ctx context.Context, key string, parsed complainttext.Parsed, p inbound.Person,
	now time.Time) (string, error) {
	client := p.ClientID
	return w.s.Solution(ctx, key, parsed, directory.Person{UserID: p.NRP, Nama: p.Nama, Title: p.Title, ClientID: &client,
		Insta: p.Insta, Tiktok: p.Tiktok, Status: p.Active}, now)
}

// waContacts is the admin's savecontact over the Google contacts saver.
type waContacts struct{ w *wiring }

func (c waContacts) SaveAll(ctx context.Context) (int, error) {
	res, err := saveAllContacts(ctx, c.w)
	if errors.Is(err, google.ErrNotConfigured) {
		return 0, inbound.ErrNotConfigured
	}
	return res.Saved, err
}

// waReports builds the directorate menu's reports with the scheduled
// directorate recaps' builder.
type waReports struct{ b *dirreport.Builder }

func (r waReports) Build(ctx context.Context, clientID string, action int, o inbound.Options) ([]inbound.Part, error) {
	parts, err := r.b.Build(ctx, clientID, action, dirreport.Options{Period: o.Period, ReferenceDate: o.ReferenceDate,
		RoleFlag: o.RoleFlag})
	var unknown *dirreport.UnknownActionError
	if errors.As(err, &unknown) {
		return nil, inbound.ErrNoSuchReport
	}
	out := make([]inbound.Part, len(parts))
	for i, p := range parts {
		out[i] = inbound.Part{Text: p.Text, Document: p.Document}
	}
	return out, err
}

// UsernameCompleteness is the operators' username completeness the
// scheduled job sends (sagas/jobs, job 10): the recap, then who lacks a
// username when anybody does; nothing for a client without such members.
func (a waAbsensi) UsernameCompleteness(ctx context.Context, clientID, role string, at time.Time) ([]string, error) {
	c, err := a.r.Client(ctx, clientID)
	if err != nil {
		return nil, err
	}
	ms, err := a.r.Members(ctx, c, role, false)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	in := recaptext.Completeness{Client: c.Client, At: at}
	for _, m := range ms {
		in.Members = append(in.Members, m.Member)
	}
	out := []string{recaptext.DataCompleteness(in)}
	if missing := recaptext.IncompleteData(in); missing != "" {
		out = append(out, missing)
	}
	return out, nil
}

// waLinks is the amplification link recap the 15:05/18:05/21:05 job
// sends (sagas/jobs, cronRekapLink), from the amplify read model.
type waLinks struct{ q *amplify.Queries }

func (l waLinks) AbsensiLink(ctx context.Context, clientID, day, role string, at time.Time) (string, error) {
	a, err := l.q.Day(ctx, clientID, day, role)
	if err != nil {
		return "", err
	}
	a.ClientID = clientID
	return amplifytext.AbsensiLink(at, a), nil
}

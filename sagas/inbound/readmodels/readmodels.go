// Package readmodels maps Cicero's read models (directory, access,
// premium, recap, amplify) and the scheduler onto the views the inbound
// WhatsApp router asks for (sagas/inbound's interfaces). serve's wiring
// and the router's tests use the same mapping.
package readmodels

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/amplifytext"
	"github.com/cicero/cicero/internal/complainttext"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/amplify"
	"github.com/cicero/cicero/projections/directory"
	premiumview "github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/projections/recap"
	"github.com/cicero/cicero/sagas/inbound"
	"github.com/cicero/cicero/sagas/jobs"
	"github.com/cicero/cicero/sagas/jobs/dirreport"
	"github.com/cicero/cicero/writeapi"
)

// Directory maps the directory read model onto the router's view.
type Directory struct{ Q *directory.Queries }

func person(p directory.Person, err error) (inbound.Person, bool, error) {
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

func (d Directory) PersonByWhatsApp(ctx context.Context, number string) (inbound.Person, bool, error) {
	return person(d.Q.PersonByWhatsApp(ctx, number))
}

func (d Directory) Person(ctx context.Context, nrp string) (inbound.Person, bool, error) {
	return person(d.Q.Person(ctx, nrp))
}

func (d Directory) PersonByHandle(ctx context.Context, platform, handle string) (inbound.Person, bool, error) {
	return person(d.Q.PersonByHandle(ctx, platform, handle))
}

func (d Directory) Client(ctx context.Context, id string) (inbound.Client, bool, error) {
	c, err := d.Q.Client(ctx, id)
	if errors.Is(err, directory.ErrNotFound) {
		return inbound.Client{}, false, nil
	}
	if err != nil {
		return inbound.Client{}, false, err
	}
	return client(c), true, nil
}

func client(c directory.Client) inbound.Client {
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

func (d Directory) Clients(ctx context.Context, typ string, activeOnly bool) ([]inbound.Client, error) {
	cs, err := d.Q.Clients(ctx, directory.ClientFilter{Type: typ, ActiveOnly: activeOnly})
	return clients(cs), err
}

func (d Directory) ClientsByContact(ctx context.Context, number string) ([]inbound.Client, error) {
	cs, err := d.Q.ClientsByContact(ctx, number)
	return clients(cs), err
}

func clients(cs []directory.Client) []inbound.Client {
	out := make([]inbound.Client, len(cs))
	for i, c := range cs {
		out[i] = client(c)
	}
	return out
}

func (d Directory) Titles(ctx context.Context) ([]string, error) { return d.Q.Titles(ctx) }

func (d Directory) Satfung(ctx context.Context, clientID string) ([]string, error) {
	return d.Q.Satfung(ctx, clientID)
}

// Groups is the gateway's allow-list: the groups of active clients.
type Groups struct{ Q *directory.Queries }

func (g Groups) IsClientGroup(ctx context.Context, jid string) (bool, error) {
	cs, err := g.Q.Clients(ctx, directory.ClientFilter{ActiveOnly: true})
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

// Premium finds a premium request's owner in the premium read models.
type Premium struct {
	Dash      *premiumview.Queries
	Personnel *premiumview.PersonnelQueries
}

func (p Premium) DashboardRequestOwner(ctx context.Context, token string) (string, bool, error) {
	r, err := p.Dash.RequestByToken(ctx, token)
	if errors.Is(err, premiumview.ErrNotFound) {
		return "", false, nil
	}
	return r.DashboardUserID, err == nil, err
}

func (p Premium) PersonnelRequestOwner(ctx context.Context, id string) (string, bool, error) {
	r, err := p.Personnel.RequestByID(ctx, id)
	if errors.Is(err, premiumview.ErrNotFound) {
		return "", false, nil
	}
	return r.UserID, err == nil, err
}

// Fetcher runs the fetch job now, in the process's lifetime, and hands
// its summary lines to done.
type Fetcher struct {
	S    *schedule.Scheduler
	Life context.Context
}

func (f Fetcher) Launch(ctx context.Context, clientID, platform string, done func([]string, error)) error {
	var mu sync.Mutex
	var lines []string
	args := schedule.Args{ClientID: clientID, Platform: platform, Report: func(l string) {
		mu.Lock()
		lines = append(lines, l)
		mu.Unlock()
	}}
	// The run outlives the message but keeps its channel (audit).
	return f.S.Launch(commands.WithChannel(f.Life, commands.ChannelFrom(ctx)), jobs.SocialFetchJob, args, func(err error) {
		mu.Lock()
		defer mu.Unlock()
		done(lines, err)
	})
}

// Absensi is the attendance recap the recap command prints, from the
// recap reader (projections/recap) at the router's clock.
type Absensi struct{ R *recap.Reader }

func (a Absensi) Absensi(ctx context.Context, clientID, platform, mode, role string, at time.Time) (string, error) {
	c, err := a.R.Client(ctx, clientID)
	if err != nil {
		return "", err
	}
	in, err := a.R.Absensi(ctx, c, platform, role, jakarta.Date(at), at)
	if err != nil {
		return "", err
	}
	in.Mode = recaptext.ParseMode(mode)
	if platform == events.PlatformTiktok {
		return recaptext.AbsensiKomentarOperator(in), nil
	}
	return recaptext.AbsensiLikes(in), nil
}

// DashUsers maps the dashboard_users read model onto the router's view.
type DashUsers struct{ Q *access.DashboardUserQueries }

func (d DashUsers) DashboardUsersByWhatsApp(ctx context.Context, number string) ([]inbound.DashUser, error) {
	us, err := d.Q.ByWhatsApp(ctx, number)
	out := make([]inbound.DashUser, len(us))
	for i, u := range us {
		out[i] = inbound.DashUser{ID: u.DashboardUserID, Username: u.Username, Role: u.Role, Approved: u.Approved,
			ClientIDs: u.ClientIDs}
	}
	return out, err
}

// Solver answers recognised complaint issues as the complaint routes do.
type Solver struct{ S writeapi.ComplaintSolutions }

func (w Solver) Solution(ctx context.Context, key string, parsed complainttext.Parsed, p inbound.Person,
	now time.Time) (string, error) {
	client := p.ClientID
	return w.S.Solution(ctx, key, parsed, directory.Person{UserID: p.NRP, Nama: p.Nama, Title: p.Title, ClientID: &client,
		Insta: p.Insta, Tiktok: p.Tiktok, Status: p.Active}, now)
}

// Reports builds the directorate menu's reports with the scheduled
// directorate recaps' builder.
type Reports struct{ B *dirreport.Builder }

func (r Reports) Build(ctx context.Context, clientID string, action int, o inbound.Options) ([]inbound.Part, error) {
	parts, err := r.B.Build(ctx, clientID, action, dirreport.Options{Period: o.Period, ReferenceDate: o.ReferenceDate,
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
func (a Absensi) UsernameCompleteness(ctx context.Context, clientID, role string, at time.Time) ([]string, error) {
	c, err := a.R.Client(ctx, clientID)
	if err != nil {
		return nil, err
	}
	ms, err := a.R.Members(ctx, c, role, false)
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

// Links is the amplification link recap the 15:05/18:05/21:05 job
// sends (sagas/jobs, cronRekapLink), from the amplify read model.
type Links struct{ Q *amplify.Queries }

func (l Links) AbsensiLink(ctx context.Context, clientID, day, role string, at time.Time) (string, error) {
	a, err := l.Q.Day(ctx, clientID, day, role)
	if err != nil {
		return "", err
	}
	a.ClientID = clientID
	return amplifytext.AbsensiLink(at, a), nil
}

package inbound_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/complainttext"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections/social"

	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/directory"
	premiumview "github.com/cicero/cicero/projections/premium"
	"github.com/cicero/cicero/sagas/inbound"
	"github.com/cicero/cicero/sagas/jobs"
	"github.com/cicero/cicero/writeapi"
)

// The tests read the real read models through the same mapping the
// WhatsApp router's wiring (cmd/cicero/whatsapp_router.go) does.

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

// waAbsensi builds the attendance recap as cmd/cicero's recap reader does
// (recap.go: the client's task posts of the day with their engagers, the
// attendance query over all its personnel, recaptext).
type waAbsensi struct {
	dir    *directory.Queries
	social *social.Queries
}

func (a waAbsensi) Absensi(ctx context.Context, clientID, platform, mode, role string, at time.Time) (string, error) {
	c, err := a.dir.Client(ctx, clientID)
	if err != nil {
		return "", err
	}
	day := jakarta.Date(at)
	feed, err := a.social.Posts(ctx, social.PostQuery{Platform: platform, Clients: []string{c.ClientID}, From: day, To: day})
	if err != nil {
		return "", err
	}
	kind := social.KindLike
	if platform == events.PlatformTiktok {
		kind = social.KindComment
	}
	var posts []recaptext.Post
	for _, p := range feed {
		if !strings.EqualFold(p.ClientID, c.ClientID) {
			continue
		}
		who, err := a.social.Engagers(ctx, platform, p.PostID, kind)
		if err != nil {
			return "", err
		}
		posts = append(posts, recaptext.Post{ID: p.PostID, Uploaded: p.PublishedAt, Count: len(who), Caption: p.Caption})
	}
	att, err := a.social.Attendance(ctx, social.AttendanceQuery{Platform: platform, Task: social.ClientTask(c.ClientID),
		From: day, To: day, People: social.PeopleFilter{Client: c.ClientID, Role: strings.ToLower(role),
			DirectorateClient: strings.EqualFold(c.ClientType, "direktorat")}})
	if err != nil {
		return "", err
	}
	in := recaptext.Absensi{Client: recaptext.Client{ID: c.ClientID, Name: c.Nama, Tiktok: c.ClientTiktok},
		At: at, Posts: posts, Mode: recaptext.ParseMode(mode)}
	for _, row := range att.Rows {
		in.People = append(in.People, recaptext.Person{NRP: row.UserID, Title: row.Title, Name: row.Nama,
			Division: row.Divisi, Handle: row.Username, ClientID: row.ClientID, ClientName: row.ClientName,
			Count: row.Done, Exception: row.Exception})
	}
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

// waSolver answers recognised complaint issues as the complaint routes do.
type waSolver struct{ s writeapi.ComplaintSolutions }

func (w waSolver) Solution(ctx context.Context, key string, parsed complainttext.Parsed, p inbound.Person,
	now time.Time) (string, error) {
	client := p.ClientID
	return w.s.Solution(ctx, key, parsed, directory.Person{UserID: p.NRP, Nama: p.Nama, Title: p.Title, ClientID: &client,
		Insta: p.Insta, Tiktok: p.Tiktok, Status: p.Active}, now)
}

package inbound

import (
	"context"
	"errors"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// Person is what the router reads of a member of personnel.
type Person struct {
	NRP, Nama, Title, Divisi, Jabatan, Desa string
	ClientID, ClientName                    string
	Insta, Tiktok, WhatsApp                 string
	Active                                  bool
	Roles                                   []string
}

// Client is what the router reads of a client.
type Client struct {
	ID, Nama, Type                      string
	Active                              bool
	Insta, Tiktok                       string
	InstaOn, TiktokOn, AmplifyOn        bool
	Operator, Group, Super              string
	RegionalID, ParentID, Level, SecUID string
}

// Directory answers the router's questions about personnel and clients
// (the directory read model). found is false when there is no such row.
type Directory interface {
	PersonByWhatsApp(ctx context.Context, number string) (p Person, found bool, err error)
	Person(ctx context.Context, nrp string) (p Person, found bool, err error)
	// PersonByHandle is the person holding an Instagram ("instagram") or
	// TikTok ("tiktok") username.
	PersonByHandle(ctx context.Context, platform, handle string) (p Person, found bool, err error)
	Client(ctx context.Context, id string) (c Client, found bool, err error)
	// Clients lists clients of a type ("org", "direktorat"; "" any),
	// only active ones when activeOnly, ordered by id.
	Clients(ctx context.Context, typ string, activeOnly bool) ([]Client, error)
	// ClientsByContact lists the clients whose operator or super-admin
	// number is number.
	ClientsByContact(ctx context.Context, number string) ([]Client, error)
	// Titles are the ranks a person may choose; Satfung the units of a
	// client (with the four static ones).
	Titles(ctx context.Context) ([]string, error)
	Satfung(ctx context.Context, clientID string) ([]string, error)
}

// ClientGroups answers whether a group JID is the group of an active
// client (the gateway session's allow-list).
type ClientGroups interface {
	IsClientGroup(ctx context.Context, groupJID string) (bool, error)
}

// PremiumRequests finds who owns a premium request (the PREMIUM read
// models): a dashboard request by its token, a personnel request by its id.
type PremiumRequests interface {
	DashboardRequestOwner(ctx context.Context, token string) (dashboardUserID string, found bool, err error)
	PersonnelRequestOwner(ctx context.Context, requestID string) (nrp string, found bool, err error)
}

// Fetcher runs the social fetch job now for one client and platform
// ("instagram" or "tiktok"): Launch returns once the run started (ErrBusy
// style errors when it is running already) and calls done with the run's
// summary lines and error when it ends.
type Fetcher interface {
	Launch(ctx context.Context, clientID, platform string, done func(report []string, err error)) error
}

// Attendance builds a client's attendance recap of the Jakarta day of at
// (absensi likes for "instagram", absensi komentar for "tiktok") in mode
// "all", "sudah" or "belum" (internal/recaptext).
type Attendance interface {
	// role, when set, keeps only holders of that role (the operator
	// menu's reports count operators).
	Absensi(ctx context.Context, clientID, platform, mode, role string, at time.Time) (string, error)
}

// UsernameRecap is a client's username completeness among the holders of
// role: the recap and, when anybody lacks a username, who (the texts of
// the scheduled job cronOprRequestAbsensiUpdateDataUsername).
type UsernameRecap interface {
	UsernameCompleteness(ctx context.Context, clientID, role string, at time.Time) ([]string, error)
}

// LinkRecap is the amplification link recap (absensiLink) of a client's
// holders of role for a Jakarta date ("2006-01-02"), made at.
type LinkRecap interface {
	AbsensiLink(ctx context.Context, clientID, day, role string, at time.Time) (string, error)
}

// DashUser is what the router reads of a dashboard account.
type DashUser struct {
	ID, Username, Role string
	Approved           bool
	ClientIDs          []string
}

// DashboardUsers finds the dashboard accounts registered with a WhatsApp
// number (62…): who may open the directorate menu.
type DashboardUsers interface {
	DashboardUsersByWhatsApp(ctx context.Context, number string) ([]DashUser, error)
}

// ContactSaver saves every active, opted-in person's number as a Google
// contact (the admin's savecontact), through the outbox, and counts the
// numbers that are contacts now; ErrNotConfigured when the server has no
// Google contacts. key names the request (the same key saves nothing
// twice); meta names the admin who asked.
type ContactSaver interface {
	SaveAll(ctx context.Context, meta commands.Meta, key string) (saved int, err error)
}

// ErrNotConfigured: an optional integration is not configured here.
var ErrNotConfigured = errors.New("not configured")

// ErrNoSuchReport: DirReports does not build this report (yet).
var ErrNoSuchReport = errors.New("report not available")

// Options narrow a directorate report (dirrequest menu).
type Options struct {
	Period        string
	ReferenceDate time.Time
	RoleFlag      string
}

// Part is one message of a report: a text, a file, or both.
type Part struct {
	Text     string
	Document *events.QueuedDocument
}

// DirReports builds the directorate menu's reports; action is the menu
// number (5, 6, 7, …).
type DirReports interface {
	Build(ctx context.Context, clientID string, action int, opts Options) ([]Part, error)
}

package events

// Directory context (stream DIRECTORY): clients and personnel.
// Emitted by commands/client and commands/person; consumed by the directory
// projection (tables clients, personnel) and by the audit index.

// Subject prefixes of the directory aggregates.
const (
	ClientSubjectPrefix = "directory.client"
	PersonSubjectPrefix = "directory.person"
)

// ClientSubject is the subject of one client aggregate.
func ClientSubject(clientID string) string { return Subject(ClientSubjectPrefix, clientID) }

// PersonSubject is the subject of one person aggregate (by NRP).
func PersonSubject(nrp string) string { return Subject(PersonSubjectPrefix, nrp) }

// ClientRegistered: a client (Polres, directorate, …) was created.
type ClientRegistered struct {
	ClientID       string `json:"client_id"`
	Nama           string `json:"nama"`
	ClientType     string `json:"client_type"`
	ClientInsta    string `json:"client_insta"`
	ClientTiktok   string `json:"client_tiktok"`
	InstaStatus    bool   `json:"client_insta_status"`
	TiktokStatus   bool   `json:"client_tiktok_status"`
	AmplifyStatus  bool   `json:"client_amplify_status"`
	ClientOperator string `json:"client_operator"`
	ClientGroup    string `json:"client_group"`
	RegionalID     string `json:"regional_id,omitempty"`
	ParentClientID string `json:"parent_client_id,omitempty"`
	ClientLevel    string `json:"client_level,omitempty"`
	TiktokSecUID   string `json:"tiktok_secuid"`
	ClientSuper    string `json:"client_super"`
}

func (ClientRegistered) EventType() string { return "ClientRegistered" }

// ClientFields are the mutable client fields; nil means "not changed".
type ClientFields struct {
	Nama           *string `json:"nama,omitempty"`
	ClientType     *string `json:"client_type,omitempty"`
	ClientInsta    *string `json:"client_insta,omitempty"`
	ClientTiktok   *string `json:"client_tiktok,omitempty"`
	InstaStatus    *bool   `json:"client_insta_status,omitempty"`
	TiktokStatus   *bool   `json:"client_tiktok_status,omitempty"`
	AmplifyStatus  *bool   `json:"client_amplify_status,omitempty"`
	ClientOperator *string `json:"client_operator,omitempty"`
	ClientGroup    *string `json:"client_group,omitempty"`
	RegionalID     *string `json:"regional_id,omitempty"`
	ParentClientID *string `json:"parent_client_id,omitempty"`
	ClientLevel    *string `json:"client_level,omitempty"`
	TiktokSecUID   *string `json:"tiktok_secuid,omitempty"`
	ClientSuper    *string `json:"client_super,omitempty"`
}

// ClientUpdated carries only the fields that changed.
type ClientUpdated struct {
	ClientID string       `json:"client_id"`
	Changes  ClientFields `json:"changes"`
}

func (ClientUpdated) EventType() string { return "ClientUpdated" }

// ClientActivated / ClientDeactivated flip client_status.
type ClientActivated struct {
	ClientID string `json:"client_id"`
}

func (ClientActivated) EventType() string { return "ClientActivated" }

type ClientDeactivated struct {
	ClientID string `json:"client_id"`
}

func (ClientDeactivated) EventType() string { return "ClientDeactivated" }

// PersonRegistered: a member of personnel (NRP/NIP) entered the directory.
// Personal data (nama, whatsapp, email) stays in this person's own subject
// so that a future crypto-shredding step can address it in one place.
type PersonRegistered struct {
	NRP           string   `json:"user_id"`
	Nama          string   `json:"nama"`
	Title         string   `json:"title"`
	Divisi        string   `json:"divisi"`
	Jabatan       string   `json:"jabatan"`
	Desa          string   `json:"desa,omitempty"`
	ClientID      string   `json:"client_id"`
	Insta         string   `json:"insta"`
	Tiktok        string   `json:"tiktok"`
	WhatsApp      string   `json:"whatsapp"`
	Email         string   `json:"email,omitempty"`
	Roles         []string `json:"roles"`
	Exception     bool     `json:"exception"`
	WhatsAppOptIn bool     `json:"wa_notification_opt_in"`
}

func (PersonRegistered) EventType() string { return "PersonRegistered" }

// PersonFields are the mutable text fields of a person; nil = unchanged.
type PersonFields struct {
	Nama     *string `json:"nama,omitempty"`
	Title    *string `json:"title,omitempty"`
	Divisi   *string `json:"divisi,omitempty"`
	Jabatan  *string `json:"jabatan,omitempty"`
	Desa     *string `json:"desa,omitempty"`
	ClientID *string `json:"client_id,omitempty"`
	WhatsApp *string `json:"whatsapp,omitempty"`
	Email    *string `json:"email,omitempty"`
}

// PersonUpdated carries only the fields that changed.
type PersonUpdated struct {
	NRP     string       `json:"user_id"`
	Changes PersonFields `json:"changes"`
}

func (PersonUpdated) EventType() string { return "PersonUpdated" }

// Platforms of a person's social handles.
const (
	PlatformInstagram = "instagram"
	PlatformTiktok    = "tiktok"
)

// PersonHandleChanged: the person's Instagram or TikTok username changed
// (stored lower-case without '@'; empty clears it).
type PersonHandleChanged struct {
	NRP      string `json:"user_id"`
	Platform string `json:"platform"`
	Handle   string `json:"handle"`
}

func (PersonHandleChanged) EventType() string { return "PersonHandleChanged" }

// PersonRoleGranted / PersonRoleRevoked change the person's roles.
type PersonRoleGranted struct {
	NRP  string `json:"user_id"`
	Role string `json:"role"`
}

func (PersonRoleGranted) EventType() string { return "PersonRoleGranted" }

type PersonRoleRevoked struct {
	NRP  string `json:"user_id"`
	Role string `json:"role"`
}

func (PersonRoleRevoked) EventType() string { return "PersonRoleRevoked" }

// PersonDeactivated / PersonReactivated flip the person's status.
type PersonDeactivated struct {
	NRP string `json:"user_id"`
}

func (PersonDeactivated) EventType() string { return "PersonDeactivated" }

type PersonReactivated struct {
	NRP string `json:"user_id"`
}

func (PersonReactivated) EventType() string { return "PersonReactivated" }

// PersonExceptionChanged: exempt personnel count as done in attendance.
type PersonExceptionChanged struct {
	NRP       string `json:"user_id"`
	Exception bool   `json:"exception"`
}

func (PersonExceptionChanged) EventType() string { return "PersonExceptionChanged" }

// PersonWhatsAppOptInChanged: consent to WhatsApp task notifications.
type PersonWhatsAppOptInChanged struct {
	NRP   string `json:"user_id"`
	OptIn bool   `json:"wa_notification_opt_in"`
}

func (PersonWhatsAppOptInChanged) EventType() string { return "PersonWhatsAppOptInChanged" }

// PersonSnapshot is a person's whole state, carried by PersonRenumbered so
// the aggregate under the new NRP starts from where the old one stopped.
type PersonSnapshot struct {
	PersonRegistered
	Active bool `json:"status"`
}

// PersonRenumbered is appended to both the old and the new NRP's subjects in
// one atomic batch: the old aggregate ends, the new one begins with Person.
type PersonRenumbered struct {
	OldNRP string         `json:"old_user_id"`
	NewNRP string         `json:"new_user_id"`
	Person PersonSnapshot `json:"person"`
}

func (PersonRenumbered) EventType() string { return "PersonRenumbered" }

func registerDirectory(r *Registry) {
	for _, f := range []func() Payload{
		func() Payload { return &ClientRegistered{} },
		func() Payload { return &ClientUpdated{} },
		func() Payload { return &ClientActivated{} },
		func() Payload { return &ClientDeactivated{} },
		func() Payload { return &PersonRegistered{} },
		func() Payload { return &PersonUpdated{} },
		func() Payload { return &PersonHandleChanged{} },
		func() Payload { return &PersonRoleGranted{} },
		func() Payload { return &PersonRoleRevoked{} },
		func() Payload { return &PersonDeactivated{} },
		func() Payload { return &PersonReactivated{} },
		func() Payload { return &PersonExceptionChanged{} },
		func() Payload { return &PersonWhatsAppOptInChanged{} },
		func() Payload { return &PersonRenumbered{} },
	} {
		r.Register(1, f)
	}
}

package events

import "time"

// WhatsAppSessionSubjectPrefix is the subject prefix of the WhatsApp
// session aggregate (messaging.session.<name>): the pairing history of one
// of the three legacy sessions (wa, wa-user, wa-gateway).
const WhatsAppSessionSubjectPrefix = "messaging.session"

// WhatsAppSessionSubject is the subject of the session called name.
func WhatsAppSessionSubject(name string) string { return Subject(WhatsAppSessionSubjectPrefix, name) }

// WhatsAppSessionPaired: a phone linked the session's device (QR scanned in
// `cicero wa-login` or on /ops). JID is the device's own address
// (the organisation's bot number with its device part), ClientID the
// configured device id (APP_SESSION_NAME, USER_WA_CLIENT_ID,
// GATEWAY_WA_CLIENT_ID). Emitted by commands/wasession on the WhatsApp
// manager's behalf; consumed by the wa_sessions read model
// (projections/messaging), which /ops shows as the pairing history beside
// the manager's live state.
type WhatsAppSessionPaired struct {
	Session  string    `json:"session"`
	ClientID string    `json:"client_id"`
	JID      string    `json:"jid"`
	Platform string    `json:"platform,omitempty"`
	PairedAt time.Time `json:"paired_at"`
}

func (WhatsAppSessionPaired) EventType() string { return "WhatsAppSessionPaired" }

// WhatsAppSessionLoggedOut: the session's device was unlinked (from the
// phone, by WhatsApp, by `cicero wa-logout`); it sends nothing until paired
// again. Reason is whatsmeow's description (e.g. "401: logged out").
type WhatsAppSessionLoggedOut struct {
	Session     string    `json:"session"`
	ClientID    string    `json:"client_id"`
	JID         string    `json:"jid"`
	Reason      string    `json:"reason"`
	LoggedOutAt time.Time `json:"logged_out_at"`
}

func (WhatsAppSessionLoggedOut) EventType() string { return "WhatsAppSessionLoggedOut" }

func registerWhatsAppSession(r *Registry) {
	r.Register(1, func() Payload { return &WhatsAppSessionPaired{} })
	r.Register(1, func() Payload { return &WhatsAppSessionLoggedOut{} })
}

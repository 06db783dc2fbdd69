package whatsapp

import (
	"errors"
	"fmt"
	"strings"
)

// The three sessions (labels of the legacy WA, WA-USER and WA-GATEWAY
// clients); the same names as sagas.SessionMain, SessionUser and
// SessionGateway, which messages name in Content.Session.
const (
	SessionMain    = "wa"
	SessionUser    = "wa-user"
	SessionGateway = "wa-gateway"
)

// Sessions lists every session, in the legacy fallback order
// (gateway → main → user, spec/ops.md §5.4).
var Sessions = []string{SessionGateway, SessionMain, SessionUser}

// Devices are the sessions' device ids (the legacy clientIds:
// APP_SESSION_NAME, USER_WA_CLIENT_ID, GATEWAY_WA_CLIENT_ID). A device id
// keys the session's row in whatsapp_devices, as it named the session's
// folder in the legacy system: changing it starts an unpaired session.
type Devices struct {
	Main, User, Gateway string
}

// ID is the device id of session.
func (d Devices) ID(session string) string {
	switch session {
	case SessionMain:
		return d.Main
	case SessionUser:
		return d.User
	case SessionGateway:
		return d.Gateway
	}
	return ""
}

// Validate refuses empty or shared device ids (compared without case, as
// the legacy session folders were): two sessions on one device would
// replace each other's connection.
func (d Devices) Validate() error {
	var errs []error
	seen := map[string]string{}
	for _, s := range Sessions {
		id := strings.TrimSpace(d.ID(s))
		if id == "" {
			errs = append(errs, fmt.Errorf("whatsapp: session %s has no device id", s))
			continue
		}
		if other, dup := seen[strings.ToLower(id)]; dup {
			errs = append(errs, fmt.Errorf("whatsapp: sessions %s and %s share the device id %q; APP_SESSION_NAME, USER_WA_CLIENT_ID and GATEWAY_WA_CLIENT_ID must differ", other, s, id))
			continue
		}
		seen[strings.ToLower(id)] = s
	}
	return errors.Join(errs...)
}

// ValidSession reports one of the three session names.
func ValidSession(name string) bool {
	for _, s := range Sessions {
		if s == name {
			return true
		}
	}
	return false
}

package whatsapp

import (
	"errors"
	"strings"

	"go.mau.fi/whatsmeow/types"

	"github.com/cicero/cicero/internal/waid"
)

// errInvalidRecipient is a recipient that is no WhatsApp chat at all.
var errInvalidRecipient = errors.New("recipient is not a WhatsApp user or group address")

// ParseRecipient turns a saga's recipient into the chat to send to: a group
// ("…@g.us", as is), or a user in any legacy spelling ("62…@s.whatsapp.net",
// "…@c.us", bare digits with or without the trunk 0), normalised by
// internal/waid to "62…@s.whatsapp.net". Anything else (other servers,
// too few digits) is errInvalidRecipient.
func ParseRecipient(s string) (types.JID, error) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(strings.ToLower(s), "@"+types.GroupServer) {
		g := waid.GroupJID(s)
		if g == "" {
			return types.JID{}, errInvalidRecipient
		}
		return types.NewJID(strings.TrimSuffix(g, "@"+types.GroupServer), types.GroupServer), nil
	}
	if _, server, ok := strings.Cut(s, "@"); ok && server != waid.UserServer && server != waid.LegacyUserServer {
		return types.JID{}, errInvalidRecipient
	}
	u := waid.UserJID(s)
	if u == "" {
		return types.JID{}, errInvalidRecipient
	}
	return types.NewJID(strings.TrimSuffix(u, "@"+waid.UserServer), types.DefaultUserServer), nil
}

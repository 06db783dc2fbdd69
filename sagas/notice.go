package sagas

import (
	"strings"

	"github.com/cicero/cicero/internal/waid"
)

// WhatsAppTo is a WhatsApp text to one person's number (any stored or
// typed spelling), or nothing when the number is missing or too short to
// be one: a notice without a reachable recipient is skipped, never an
// error that would stop the saga.
func WhatsAppTo(number, text, session string) []Message {
	jid := waid.UserJID(number)
	if jid == "" {
		return nil
	}
	return []Message{{Channel: ChannelWhatsApp, Recipient: jid, Content: Content{Text: text, Session: session}}}
}

// WhatsAppToAll is the same text to each of jids (already JIDs, as
// waid.Admins gives them); none when the list is empty.
func WhatsAppToAll(jids []string, text, session string) []Message {
	out := make([]Message, 0, len(jids))
	for _, j := range jids {
		if j != "" {
			out = append(out, Message{Channel: ChannelWhatsApp, Recipient: j, Content: Content{Text: text, Session: session}})
		}
	}
	return out
}

// OrDash is s, or "-" when it is blank: how notices print a missing value.
func OrDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

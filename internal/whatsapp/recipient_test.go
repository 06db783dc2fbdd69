package whatsapp

import (
	"errors"
	"testing"

	"go.mau.fi/whatsmeow/types"
)

func TestParseRecipient(t *testing.T) {
	for _, c := range []struct {
		in   string
		want types.JID
	}{
		{"6281234567890@s.whatsapp.net", types.NewJID("6281234567890", types.DefaultUserServer)},
		{"6281234567890@c.us", types.NewJID("6281234567890", types.DefaultUserServer)},
		{"081234567890", types.NewJID("6281234567890", types.DefaultUserServer)},
		{" +62 812-3456-7890 ", types.NewJID("6281234567890", types.DefaultUserServer)},
		{"120363419830216549@g.us", types.NewJID("120363419830216549", types.GroupServer)},
		{"120363419830216549@G.US", types.NewJID("120363419830216549", types.GroupServer)},
		{"6281234567890-1600000000@g.us", types.NewJID("6281234567890-1600000000", types.GroupServer)},
	} {
		got, err := ParseRecipient(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseRecipient(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "0812", "1234567@c.us", "status@broadcast", "123@lid", "abc@g.us", "x@newsletter", "rina@example.test"} {
		if got, err := ParseRecipient(bad); !errors.Is(err, errInvalidRecipient) {
			t.Errorf("ParseRecipient(%q) = %v, %v; want errInvalidRecipient", bad, got, err)
		}
	}
}

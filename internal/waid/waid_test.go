package waid

import (
	"slices"
	"testing"
)

func TestUserJID(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"081234567890", "6281234567890@s.whatsapp.net"},
		{"6281234567890", "6281234567890@s.whatsapp.net"},
		{"+62 812-3456-7890", "6281234567890@s.whatsapp.net"},
		{"81234567890", "6281234567890@s.whatsapp.net"},
		{"6281234567890@c.us", "6281234567890@s.whatsapp.net"},
		{"6281234567890@s.whatsapp.net", "6281234567890@s.whatsapp.net"},
		{"1234567@c.us", ""},
		{"0812", ""},
		{"", ""},
	} {
		if got := UserJID(c.in); got != c.want {
			t.Errorf("UserJID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestGroupJID(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"120363419830216549@g.us", "120363419830216549@g.us"},
		{"120363419830216549", "120363419830216549@g.us"},
		{"https://chat.whatsapp.com/invite/120363419830216549", "120363419830216549@g.us"},
		{"chat.whatsapp.com/AbCdEfGh", ""},
		{"6281234567890-1600000000@g.us", "6281234567890-1600000000@g.us"},
		{"12345", ""},
		{"", ""},
	} {
		if got := GroupJID(c.in); got != c.want {
			t.Errorf("GroupJID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRecipientSplitAdmins(t *testing.T) {
	if got := Recipient("120363419830216549@g.us"); got != "120363419830216549@g.us" {
		t.Errorf("group recipient = %q", got)
	}
	if got := Recipient("0812 3456 7890"); got != "6281234567890@s.whatsapp.net" {
		t.Errorf("user recipient = %q", got)
	}
	if got := Split("0811111111; 0822222222,\n0833333333 ,,"); !slices.Equal(got, []string{"0811111111", "0822222222", "0833333333"}) {
		t.Errorf("Split = %q", got)
	}
	admins := Admins("08111111111, 628111111111@c.us,628222222222, bad")
	if !slices.Equal(admins, []string{"628111111111@s.whatsapp.net", "628222222222@s.whatsapp.net"}) {
		t.Errorf("Admins = %q", admins)
	}
	if !IsAdmin(admins, "628222222222@c.us") || IsAdmin(admins, "628333333333@s.whatsapp.net") {
		t.Error("IsAdmin mismatch")
	}
	if NumberOf("628111111111@s.whatsapp.net") != "628111111111" || NumberOf("1203@g.us") != "" {
		t.Error("NumberOf mismatch")
	}
}

package normalize_test

import (
	"testing"

	"github.com/cicero/cicero/internal/normalize"
)

func TestScalars(t *testing.T) {
	cases := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"nrp digits", normalize.NRP, " 75.020 001 ", "75020001"},
		{"nrp letters dropped", normalize.NRP, "NRP-1234a56", "123456"},
		{"nrp blank", normalize.NRP, "  ", ""},
		{"client id", normalize.ClientID, " polres_jombang ", "POLRES_JOMBANG"},
		{"text", normalize.Text, " bripka  ", "BRIPKA"},
		{"email", normalize.Email, " Budi@Example.COM ", "budi@example.com"},
		{"role", normalize.Role, " DitBinmas ", "ditbinmas"},
		{"wa leading 0", normalize.WhatsApp, "0812-3456-789", "628123456789"},
		{"wa 62 kept", normalize.WhatsApp, "+62 812 3456 789", "628123456789"},
		{"wa no prefix", normalize.WhatsApp, "8123456789", "628123456789"},
		{"wa c.us", normalize.WhatsApp, "628123456789@c.us", "628123456789"},
		{"wa blank", normalize.WhatsApp, " - ", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.fn(c.in); got != c.want {
				t.Fatalf("%q → %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestValidators(t *testing.T) {
	if normalize.ValidWhatsApp("6281234") || !normalize.ValidWhatsApp("62812345") {
		t.Fatal("whatsapp length bound is 8 digits")
	}
	for e, want := range map[string]bool{"budi@example.com": true, "a.b+c@x.co.id": true,
		"budi@example": false, "budi example.com": false, "@example.com": false, "budi@@x.com": false} {
		if normalize.ValidEmail(e) != want {
			t.Errorf("ValidEmail(%q) = %v", e, !want)
		}
	}
	for r, want := range map[string]bool{"operator": true, "role_2": true, "": false, "a-b": false, "Ops": false} {
		if normalize.ValidRole(r) != want {
			t.Errorf("ValidRole(%q) = %v", r, !want)
		}
	}
}

func TestHandles(t *testing.T) {
	cases := []struct {
		in            string
		lenient       string
		insta, tiktok string // "!" = refused
	}{
		{"budi.ig", "budi.ig", "budi.ig", "budi.ig"},
		{"@Budi_IG", "budi_ig", "budi_ig", "budi_ig"},
		{"  @ budi ", "budi", "budi", "budi"},
		{"https://www.instagram.com/Budi.IG/?hl=en", "budi.ig", "budi.ig", "!"},
		{"instagram.com/budi/", "budi", "budi", "!"},
		{"https://instagram.com/u/budi", "budi", "budi", "!"},
		{"https://www.instagram.com/p/Cx12ab/", "", "!", "!"},
		{"https://www.tiktok.com/@Budi.tt/video/123", "budi.tt", "!", "budi.tt"},
		{"tiktok.com/@budi?lang=id", "budi", "!", "budi"},
		{"https://vt.tiktok.com/ZSabc/", "", "!", "!"},
		{"https://facebook.com/budi", "", "!", "!"},
		{"budi santoso", "budisantoso", "!", "!"},
		{"budi-ig", "budiig", "!", "!"},
		{"", "", "", ""},
		{"abcdefghijklmnopqrstuvwxyz12345", "abcdefghijklmnopqrstuvwxyz12345", "!", "!"},
		{"abcdefghijklmnopqrstuvwxy", "abcdefghijklmnopqrstuvwxy", "abcdefghijklmnopqrstuvwxy", "!"},
		// Plain handle bytes that still read as links.
		{"instagram.com", "", "!", "!"},
		{"www.budi", "", "!", "!"},
		{"budi.tiktok.com", "", "!", "!"},
	}
	strict := func(f func(string) (string, bool), in string) string {
		h, ok := f(in)
		if !ok {
			return "!"
		}
		return h
	}
	for _, c := range cases {
		if got := normalize.Handle(c.in); got != c.lenient {
			t.Errorf("Handle(%q) = %q, want %q", c.in, got, c.lenient)
		}
		if got := strict(normalize.InstagramHandle, c.in); got != c.insta {
			t.Errorf("InstagramHandle(%q) = %q, want %q", c.in, got, c.insta)
		}
		if got := strict(normalize.TiktokHandle, c.in); got != c.tiktok {
			t.Errorf("TiktokHandle(%q) = %q, want %q", c.in, got, c.tiktok)
		}
		// What the commands store is already in matching form.
		if h, ok := normalize.InstagramHandle(c.in); ok && normalize.Handle(h) != h {
			t.Errorf("Handle(%q) changes a stored handle", h)
		}
	}
}

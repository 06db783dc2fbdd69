package jobs

import "testing"

// A reminder goes to a number of at least ten digits as stored (spec/ops.md
// §3.4 "reminder recipients: digits ≥ 10 then formatToWhatsAppId"): the
// count is of the stored digits, before the 62 normalisation lengthens a
// 0… number.
func TestReminderChat(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0812345678", "62812345678@s.whatsapp.net"},
		{"6281234567", "6281234567@s.whatsapp.net"},
		{"+62 812-3456-7890", "6281234567890@s.whatsapp.net"},
		{"081234567", ""}, // nine digits: 6281234567 after normalisation, still too short
		{"812345678", ""},
		{"", ""},
	} {
		if got := reminderChat(tc.in); got != tc.want {
			t.Errorf("reminderChat(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

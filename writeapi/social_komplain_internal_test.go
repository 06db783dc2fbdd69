package writeapi

import "testing"

func TestComplaintDeliveryTarget(t *testing.T) {
	for _, tt := range []struct{ raw, status, number string }{
		{"", "skipped", ""},
		{"  ", "skipped", ""},
		{"0812", "invalid", ""},
		{"081211112222", "pending", "6281211112222"},
		{"+62 812-1111-2222", "pending", "6281211112222"},
		{"81211112222", "pending", "6281211112222"},
		{"6281211112222", "pending", "6281211112222"},
	} {
		if got := delivery(tt.raw); got.status != tt.status || got.number != tt.number {
			t.Errorf("delivery(%q) = %+v, want %s %q", tt.raw, got, tt.status, tt.number)
		}
	}
}

package premiumguard

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

func TestDecide(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	later, earlier := ptr(now.Add(time.Hour)), ptr(now.Add(-time.Second))
	allowed := DefaultTiers
	tests := []struct {
		name    string
		s       Snapshot
		allowed []string
		ok      bool
		want    Body
	}{
		{"active allowed tier", Snapshot{true, ptr("tier1"), later}, allowed, true,
			Body{Success: true, PremiumTier: ptr("tier1"), PremiumExpiresAt: later, ExpiresAt: later}},
		{"tier compared lower-cased and trimmed; handler gets it lower-cased", Snapshot{true, ptr(" Premium_1 "), later}, allowed, true,
			Body{Success: true, PremiumTier: ptr("premium_1"), PremiumExpiresAt: later, ExpiresAt: later}},
		{"expiry exactly now is not yet expired", Snapshot{true, ptr("tier2"), ptr(now)}, allowed, true,
			Body{Success: true, PremiumTier: ptr("tier2"), PremiumExpiresAt: ptr(now), ExpiresAt: ptr(now)}},
		{"no expiry is not expired", Snapshot{true, ptr("tier2"), nil}, allowed, true,
			Body{Success: true, PremiumTier: ptr("tier2")}},
		{"expired", Snapshot{true, ptr("tier1"), earlier}, allowed, false,
			Body{Message: MsgExpired, PremiumTier: ptr("tier1"), PremiumExpiresAt: earlier, ExpiresAt: earlier}},
		{"expired wins over missing status", Snapshot{false, ptr("tier1"), earlier}, allowed, false,
			Body{Message: MsgExpired, PremiumTier: ptr("tier1"), PremiumExpiresAt: earlier, ExpiresAt: earlier}},
		{"no premium", Snapshot{false, nil, nil}, allowed, false,
			Body{Message: MsgRequired}},
		{"status off with a future expiry", Snapshot{false, ptr("tier1"), later}, allowed, false,
			Body{Message: MsgRequired, PremiumTier: ptr("tier1"), PremiumExpiresAt: later, ExpiresAt: later}},
		{"tier outside the list (legacy WA default 'premium')", Snapshot{true, ptr("premium"), later}, allowed, false,
			Body{Message: MsgTierNotAllowed, PremiumTier: ptr("premium"), PremiumExpiresAt: later, ExpiresAt: later}},
		{"missing tier", Snapshot{true, nil, later}, allowed, false,
			Body{Message: MsgTierNotAllowed, PremiumExpiresAt: later, ExpiresAt: later}},
		{"blank tier counts as missing", Snapshot{true, ptr("  "), later}, allowed, false,
			Body{Message: MsgTierNotAllowed, PremiumExpiresAt: later, ExpiresAt: later}},
		{"empty allowed list accepts any tier", Snapshot{true, ptr("Gold"), later}, nil, true,
			Body{Success: true, PremiumTier: ptr("gold"), PremiumExpiresAt: later, ExpiresAt: later}},
		{"custom list", Snapshot{true, ptr("gold"), later}, []string{"gold"}, true,
			Body{Success: true, PremiumTier: ptr("gold"), PremiumExpiresAt: later, ExpiresAt: later}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, body := Decide(tc.s, tc.allowed, now)
			if ok != tc.ok {
				t.Errorf("allowed = %v, want %v", ok, tc.ok)
			}
			if d := cmp.Diff(tc.want, body); d != "" {
				t.Errorf("body (-want +got):\n%s", d)
			}
		})
	}
}

// TestBodyJSON pins the wire shape of a refusal: nulls are sent, not left
// out, and instants keep their offset.
func TestBodyJSON(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	exp := time.Date(2026, 4, 2, 0, 0, 0, 0, wib)
	_, body := Decide(Snapshot{Status: true, Tier: ptr("premium"), ExpiresAt: &exp}, DefaultTiers, exp.Add(-time.Hour))
	got, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"success":false,"message":"Premium tier tidak diizinkan untuk endpoint ini","premium_tier":"premium",` +
		`"premium_expires_at":"2026-04-02T00:00:00+07:00","expires_at":"2026-04-02T00:00:00+07:00"}`
	if string(got) != want {
		t.Errorf("json:\n got %s\nwant %s", got, want)
	}
	_, body = Decide(Snapshot{}, DefaultTiers, exp)
	got, _ = json.Marshal(body)
	want = `{"success":false,"message":"Akses premium diperlukan untuk endpoint ini","premium_tier":null,"premium_expires_at":null,"expires_at":null}`
	if string(got) != want {
		t.Errorf("json:\n got %s\nwant %s", got, want)
	}
}

func TestParseTiers(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{"tier1", "tier2", "premium_1"}},
		{" , ,", []string{"tier1", "tier2", "premium_1"}},
		{"Gold, tier1 ,GOLD,,", []string{"gold", "tier1"}},
		{"premium_1", []string{"premium_1"}},
	}
	for _, tc := range tests {
		if d := cmp.Diff(tc.want, ParseTiers(tc.in)); d != "" {
			t.Errorf("ParseTiers(%q) (-want +got):\n%s", tc.in, d)
		}
	}
	// The default must not be shared: a caller appending to it changes nothing here.
	got := ParseTiers("")
	got[0] = "x"
	if DefaultTiers[0] != "tier1" {
		t.Fatal("ParseTiers returned DefaultTiers itself")
	}
}

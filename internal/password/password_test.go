package password

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashVerify(t *testing.T) {
	h := Hasher{Cost: bcrypt.MinCost}
	hash, err := h.Hash("rahasia-123")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(hash, "rahasia") {
		t.Fatal("hash holds the password")
	}
	cases := []struct {
		hash, pw string
		want     bool
	}{
		{hash, "rahasia-123", true},
		{hash, "Rahasia-123", false},
		{hash, "", false},
		{"", "", false},
		{"not-a-hash", "rahasia-123", false},
	}
	for _, c := range cases {
		if got := Verify(c.hash, c.pw); got != c.want {
			t.Errorf("Verify(%q, %q) = %v, want %v", c.hash, c.pw, got, c.want)
		}
	}
	again, err := h.Hash("rahasia-123")
	if err != nil {
		t.Fatal(err)
	}
	if again == hash {
		t.Fatal("two hashes of one password are equal: no salt")
	}
}

func TestDefaultCost(t *testing.T) {
	if testing.Short() {
		t.Skip("cost 10 is slow under the race detector")
	}
	hash, err := Hash("rahasia-123")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := bcrypt.Cost([]byte(hash)); err != nil || c != DefaultCost {
		t.Fatalf("cost %d (%v), want %d", c, err, DefaultCost)
	}
	if !Verify(hash, "rahasia-123") {
		t.Fatal("default-cost hash does not verify")
	}
}

func TestPolicy(t *testing.T) {
	cases := []struct {
		pw             string
		short, tooLong bool
	}{
		{"1234567", true, false},
		{"12345678", false, false},
		{"kata sandi", false, false},
		{"ááááááá", true, false}, // 7 characters, 14 bytes
		{strings.Repeat("a", 72), false, false},
		{strings.Repeat("a", 73), false, true},
	}
	for _, c := range cases {
		if TooShort(c.pw) != c.short || TooLong(c.pw) != c.tooLong {
			t.Errorf("%q: short=%v long=%v, want %v %v", c.pw, TooShort(c.pw), TooLong(c.pw), c.short, c.tooLong)
		}
	}
	if _, err := (Hasher{Cost: bcrypt.MinCost}).Hash(strings.Repeat("a", 73)); err == nil {
		t.Fatal("hash of a 73-byte password must fail")
	}
}

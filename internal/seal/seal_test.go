package seal_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/cicero/cicero/internal/seal"
)

func TestSealOpen(t *testing.T) {
	box, err := seal.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := seal.New(bytes.Repeat([]byte{8}, 32))
	s1, s2 := box.Seal("123456"), box.Seal("123456")
	if s1 == s2 {
		t.Fatal("two seals of one secret are equal: the nonce is not fresh")
	}
	if strings.Contains(s1, "123456") {
		t.Fatalf("sealed text shows the secret: %s", s1)
	}
	if got, err := box.Open(s1); err != nil || got != "123456" {
		t.Fatalf("open: %q %v", got, err)
	}
	tampered := []byte(s1)
	tampered[len(tampered)-1] ^= 1
	for name, s := range map[string]string{"other key": "", "tampered": string(tampered), "garbage": "!!", "short": "abc"} {
		var err error
		if name == "other key" {
			_, err = other.Open(s1)
		} else {
			_, err = box.Open(s)
		}
		if !errors.Is(err, seal.ErrOpen) {
			t.Errorf("%s: %v, want ErrOpen", name, err)
		}
	}
	if _, err := seal.New([]byte("short")); err == nil {
		t.Fatal("a short key was accepted")
	}
}

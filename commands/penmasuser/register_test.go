package penmasuser_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/password"
	"github.com/cicero/cicero/internal/testkit"
)

func newHandlers(t *testing.T) *penmasuser.Handlers {
	t.Helper()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	return penmasuser.NewHandlers(rt, penmasuser.WithHashCost(bcrypt.MinCost))
}

func TestRegister(t *testing.T) {
	h := newHandlers(t)
	ctx := context.Background()
	meta := commands.Meta{CommandID: "0190a8a0-0000-7000-8000-000000000001"}
	id, out, err := h.Register(ctx, meta, penmasuser.Register{Username: " Siti ", Password: "rahasia"})
	if err != nil || len(out.Appended) != 2 {
		t.Fatalf("register: %v, %d commits appended, want 2 (account and reservation)", err, len(out.Appended))
	}
	// The same command again names the same account and answers the first outcome.
	again, out2, err := h.Register(ctx, meta, penmasuser.Register{Username: " Siti ", Password: "rahasia"})
	if err != nil || again != id || len(out2.Appended) != 2 || out2.Appended[0].Sequence != out.Appended[0].Sequence {
		t.Errorf("retry: id %s (want %s), appended %+v (want %+v), %v", again, id, out2.Appended, out.Appended, err)
	}
	u, err := h.ByUsername(ctx, "Siti")
	if err != nil || u.ID != id || u.Username != "Siti" || u.Role != penmasuser.DefaultRole || !password.Verify(u.PasswordHash, "rahasia") {
		t.Errorf("ByUsername = %+v, %v", u, err)
	}
	if _, err := h.ByUsername(ctx, "siti"); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("ByUsername(siti): %v, want NotFound (names are case-sensitive)", err)
	}

	for _, tc := range []struct {
		name  string
		cmd   penmasuser.Register
		code  apperr.Code
		field string
	}{
		{"taken", penmasuser.Register{Username: "Siti", Password: "x"}, apperr.Conflict, "username"},
		{"id taken", penmasuser.Register{UserID: id, Username: "other", Password: "x"}, apperr.Conflict, "user_id"},
		{"bad id", penmasuser.Register{UserID: "nope", Username: "other", Password: "x"}, apperr.Invalid, "user_id"},
		{"no password", penmasuser.Register{Username: "other"}, apperr.Invalid, "username"},
		{"control char", penmasuser.Register{Username: "a\tb", Password: "x"}, apperr.Invalid, "username"},
		{"role control char", penmasuser.Register{Username: "other", Password: "x", Role: "a\x01"}, apperr.Invalid, "role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, out, err := h.Register(ctx, commands.Meta{}, tc.cmd)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != tc.code || ae.Field != tc.field || len(out.Appended) != 0 {
				t.Errorf("got %v (%d appended), want %s on %s", err, len(out.Appended), tc.code, tc.field)
			}
		})
	}
}

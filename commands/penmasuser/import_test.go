package penmasuser_test

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/password"
)

// An imported account keeps its old id, hash and role (editor too); a
// rerun is nothing; a broken hash is Invalid; a taken name is a Conflict.
func TestImportUser(t *testing.T) {
	h := newHandlers(t)
	ctx := context.Background()
	hash, _ := bcrypt.GenerateFromPassword([]byte("lama"), bcrypt.MinCost)
	cmd := penmasuser.ImportUser{UserID: "9A000000-0000-4000-8000-000000000002", Username: "editor_b", PasswordHash: string(hash), Role: "Editor"}
	if o, err := h.ImportUser(ctx, commands.Meta{}, cmd); err != nil || len(o.Appended) != 2 {
		t.Fatalf("import: %+v %v", o, err)
	}
	u, err := h.ByUsername(ctx, "editor_b")
	if err != nil || u.ID != "9a000000-0000-4000-8000-000000000002" || u.Role != penmasuser.RoleEditor || !password.Verify(u.PasswordHash, "lama") {
		t.Fatalf("imported account: %+v %v", u, err)
	}
	if o, err := h.ImportUser(ctx, commands.Meta{}, cmd); err != nil || len(o.Appended) != 0 {
		t.Fatalf("rerun: %+v %v", o, err)
	}
	bad := cmd
	bad.UserID, bad.Username, bad.PasswordHash = "9a000000-0000-4000-8000-000000000003", "rusak", "plain"
	if _, err := h.ImportUser(ctx, commands.Meta{}, bad); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("broken hash: %v, want Invalid", err)
	}
	taken := cmd
	taken.UserID = "9a000000-0000-4000-8000-000000000004"
	if _, err := h.ImportUser(ctx, commands.Meta{}, taken); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("taken username: %v, want Conflict", err)
	}
}

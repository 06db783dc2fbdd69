package dashuser_test

import (
	"testing"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

func TestApprovalRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("budi")
	cases := []struct {
		name       string
		role, id   string
		code       apperr.Code
		field, msg string
	}{
		{"operator", "operator", id, apperr.Forbidden, "", "Forbidden"},
		{"directorate", "ditbinmas", id, apperr.Forbidden, "", "Forbidden"},
		{"no role", "", id, apperr.Forbidden, "", "Forbidden"},
		{"unknown id", "admin", "0190a8a0-0000-7000-8000-00000000dead", apperr.NotFound, "dashboard_user_id", "pengguna dashboard tidak ditemukan"},
		{"bad id", "admin", "budi", apperr.Invalid, "dashboard_user_id", "dashboard_user_id tidak valid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := h.head()
			out, err := h.h.ApproveDashboardUser(ctx(t), commands.Meta{Actor: "dashboard:x"},
				dashuser.ApproveDashboardUser{DashboardUserID: c.id, ActorRole: c.role})
			wantRejected(t, out, err, c.code, c.field, c.msg)
			out, err = h.h.RejectDashboardUser(ctx(t), commands.Meta{Actor: "dashboard:x"},
				dashuser.RejectDashboardUser{DashboardUserID: c.id, ActorRole: c.role})
			wantRejected(t, out, err, c.code, c.field, c.msg)
			out, err = h.h.AssignClients(ctx(t), commands.Meta{Actor: "dashboard:x"},
				dashuser.AssignClients{DashboardUserID: c.id, ActorRole: c.role, ClientIDs: []string{"POLRES_B"}})
			wantRejected(t, out, err, c.code, c.field, c.msg)
			if after := h.head(); after != before {
				t.Fatalf("stream moved from %d to %d", before, after)
			}
		})
	}
	if u := h.user(id); u.Status != events.DashboardStatusPending {
		t.Fatalf("refusals changed the status to %q", u.Status)
	}
}

// TestApprovalStates walks pending → approved → rejected → approved, with
// the repeats that append nothing.
func TestApprovalStates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("budi")
	admin := commands.Meta{Actor: "dashboard:root"}
	approve := dashuser.ApproveDashboardUser{DashboardUserID: id, ActorRole: " Admin "}
	reject := dashuser.RejectDashboardUser{DashboardUserID: id, ActorRole: "admin", Note: "  bukan personel  "}

	h.do(1)(h.h.ApproveDashboardUser(ctx(t), admin, approve))
	h.do(0)(h.h.ApproveDashboardUser(ctx(t), admin, approve))
	h.do(1)(h.h.RejectDashboardUser(ctx(t), commands.Meta{Actor: "telegram:42"}, reject))
	reject.Note = "another note"
	h.do(0)(h.h.RejectDashboardUser(ctx(t), admin, reject))
	approve.By = "whatsapp:6281"
	h.do(1)(h.h.ApproveDashboardUser(ctx(t), admin, approve))

	h.wantEvents(events.DashboardUserSubject(id),
		&events.DashboardUserRegistered{DashboardUserID: id, Username: "budi", Role: "operator",
			WhatsApp: "6281234567890", ClientIDs: []string{"POLRES_A"}, Status: "pending"},
		&events.DashboardUserApproved{DashboardUserID: id, By: "dashboard:root"},
		&events.DashboardUserRejected{DashboardUserID: id, By: "telegram:42", Note: "bukan personel"},
		&events.DashboardUserApproved{DashboardUserID: id, By: "whatsapp:6281"})

	// Rejecting a pending registration.
	id2 := h.mustRegister("siti")
	h.do(1)(h.h.RejectDashboardUser(ctx(t), admin, dashuser.RejectDashboardUser{DashboardUserID: id2, ActorRole: "admin"}))
	if u := h.user(id2); u.Status != events.DashboardStatusRejected {
		t.Fatalf("status %q, want rejected", u.Status)
	}
	// The name stays taken.
	_, out, err := h.h.RegisterDashboardUser(ctx(t), commands.Meta{}, validRegistration("SITI"))
	wantRejected(t, out, err, apperr.Conflict, "username", "username sudah terpakai")
}

func TestAssignClients(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.mustRegister("budi")
	admin := commands.Meta{Actor: "dashboard:root"}
	assign := func(ids ...string) dashuser.AssignClients {
		return dashuser.AssignClients{DashboardUserID: id, ActorRole: "admin", ClientIDs: ids}
	}
	out, err := h.h.AssignClients(ctx(t), admin, assign("POLRES_A", "POLRES_X"))
	wantRejected(t, out, err, apperr.Invalid, "client_ids", "client_id tidak ditemukan")
	out, err = h.h.AssignClients(ctx(t), admin, assign())
	wantRejected(t, out, err, apperr.Invalid, "client_ids", "minimal satu client harus dipilih")

	h.do(0)(h.h.AssignClients(ctx(t), admin, assign(" polres_a ", "POLRES_A")))
	h.do(1)(h.h.AssignClients(ctx(t), admin, assign("polres_b", "ditbinmas", "polres_a")))
	h.do(0)(h.h.AssignClients(ctx(t), admin, assign("DITBINMAS", "POLRES_A", "POLRES_B")))
	h.do(1)(h.h.AssignClients(ctx(t), admin, assign("POLRES_B")))
	evs := h.events(events.DashboardUserSubject(id))
	want := []events.Payload{
		&events.DashboardUserClientsAssigned{DashboardUserID: id, ClientIDs: []string{"DITBINMAS", "POLRES_A", "POLRES_B"}},
		&events.DashboardUserClientsAssigned{DashboardUserID: id, ClientIDs: []string{"POLRES_B"}},
	}
	h.wantEvents(events.DashboardUserSubject(id), append([]events.Payload{evs[0]}, want...)...)

	// A directorate account may be left without clients.
	dir, _, err := h.h.CreateDashboardUser(ctx(t), admin, dashuser.CreateDashboardUser{ActorRole: "admin",
		Username: "binmas", Password: "rahasia123", Role: "ditbinmas", ClientIDs: []string{"DITBINMAS"}})
	if err != nil {
		t.Fatal(err)
	}
	h.do(1)(h.h.AssignClients(ctx(t), admin, dashuser.AssignClients{DashboardUserID: dir, ActorRole: "admin"}))
	if u := h.user(dir); len(u.ClientIDs) != 0 {
		t.Fatalf("clients %v, want none", u.ClientIDs)
	}
}

package auth_test

import (
	"errors"
	"testing"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
)

func TestClientScoping(t *testing.T) {
	operator2 := &auth.Principal{Kind: auth.KindDashboard, Role: "operator", ClientIDs: []string{"POLRES_A", "Polres_B"}}
	operator1 := &auth.Principal{Kind: auth.KindDashboard, Role: "operator", ClientIDs: []string{"POLRES_A"}, ClientID: "POLRES_A"}
	noClients := &auth.Principal{Kind: auth.KindDashboard, Role: "operator"}
	clientTok := &auth.Principal{Kind: auth.KindClient, Role: "client", ClientID: "POLRES_C"}
	directorate := &auth.Principal{Kind: auth.KindDashboard, Role: "ditbinmas", ClientIDs: []string{"DITBINMAS"}, ClientID: "DITBINMAS"}
	admin := &auth.Principal{Kind: auth.KindDashboard, Role: "admin"}
	adminOne := &auth.Principal{Kind: auth.KindDashboard, Role: "admin", ClientIDs: []string{"POLDA"}, ClientID: "POLDA"}
	personnel := &auth.Principal{Kind: auth.KindUser, Role: "user", ID: "1"}

	cases := []struct {
		name      string
		p         *auth.Principal
		requested string
		want      string
		code      apperr.Code // "" = ok
	}{
		{"operator own client", operator2, "POLRES_A", "POLRES_A", ""},
		{"operator case-insensitive, own spelling back", operator2, "polres_b", "Polres_B", ""},
		{"operator trims", operator2, "  polres_a ", "POLRES_A", ""},
		{"operator other client", operator2, "POLRES_X", "", apperr.Forbidden},
		{"operator several, none named", operator2, "", "", apperr.Invalid},
		{"operator one, none named", operator1, "", "POLRES_A", ""},
		{"operator without clients", noClients, "", "", apperr.Forbidden},
		{"operator without clients, named", noClients, "POLRES_A", "", apperr.Forbidden},
		{"client token own", clientTok, "polres_c", "POLRES_C", ""},
		{"client token other", clientTok, "POLRES_A", "", apperr.Forbidden},
		{"client token default", clientTok, "", "POLRES_C", ""},
		{"directorate other client", directorate, "POLRES_A", "", apperr.Forbidden},
		{"directorate default", directorate, "", "DITBINMAS", ""},
		{"admin any client", admin, "POLRES_Z", "POLRES_Z", ""},
		{"admin none named, no own", admin, "", "", apperr.Invalid},
		{"admin none named, one own", adminOne, "", "POLDA", ""},
		{"admin named matches own spelling", adminOne, "polda", "POLDA", ""},
		{"personnel", personnel, "POLRES_A", "", apperr.Forbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.p.ResolveClient(c.requested)
			if c.code == "" {
				if err != nil || got != c.want {
					t.Fatalf("ResolveClient(%q) = %q, %v; want %q", c.requested, got, err, c.want)
				}
				if !c.p.AllowsClient(got) {
					t.Fatalf("AllowsClient(%q) false for a resolved client", got)
				}
				return
			}
			if apperr.CodeOf(err) != c.code {
				t.Fatalf("ResolveClient(%q) = %q, %v; want code %s", c.requested, got, err, c.code)
			}
			if c.code == apperr.Forbidden && apperr.MessageOf(err) != "client_id tidak diizinkan" {
				t.Fatalf("message %q", apperr.MessageOf(err))
			}
			if c.code == apperr.Invalid && apperr.MessageOf(err) != "client_id wajib diisi" {
				t.Fatalf("message %q", apperr.MessageOf(err))
			}
		})
	}
	if operator2.AllowsClient("POLRES_X") || operator2.AllowsClient("") || admin.AllowsClient(" ") || personnel.AllowsClient("POLRES_A") {
		t.Fatal("AllowsClient too permissive")
	}
	if !admin.AllowsClient("ANY") || !operator2.AllowsClient("polres_a") {
		t.Fatal("AllowsClient too strict")
	}
	if !errors.Is(mustErr(operator2.ResolveClient("X")), apperr.ErrForbidden) {
		t.Fatal("not an apperr forbidden")
	}
}

func mustErr(_ string, err error) error { return err }

func TestNormalizeDashboardRole(t *testing.T) {
	cases := []struct {
		name       string
		stored     string
		clients    []auth.ClientRef
		role, base string
	}{
		{"single directorate client overrides", "operator", []auth.ClientRef{{"DITSAMAPTA", "direktorat"}}, "ditsamapta", "operator"},
		{"even another directorate role", "bidhumas", []auth.ClientRef{{"DITSAMAPTA", "DIREKTORAT"}}, "ditsamapta", "bidhumas"},
		{"admin keeps admin as base", "admin", []auth.ClientRef{{"DITBINMAS", "direktorat"}}, "ditbinmas", "admin"},
		{"same role, no base", "ditbinmas", []auth.ClientRef{{"DITBINMAS", "direktorat"}}, "ditbinmas", ""},
		{"org client keeps stored role", "Operator", []auth.ClientRef{{"POLRES_A", "org"}}, "operator", ""},
		{"two clients keep stored role", "operator", []auth.ClientRef{{"DITBINMAS", "direktorat"}, {"POLRES_A", "org"}}, "operator", ""},
		{"no clients", "admin", nil, "admin", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			role, base := auth.NormalizeDashboardRole(c.stored, c.clients)
			if role != c.role || base != c.base {
				t.Fatalf("got %q/%q, want %q/%q", role, base, c.role, c.base)
			}
		})
	}
	if auth.ClientLoginRole("DITLANTAS", "Direktorat") != "ditlantas" || auth.ClientLoginRole("POLRES_A", "org") != "client" {
		t.Fatal("client login role")
	}
	for _, r := range []string{"ditbinmas", "DITLANTAS", " bidhumas ", "ditsamapta", "ditintelkam"} {
		if !auth.IsDirectorateRole(r) {
			t.Errorf("%q not a directorate role", r)
		}
	}
	if auth.IsDirectorateRole("operator") || auth.IsDirectorateRole("") {
		t.Error("non-directorate accepted")
	}
}

func TestOwnsDirectorate(t *testing.T) {
	binmas := &auth.Principal{Kind: auth.KindDashboard, Role: "ditbinmas"}
	// Stored ditbinmas, one DITLANTAS client: it acts as ditlantas.
	renamed := &auth.Principal{Kind: auth.KindDashboard, Role: "ditlantas", BaseRole: "ditbinmas"}
	admin := &auth.Principal{Kind: auth.KindDashboard, Role: "admin"}
	operator := &auth.Principal{Kind: auth.KindDashboard, Role: "operator"}
	for _, tc := range []struct {
		name string
		p    *auth.Principal
		role string
		want bool
	}{
		{"own directorate", binmas, "ditbinmas", true},
		{"own directorate, any case", binmas, " DitBinmas ", true},
		{"another directorate", binmas, "ditlantas", false},
		{"effective role counts, not the stored one", renamed, "ditbinmas", false},
		{"effective role", renamed, "ditlantas", true},
		{"operator is no directorate", operator, "operator", false},
		{"admins own no directorate", admin, "ditbinmas", false},
	} {
		if got := tc.p.OwnsDirectorate(tc.role); got != tc.want {
			t.Errorf("%s: OwnsDirectorate(%q) = %v, want %v", tc.name, tc.role, got, tc.want)
		}
	}
}

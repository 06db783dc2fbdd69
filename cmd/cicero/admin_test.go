package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAdminBootstrapAndAudit(t *testing.T) {
	testEnv(t)
	steps := []struct {
		name    string
		args    []string
		wantErr string
		wantOut string
	}{
		{"client", []string{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org",
			"--insta", "polresa_official", "--tiktok", "polresa_tt", "--regional", "JATIM"}, "", "appended ClientRegistered to directory.client.POLRESA at DIRECTORY/1"},
		{"duplicate client", []string{"admin", "client", "create", "--id", "polresa", "--name", "X"}, "sudah terdaftar", ""},
		{"person", []string{"admin", "person", "create", "--nrp", "75020001", "--name", "BUDI", "--title", "AIPTU",
			"--division", "SAT BINMAS", "--client", "POLRESA", "--insta", "budi.ig", "--tiktok", "budi.tt",
			"--whatsapp", "081200000001", "--roles", "operator"}, "", "appended PersonRegistered to directory.person.75020001 at DIRECTORY/2"},
		{"unknown client", []string{"admin", "person", "create", "--nrp", "75020002", "--name", "SITI", "--client", "NOPE"}, "client_id tidak ditemukan", ""},
		{"bad whatsapp", []string{"admin", "person", "create", "--nrp", "75020003", "--name", "SITI", "--whatsapp", "12"}, "whatsapp tidak valid", ""},
		{"missing flag", []string{"admin", "person", "create", "--name", "SITI"}, `required flag(s) "nrp" not set`, ""},
		{"grant", []string{"admin", "person", "role", "grant", "--nrp", "75020001", "--role", "ditbinmas"}, "", "appended PersonRoleGranted"},
		{"grant an unknown role", []string{"admin", "person", "role", "grant", "--nrp", "75020001", "--role", "humas"},
			"role humas tidak dikenal; role yang tersedia: operator, ditbinmas, ditlantas, bidhumas, ditsamapta, ditintelkam", ""},
		{"create with an unknown role", []string{"admin", "person", "create", "--nrp", "75020004", "--name", "SITI", "--roles", "operator,humas"},
			"role humas tidak dikenal", ""},
		{"grant again changes nothing", []string{"admin", "person", "role", "grant", "--nrp", "75020001", "--role", "ditbinmas"}, "", "nothing to change"},
		{"same command id twice (first)", []string{"admin", "--command-id", "0197f000-0000-7000-8000-000000000001", "person", "update", "--nrp", "75020001", "--title", "IPDA"}, "", "appended PersonUpdated"},
		{"same command id twice (retry)", []string{"admin", "--command-id", "0197f000-0000-7000-8000-000000000001", "person", "update", "--nrp", "75020001", "--title", "IPDA"}, "", "appended PersonUpdated to directory.person.75020001 at DIRECTORY/4"},
	}
	for _, s := range steps {
		out, err := runCLI(t, s.args...)
		switch {
		case s.wantErr != "" && (err == nil || !strings.Contains(err.Error()+out, s.wantErr)):
			t.Fatalf("%s: want error %q, got %v / %q", s.name, s.wantErr, err, out)
		case s.wantErr == "" && err != nil:
			t.Fatalf("%s: %v", s.name, err)
		case !strings.Contains(out, s.wantOut):
			t.Fatalf("%s: output %q lacks %q", s.name, out, s.wantOut)
		}
	}

	out, err := runCLI(t, "events", "--json", "--stream", "DIRECTORY")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var types []string
	for _, l := range lines {
		var e auditLine
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if e.CommandID == "" || e.ID == "" || !strings.HasPrefix(e.Actor, "cli") || !strings.HasSuffix(e.OccurredAt, "+07:00") {
			t.Fatalf("incomplete envelope: %+v", e)
		}
		types = append(types, e.Type)
	}
	want := "ClientRegistered,PersonRegistered,PersonRoleGranted,PersonUpdated"
	if got := strings.Join(types, ","); got != want {
		t.Fatalf("history = %s, want %s (a retried command id must not append twice)", got, want)
	}
	out, err = runCLI(t, "events", "--aggregate", "directory.person/75020001", "--type", "PersonUpdated")
	if err != nil || !strings.Contains(out, `"title":"IPDA"`) {
		t.Fatalf("aggregate filter: %v %q", err, out)
	}
}

func TestAdminDashboardUserAndPremium(t *testing.T) {
	testEnv(t)
	steps := []struct {
		args    []string
		wantErr string
		wantOut string
	}{
		{[]string{"admin", "client", "create", "--id", "POLRESA", "--name", "POLRES A", "--type", "org"}, "", "ClientRegistered"},
		{[]string{"admin", "dashboard-user", "create", "--username", "opr_a", "--password", "short", "--role", "operator", "--clients", "POLRESA"}, "password minimal 8 karakter", ""},
		{[]string{"admin", "dashboard-user", "create", "--username", "opr_a", "--password", "rahasia123", "--role", "operator", "--clients", "POLRESA"}, "", "dashboard_user_id"},
		{[]string{"admin", "dashboard-user", "approve", "--username", "OPR_A"}, "", "nothing to change"},
		{[]string{"admin", "premium", "grant", "--username", "opr_a", "--tier", "gold", "--days", "30"}, "tier", ""},
		{[]string{"admin", "premium", "grant", "--username", "opr_a", "--tier", "tier1", "--days", "30"}, "", "appended PremiumGranted"},
		{[]string{"admin", "premium", "grant", "--username", "nobody", "--tier", "tier1"}, "tidak ditemukan", ""},
		{[]string{"admin", "premium", "revoke", "--username", "opr_a", "--note", "uji"}, "", "appended PremiumRevoked"},
		{[]string{"admin", "premium", "revoke", "--username", "opr_a"}, "", "nothing to change"},
		{[]string{"admin", "client", "create", "--id", "POLRESB", "--name", "POLRES B", "--type", "org"}, "", "ClientRegistered"},
		{[]string{"admin", "dashboard-user", "assign-clients", "--username", "opr_a", "--clients", "polresb,POLRESA"}, "", "appended DashboardUserClientsAssigned"},
		{[]string{"admin", "dashboard-user", "assign-clients", "--username", "opr_a", "--clients", "POLRESX"}, "client_id tidak ditemukan", ""},
		{[]string{"admin", "dashboard-user", "set-password", "--username", "opr_a", "--password", "pendek"}, "password minimal 8 karakter", ""},
		{[]string{"admin", "dashboard-user", "set-password", "--username", "opr_a", "--password", "baru-rahasia-1"}, "", "appended DashboardPasswordChanged"},
		{[]string{"admin", "dashboard-user", "reject", "--username", "opr_a", "--note", "pindah tugas"}, "", "appended DashboardUserRejected"},
	}
	for _, s := range steps {
		out, err := runCLI(t, s.args...)
		switch {
		case s.wantErr != "" && (err == nil || !strings.Contains(err.Error()+out, s.wantErr)):
			t.Fatalf("%v: want error %q, got %v / %q", s.args, s.wantErr, err, out)
		case s.wantErr == "" && err != nil:
			t.Fatalf("%v: %v", s.args, err)
		case !strings.Contains(out, s.wantOut):
			t.Fatalf("%v: output %q lacks %q", s.args, out, s.wantOut)
		}
	}
	// The history shows the account's events with its hash hidden, in
	// both output forms.
	for _, args := range [][]string{{"events", "--stream", "ACCESS", "--type", "DashboardPasswordChanged"},
		{"events", "--json", "--stream", "ACCESS", "--type", "DashboardPasswordChanged"}} {
		out, err := runCLI(t, args...)
		if err != nil || !strings.Contains(out, "DashboardPasswordChanged") || !strings.Contains(out, `"password_hash":"[redacted]"`) ||
			strings.Contains(out, "$2a$") {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
}

package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
	"github.com/cicero/cicero/internal/testkit"
)

// TestFetchAndImportFromTheCLI drives the operator's social commands
// against a fake platform speaking the RapidAPI wire format, with serve
// running (the fetch reads its clients from the read models serve keeps):
// `job run fetch-sosmed` narrowed to a client and platform prints a
// summary per unit, a repeat ingests nothing, and `admin post import`,
// `tag` and `untag` work or refuse with the adapter's message.
func TestFetchAndImportFromTheCLI(t *testing.T) {
	p := rapidapitest.NewPlatform(rapidapitest.NewServer(t))
	t.Setenv("RAPIDAPI_KEY", "cli-key")
	t.Setenv("RAPIDAPI_IG_BASE_URL", p.Server.URL)
	t.Setenv("RAPIDAPI_TIKTOK_BASE_URL", p.Server.URL)
	base := startApp(t, testEnv(t))
	now := time.Now()
	p.SetInstagram(rapidapitest.IGAccount{Username: "polres_x", Followers: 10, Posts: []rapidapitest.IGPost{
		{Shortcode: "Cfeed001", TakenAt: now.Add(-time.Second)},
		{Shortcode: "Cold0001", TakenAt: now.Add(-72 * time.Hour)}}})
	p.SetTikTok(rapidapitest.TTAccount{Username: "polres_x_tt", SecUID: "SEC-X"})
	p.Like("Cfeed001", "@Budi", "siti")
	if out, err := runCLI(t, "admin", "client", "create", "--id", "POLRESX", "--name", "POLRES X", "--type", "org",
		"--insta", "polres_x", "--tiktok", "polres_x_tt"); err != nil {
		t.Fatalf("client create: %v %s", err, out)
	}

	var out string
	testkit.Eventually(t, 15*time.Second, func() error {
		var err error
		out, err = runCLI(t, "job", "run", "fetch-sosmed", "--client", "polresx", "--platform", "ig", "-q")
		return err
	})
	for _, want := range []string{"POLRESX", "instagram", "ok", "posts   1", "new   1", "likes +2", "job fetch-sosmed done"} {
		if !strings.Contains(out, want) {
			t.Errorf("first fetch output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "tiktok") {
		t.Errorf("--platform ig fetched TikTok:\n%s", out)
	}
	out, err := runCLI(t, "job", "run", "fetch-sosmed", "--client", "POLRESX", "--platform", "ig", "-q")
	if err != nil || !strings.Contains(out, "new   0") || !strings.Contains(out, "likes +0") {
		t.Errorf("repeat fetch: %v\n%s", err, out)
	}
	if out, err := runCLI(t, "job", "run", "fetch-sosmed", "--platform", "facebook"); err == nil || !strings.Contains(err.Error(), "want ig or tiktok") {
		t.Errorf("--platform facebook: %v %s", err, out)
	}

	steps := []struct {
		args    []string
		wantOut string
		wantErr string
	}{
		{[]string{"admin", "post", "import", "--client", "POLRESX", "https://www.instagram.com/p/Cold0001/?igsh=x"}, "appended PostIngested", ""},
		{[]string{"admin", "post", "import", "--client", "POLRESX", "Cold0001"}, "nothing to change", ""},
		{[]string{"admin", "post", "import", "--client", "POLRESX", "https://example.com/x"}, "", "Format link atau shortcode Instagram tidak dikenali"},
		{[]string{"admin", "post", "import", "--client", "POLRESX", "Cmissing9"}, "", "Konten tidak ditemukan di Instagram"},
		{[]string{"admin", "post", "import", "--client", "POLRESX", "--platform", "tiktok", "https://www.tiktok.com/@x/video/7350000000000000009"}, "", "Konten tidak ditemukan di TikTok"},
		{[]string{"admin", "post", "import", "Cold0001"}, "", `required flag(s) "client" not set`},
		{[]string{"admin", "post", "tag", "Cfeed001", "ditbinmas"}, "appended PostTaggedForRole", ""},
		{[]string{"admin", "post", "tag", "Cfeed001", "ditbinmas"}, "nothing to change", ""},
		{[]string{"admin", "post", "tag", "Cfeed001", "polresb"}, "", "role harus salah satu direktorat"},
		{[]string{"admin", "post", "untag", "Cfeed001", "ditbinmas"}, "appended PostUntaggedForRole", ""},
	}
	for _, s := range steps {
		out, err := runCLI(t, s.args...)
		switch {
		case s.wantErr != "" && (err == nil || !strings.Contains(err.Error()+out, s.wantErr)):
			t.Errorf("%v: want error %q, got %v / %q", s.args, s.wantErr, err, out)
		case s.wantErr == "" && (err != nil || !strings.Contains(out, s.wantOut)):
			t.Errorf("%v: want %q, got %v / %q", s.args, s.wantOut, err, out)
		}
	}
	if n := p.Server.Count("v1/post_info"); n != 3 {
		t.Errorf("post_info calls = %d, want 3 (a malformed link never reaches the API)", n)
	}

	// The same job started over HTTP by an admin: 202 at once, its run in
	// the background keeps the request's channel, as the CLI's keeps cli.
	admin := fmt.Sprintf("fetch_admin_%d", time.Now().UnixNano())
	if out, err := runCLI(t, "admin", "dashboard-user", "create", "--username", admin, "--password", "rahasia123",
		"--role", "admin", "--clients", "POLRESX"); err != nil {
		t.Fatalf("create admin: %v %s", err, out)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/api/admin/jobs/fetch-sosmed/run",
		strings.NewReader(`{"client_id":"POLRESX","platform":"tiktok"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+komplainLogin(t, base, admin))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("job over HTTP = %d", resp.StatusCode)
	}
	testkit.Eventually(t, 15*time.Second, func() error {
		out, err := runCLI(t, "events", "--json", "--stream", "SOCIAL", "--type", "FetchRunCompleted", "--channel", "http")
		if err != nil || !strings.Contains(out, `"platform":"tiktok"`) || strings.Contains(out, `"platform":"instagram"`) {
			return fmt.Errorf("fetch runs through http: %v %s", err, out)
		}
		return nil
	})
	out, err = runCLI(t, "events", "--json", "--stream", "SOCIAL", "--type", "FetchRunCompleted", "--channel", "cli")
	if err != nil || strings.Count(out, `"platform":"instagram"`) != 2 || strings.Contains(out, `"platform":"tiktok"`) {
		t.Errorf("fetch runs through the cli: %v %s", err, out)
	}
}

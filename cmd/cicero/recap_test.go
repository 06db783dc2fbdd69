package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
)

// TestRecapTexts: `cicero recap absensi` over seed-demo data tells the
// same story as the dashboard's rekap-likes for the same client, day and
// role (lengkap = sudah, kurang = kurang, belum = belum + no username,
// the content count), and `cicero recap tugas` lists the day's posts.
func TestRecapTexts(t *testing.T) {
	t.Setenv("ALLOW_DUPLICATE_REQUESTS", "true")
	cfg := testEnv(t)
	base := startApp(t, cfg)
	today := jakarta.Date(time.Now())
	if out, err := runCLI(t, "seed-demo", "--seed", "31", "--clients", "2", "--personnel", "120", "--days", "2",
		"--end-date", today, "--posts", "20", "--engagements", "3000", "--concurrency", "4", "-q", "--wait", "60s"); err != nil {
		t.Fatalf("seed-demo: %v\n%s", err, out)
	}
	// Every read names the seeded day: midnight may pass while seed-demo runs.
	text, err := runCLI(t, "recap", "absensi", "--client", "lamongan", "--platform", "ig", "--role", "operator", "--date", today)
	if err != nil {
		t.Fatalf("recap absensi: %v\n%s", err, text)
	}
	num := func(re string) int {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("%q not in:\n%s", re, text)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	token := dashboardToken(t, base, "demo_operator", "cicero-demo")
	req, _ := http.NewRequest(http.MethodGet, base+"/api/insta/rekap-likes?periode=harian&tanggal="+today+"&role=operator&scope=org", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var rekap struct {
		TotalPosts                                                     int
		SudahUsersCount, KurangUsersCount, BelumUsersCount, UsersCount int
	}
	if err := json.Unmarshal(raw, &rekap); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("rekap-likes: %d %s", resp.StatusCode, raw)
	}
	if rekap.TotalPosts == 0 || rekap.UsersCount == 0 {
		t.Fatalf("the day has no posts or people to compare: %s", raw)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"konten", num(`\*Jumlah Konten:\* (\d+)`), rekap.TotalPosts},
		{"user", num(`\*Jumlah user:\* (\d+) user`), rekap.UsersCount},
		{"lengkap", num(`Melaksanakan lengkap\* : \*(\d+) user`), rekap.SudahUsersCount},
		{"kurang", num(`Melaksanakan kurang lengkap\* : \*(\d+) user`), rekap.KurangUsersCount},
		{"belum", num(`Belum melaksanakan\* : \*(\d+) user`), rekap.BelumUsersCount},
	} {
		if c.got != c.want {
			t.Errorf("%s: recap text %d, rekap-likes %d", c.what, c.got, c.want)
		}
	}
	if n := strings.Count(text, "https://www.instagram.com/p/"); n != rekap.TotalPosts {
		t.Errorf("%d links for %d posts", n, rekap.TotalPosts)
	}

	tugas, err := runCLI(t, "recap", "tugas", "--client", "LAMONGAN", "--date", today)
	if err != nil || !strings.Contains(tugas, fmt.Sprintf("Jumlah konten Instagram hari ini: %d", rekap.TotalPosts)) {
		t.Errorf("recap tugas: %v\n%s", err, tugas)
	}
	pool := openPool(t, cfg)
	var tt int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM social_post_clients
		WHERE client_id = 'LAMONGAN' AND platform = 'tiktok' AND jakarta_date = $1::date AND NOT withdrawn`, today).Scan(&tt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tugas, fmt.Sprintf("Jumlah konten Tiktok hari ini: %d", tt)) {
		t.Errorf("recap tugas lacks the %d TikTok posts:\n%s", tt, tugas)
	}
	for _, args := range [][]string{
		{"recap", "absensi"},
		{"recap", "rekap", "--client", "LAMONGAN"},
		{"recap", "absensi", "--client", "LAMONGAN", "--platform", "fb"},
		{"recap", "absensi", "--client", "LAMONGAN", "--date", "kemarin"},
		{"recap", "absensi", "--client", "NOPE"},
	} {
		if out, err := runCLI(t, args...); err == nil {
			t.Errorf("%v: no error\n%s", args, out)
		}
	}
}

package main

import (
	"strings"
	"testing"
)

func TestJobListAndRun(t *testing.T) {
	testEnv(t)
	steps := []struct {
		args    []string
		wantErr string
		wantOut []string
	}{
		{[]string{"job", "list"}, "", []string{"dashboard-subscription-expiry", "*/48 * * * *", "dashboard-premium-request-expiry",
			"20 * * * *", "true"}},
		{[]string{"job", "run", "dashboard-subscription-expiry"}, "", []string{"job dashboard-subscription-expiry done"}},
		{[]string{"job", "run", "dashboard-premium-request-expiry", "--client", "POLRESA"}, "", []string{"done"}},
		{[]string{"job", "run", "nope"}, "unknown job", nil},
		{[]string{"job", "run"}, "accepts 1 arg", nil},
	}
	for _, s := range steps {
		out, err := runCLI(t, s.args...)
		switch {
		case s.wantErr != "" && (err == nil || !strings.Contains(err.Error()+out, s.wantErr)):
			t.Fatalf("%v: want error %q, got %v / %q", s.args, s.wantErr, err, out)
		case s.wantErr == "" && err != nil:
			t.Fatalf("%v: %v", s.args, err)
		}
		for _, w := range s.wantOut {
			if !strings.Contains(out, w) {
				t.Fatalf("%v: output %q lacks %q", s.args, out, w)
			}
		}
	}
}

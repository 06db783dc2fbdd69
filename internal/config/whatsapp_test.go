package config

import (
	"strings"
	"testing"
)

// TestWhatsAppDeviceIDs: the three sessions' device ids default to the
// legacy ones and must differ (ignoring case), or the process refuses to
// start.
func TestWhatsAppDeviceIDs(t *testing.T) {
	t.Setenv("APP_SESSION_NAME", "")
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.WAMainClientID != "wa-admin" || c.WAUserClientID != "wa-userrequest" || c.WAGatewayClientID != "wa-gateway" || c.WADedupTTL().Hours() != 24 {
		t.Fatalf("defaults %q %q %q %s", c.WAMainClientID, c.WAUserClientID, c.WAGatewayClientID, c.WADedupTTL())
	}
	for _, env := range []map[string]string{
		{"USER_WA_CLIENT_ID": "wa-gateway"},
		{"APP_SESSION_NAME": "WA-Gateway"},
		{"WA_MESSAGE_DEDUP_TTL_MS": "1000"},
	} {
		for k, v := range env {
			t.Setenv(k, v)
		}
		if _, err := Load(); err == nil || !strings.Contains(err.Error(), "WA") {
			t.Errorf("%v: Load() = %v, want a refusal", env, err)
		}
		for k := range env {
			t.Setenv(k, map[string]string{"USER_WA_CLIENT_ID": "wa-userrequest", "APP_SESSION_NAME": "wa-admin", "WA_MESSAGE_DEDUP_TTL_MS": "86400000"}[k])
		}
	}
}

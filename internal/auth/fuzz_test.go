package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cicero/cicero/internal/auth"
)

// FuzzAuthenticate feeds arbitrary cookie and Authorization values to the
// token reader, parser and session check. It must never panic, must accept
// only tokens with a live session, and must classify every refusal as one of
// the three 401 reasons. Seeds: testdata/fuzz/FuzzAuthenticate and a real
// token issued here.
func FuzzAuthenticate(f *testing.F) {
	a, _, _ := newAuth(f)
	live := mustIssue(f, a, auth.KindDashboard, dashboardClaims(uniq("fuzz"), "operator", "A"))
	f.Add(live.Token, "")
	f.Add("", "Bearer "+live.Token)
	f.Add("", live.Token)
	f.Add(live.Token[:len(live.Token)-2], "")
	f.Add("", "Bearer "+strings.Replace(live.Token, ".", "..", 1))

	f.Fuzz(func(t *testing.T, cookie, authorization string) {
		r := httptest.NewRequest(http.MethodGet, "/api/x", nil)
		if cookie != "" {
			r.Header.Set("Cookie", "token="+cookie)
		}
		if authorization != "" {
			r.Header.Set("Authorization", authorization)
		}
		p, err := a.Authenticate(r.WithContext(context.Background()))
		if err == nil {
			if p == nil || !p.Kind.Valid() || p.ID == "" {
				t.Fatalf("accepted without a proper principal: %+v", p)
			}
			if p.Token != live.Token {
				t.Fatalf("accepted a token that was never issued: %q", p.Token)
			}
			return
		}
		var te *auth.TokenError
		if !errors.As(err, &te) {
			t.Fatalf("refusal is not a token error: %v", err)
		}
		switch te.Reason {
		case auth.ReasonMissingToken:
			if auth.TokenFromRequest(r) != "" {
				t.Fatalf("missing_token although a token was sent")
			}
		case auth.ReasonInvalidToken, auth.ReasonExpiredToken:
		default:
			t.Fatalf("unknown reason %q", te.Reason)
		}
	})
}

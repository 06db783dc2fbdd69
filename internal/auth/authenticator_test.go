package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/internal/auth"
)

func request(cookie, authorization string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/api/x", nil)
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: "token", Value: cookie})
	}
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	return r
}

func TestAuthenticateReadsCookieThenHeader(t *testing.T) {
	a, _, _ := newAuth(t)
	id := uniq("dash")
	is := mustIssue(t, a, auth.KindDashboard, dashboardClaims(id, "Operator", "POLRES_A"))
	other := mustIssue(t, a, auth.KindDashboard, dashboardClaims(uniq("dash"), "admin", "X"))

	cases := []struct {
		name          string
		cookie, authz string
		wantID        string
		wantReason    string
	}{
		{"cookie", is.Token, "", id, ""},
		{"bearer", "", "Bearer " + is.Token, id, ""},
		{"bearer lower-case", "", "bearer " + is.Token, id, ""},
		{"raw header", "", is.Token, id, ""},
		{"cookie wins over header", is.Token, "Bearer " + other.Token, id, ""},
		{"nothing", "", "", "", auth.ReasonMissingToken},
		{"blank bearer", "", "Bearer   ", "", auth.ReasonMissingToken},
		{"other scheme", "", "Basic " + is.Token, "", auth.ReasonInvalidToken},
		{"garbage cookie", "abc", "", "", auth.ReasonInvalidToken},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := a.Authenticate(request(c.cookie, c.authz))
			if c.wantReason != "" {
				var te *auth.TokenError
				if !errors.As(err, &te) || te.Reason != c.wantReason {
					t.Fatalf("got %v, want reason %s", err, c.wantReason)
				}
				return
			}
			if err != nil {
				t.Fatalf("authenticate: %v", err)
			}
			if p.ID != c.wantID || p.Kind != auth.KindDashboard {
				t.Fatalf("principal %s/%s, want dashboard/%s", p.Kind, p.ID, c.wantID)
			}
		})
	}
}

func TestIssuedPrincipal(t *testing.T) {
	a, _, _ := newAuth(t)
	id := uniq("dash")
	tier := "tier1"
	exp := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	st := true
	c := dashboardClaims(id, "ditsamapta", "DITSAMAPTA")
	c.BaseRole = "admin"
	c.PremiumStatus, c.PremiumTier, c.PremiumExpiresAt = &st, &tier, &exp
	is := mustIssue(t, a, auth.KindDashboard, c)
	p, err := a.AuthenticateToken(context.Background(), is.Token)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case p.Role != "ditsamapta" || p.BaseRole != "admin":
		t.Fatalf("roles %q/%q", p.Role, p.BaseRole)
	case p.ClientID != "DITSAMAPTA":
		t.Fatalf("single client not promoted to client_id: %q", p.ClientID)
	case !p.Premium.Status || p.Premium.Tier != "tier1" || !p.Premium.ExpiresAt.Equal(exp):
		t.Fatalf("premium %+v", p.Premium)
	case !p.IsAdmin():
		t.Fatal("stored admin lost admin through directorate normalisation")
	case p.Username != "u-"+id || p.Actor() != "dashboard:"+id:
		t.Fatalf("username %q actor %q", p.Username, p.Actor())
	case time.Until(p.ExpiresAt) < time.Hour+59*time.Minute:
		t.Fatalf("expires at %s", p.ExpiresAt)
	}
	// The legacy claim user_id is filled for dashboard tokens (SPEC.md §4.1).
	claims, _ := a.Tokens().Parse(is.Token)
	if claims.UserID != id {
		t.Fatalf("user_id claim %q", claims.UserID)
	}
}

func TestSessionKeysAndTTL(t *testing.T) {
	a, rdb, _ := newAuth(t)
	ctx := context.Background()
	nrp := uniq("nrp")
	is := mustIssue(t, a, auth.KindUser, auth.Claims{UserID: nrp, Nama: "X", Role: "user"})
	v, err := rdb.Get(ctx, "login_token:"+is.Token).Result()
	if err != nil || v != "user:"+nrp {
		t.Fatalf("session value %q, %v", v, err)
	}
	ttl := rdb.TTL(ctx, "login_token:"+is.Token).Val()
	if ttl < 2*time.Hour-time.Minute || ttl > 2*time.Hour {
		t.Fatalf("session ttl %s", ttl)
	}
	if ok, _ := rdb.SIsMember(ctx, "user_login:"+nrp, is.Token).Result(); !ok {
		t.Fatal("token not in the actor set")
	}
	if ttl := rdb.TTL(ctx, "user_login:"+nrp).Val(); ttl <= 0 {
		t.Fatalf("actor set has no ttl (%s): it would grow forever", ttl)
	}
	for k, set := range map[auth.Kind]string{auth.KindDashboard: "dashboard_login:", auth.KindPenmas: "penmas_login:", auth.KindClient: "login:"} {
		id := uniq(string(k))
		c := auth.Claims{DashboardUserID: id, UserID: id, ClientID: id}
		is := mustIssue(t, a, k, c)
		if ok, _ := rdb.SIsMember(ctx, set+id, is.Token).Result(); !ok {
			t.Fatalf("%s: token not in %s", k, set+id)
		}
		if v := rdb.Get(ctx, "login_token:"+is.Token).Val(); v != string(k)+":"+id {
			t.Fatalf("%s: session value %q", k, v)
		}
	}
}

func TestRevokedSessionIsInvalid(t *testing.T) {
	a, rdb, _ := newAuth(t)
	ctx := context.Background()
	id := uniq("dash")
	one := mustIssue(t, a, auth.KindDashboard, dashboardClaims(id, "operator", "A"))
	two := mustIssue(t, a, auth.KindDashboard, dashboardClaims(id, "operator", "A"))
	bystander := mustIssue(t, a, auth.KindDashboard, dashboardClaims(uniq("dash"), "operator", "A"))

	// Logout revokes the presented token only, and clears the cookie.
	w := httptest.NewRecorder()
	if err := a.Logout(w, request(one.Token, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AuthenticateToken(ctx, one.Token); !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("logged-out token: %v", err)
	}
	if c := w.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Fatalf("logout did not clear the cookie: %+v", c)
	}
	if _, err := a.AuthenticateToken(ctx, two.Token); err != nil {
		t.Fatalf("other session of the same user revoked by logout: %v", err)
	}
	if ok, _ := rdb.SIsMember(ctx, "dashboard_login:"+id, one.Token).Result(); ok {
		t.Fatal("revoked token still listed under its actor")
	}

	// Password reset: every session of the actor.
	n, err := a.Sessions().RevokeActor(ctx, auth.KindDashboard, id)
	if err != nil || n != 1 {
		t.Fatalf("revoke actor: %d, %v", n, err)
	}
	if _, err := a.AuthenticateToken(ctx, two.Token); !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("token after password reset: %v", err)
	}
	if _, err := a.AuthenticateToken(ctx, bystander.Token); err != nil {
		t.Fatalf("another user's session revoked: %v", err)
	}
	// Revoking what is gone is not an error.
	if err := a.Sessions().Revoke(ctx, one.Token); err != nil {
		t.Fatal(err)
	}
	if err := a.Sessions().Revoke(ctx, "never-issued"); err != nil {
		t.Fatal(err)
	}
}

func TestSessionMustMatchClaims(t *testing.T) {
	a, rdb, _ := newAuth(t)
	ctx := context.Background()
	id := uniq("d")
	is := mustIssue(t, a, auth.KindDashboard, dashboardClaims(id, "admin", "A"))
	for name, value := range map[string]string{
		"other kind":  "user:" + id,
		"other actor": "dashboard:someone-else",
		"bad value":   "dashboard:",
		"unknown":     "root:" + id,
	} {
		t.Run(name, func(t *testing.T) {
			rdb.Set(ctx, "login_token:"+is.Token, value, time.Minute)
			if _, err := a.AuthenticateToken(ctx, is.Token); !errors.Is(err, auth.ErrInvalidToken) {
				t.Fatalf("got %v, want invalid_token", err)
			}
		})
	}
}

// Sessions written by the old system (client tokens stored the bare client
// id, claims carry no kind) keep working after the switch.
func TestLegacyClientSession(t *testing.T) {
	a, rdb, _ := newAuth(t)
	ctx := context.Background()
	cid := uniq("POLRES")
	tok, _, err := a.Tokens().Issue(auth.Claims{ClientID: cid, Nama: "Polres", Role: "client"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AuthenticateToken(ctx, tok); !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("token without a session: %v", err)
	}
	rdb.Set(ctx, "login_token:"+tok, cid, time.Minute)
	p, err := a.AuthenticateToken(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != auth.KindClient || p.ID != cid || p.ClientID != cid || p.Role != "client" {
		t.Fatalf("legacy client principal %+v", p)
	}
}

func TestExpiredTokenWithLiveSession(t *testing.T) {
	secret := newSecret(t)
	a, _, _ := newAuth(t, func(o *auth.Options) {
		o.Secret = secret
		o.Now = func() time.Time { return time.Now().Add(-150 * time.Minute) }
	})
	is := mustIssue(t, a, auth.KindPenmas, auth.Claims{UserID: uniq("pen"), Role: "editor"})
	now, _, _ := newAuth(t, func(o *auth.Options) { o.Secret = secret })
	_, err := now.AuthenticateToken(context.Background(), is.Token)
	if !errors.Is(err, auth.ErrExpiredToken) {
		t.Fatalf("got %v, want expired_token", err)
	}
}

func TestIssueFailsWithoutRedis(t *testing.T) {
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { dead.Close() })
	a, err := auth.New(dead, auth.Options{Secret: newSecret(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Issue(context.Background(), auth.KindUser, auth.Claims{UserID: "1"}); err == nil {
		t.Fatal("login succeeded without a session store")
	}
	// A verified token whose session cannot be looked up is an infrastructure
	// error (500), not a 401.
	tok, _, _ := a.Tokens().Issue(auth.Claims{Kind: auth.KindUser, UserID: "1"})
	_, err = a.AuthenticateToken(context.Background(), tok)
	var te *auth.TokenError
	if err == nil || errors.As(err, &te) {
		t.Fatalf("got %v, want a non-token error", err)
	}
}

func TestIssueRefusesBadInput(t *testing.T) {
	a, _, _ := newAuth(t)
	if _, err := a.Issue(context.Background(), "root", auth.Claims{UserID: "1"}); err == nil {
		t.Fatal("unknown kind issued")
	}
	if _, err := a.Issue(context.Background(), auth.KindClient, auth.Claims{UserID: "1"}); err == nil {
		t.Fatal("client token without client_id issued")
	}
}

func TestCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		a, _, _ := newAuth(t, func(o *auth.Options) { o.SecureCookie = secure })
		w := httptest.NewRecorder()
		a.SetCookie(w, "tok")
		cs := w.Result().Cookies()
		if len(cs) != 1 {
			t.Fatalf("cookies %v", cs)
		}
		c := cs[0]
		if c.Name != "token" || c.Value != "tok" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode ||
			c.MaxAge != 7200 || c.Path != "/" || c.Secure != secure {
			t.Fatalf("cookie %+v (secure %v)", c, secure)
		}
	}
}

package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// CookieName is the cookie that carries the token (spec/access.md §2.1).
const CookieName = "token"

// Options configures an Authenticator.
type Options struct {
	Secret []byte        // JWT_SECRET; required
	TTL    time.Duration // token and session life; 0 → DefaultTTL (2 h)
	// SecureCookie marks the cookie Secure (production behind HTTPS).
	SecureCookie bool
	Now          func() time.Time // nil → time.Now
}

// Authenticator issues, checks and revokes sessions. It is safe for
// concurrent use.
type Authenticator struct {
	tokens   *Tokens
	sessions *Sessions
	secure   bool
}

// New builds an Authenticator over Redis.
func New(rdb redis.Cmdable, opt Options) (*Authenticator, error) {
	t, err := NewTokens(opt.Secret, opt.TTL, opt.Now)
	if err != nil {
		return nil, err
	}
	return &Authenticator{tokens: t, sessions: NewSessions(rdb, t.TTL()), secure: opt.SecureCookie}, nil
}

// Tokens is the signer/verifier (for tests and tools).
func (a *Authenticator) Tokens() *Tokens { return a.tokens }

// Sessions is the Redis registry (password reset uses RevokeActor).
func (a *Authenticator) Sessions() *Sessions { return a.sessions }

// Issued is a fresh login: the token to return in the body and cookie.
type Issued struct {
	Token     string
	ExpiresAt time.Time
	Principal *Principal
}

// Issue signs claims for kind k and records the session in Redis. Unlike the
// old system a Redis failure fails the login: a token without a session
// would be refused on the next request anyway.
func (a *Authenticator) Issue(ctx context.Context, k Kind, c Claims) (Issued, error) {
	if !k.Valid() {
		return Issued{}, fmt.Errorf("issue token: unknown kind %q", k)
	}
	c.Kind = k
	if k == KindDashboard && c.UserID == "" {
		c.UserID = c.DashboardUserID
	}
	id := c.subject(k)
	if id == "" {
		return Issued{}, fmt.Errorf("issue %s token: no actor id in claims", k)
	}
	tok, signed, err := a.tokens.Issue(c)
	if err != nil {
		return Issued{}, err
	}
	if err := a.sessions.Create(ctx, tok, k, id); err != nil {
		return Issued{}, err
	}
	p := principalFrom(tok, k, id, &signed)
	return Issued{Token: tok, ExpiresAt: p.ExpiresAt, Principal: p}, nil
}

// TokenFromRequest returns the presented token: cookie `token` first, else
// the Authorization header as `Bearer <t>` or the bare token. "" = none.
// A header with another scheme yields that header, which will not verify.
func TokenFromRequest(r *http.Request) string {
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		return c.Value
	}
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if scheme, rest, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(rest)
	}
	if strings.EqualFold(h, "Bearer") {
		return ""
	}
	return h
}

// Authenticate checks the request's token and its Redis session and returns
// the caller. Errors: *TokenError (ErrMissingToken, ErrInvalidToken,
// ErrExpiredToken, all 401) or an infrastructure error (500).
func (a *Authenticator) Authenticate(r *http.Request) (*Principal, error) {
	return a.AuthenticateToken(r.Context(), TokenFromRequest(r))
}

// AuthenticateToken is Authenticate for a token at hand.
func (a *Authenticator) AuthenticateToken(ctx context.Context, token string) (*Principal, error) {
	if token == "" {
		return nil, ErrMissingToken
	}
	c, err := a.tokens.Parse(token)
	if err != nil {
		return nil, err
	}
	sess, err := a.sessions.Lookup(ctx, token)
	if errors.Is(err, ErrNoSession) {
		return nil, invalid(err)
	}
	if err != nil {
		return nil, err
	}
	// Claims and session must name the same actor; tokens of the old system
	// carry no kind, and take the session's.
	if c.Kind != "" && c.Kind != sess.Kind {
		return nil, invalid(fmt.Errorf("token kind %q, session kind %q", c.Kind, sess.Kind))
	}
	if sub := c.subject(sess.Kind); sub != sess.ID {
		return nil, invalid(errors.New("token subject differs from session"))
	}
	return principalFrom(token, sess.Kind, sess.ID, c), nil
}

// Logout revokes the request's token, valid or not (an expired token's
// session is removed too), and clears the cookie.
func (a *Authenticator) Logout(w http.ResponseWriter, r *http.Request) error {
	a.ClearCookie(w)
	return a.sessions.Revoke(r.Context(), TokenFromRequest(r))
}

// SetCookie writes the token cookie as the old system did: HttpOnly,
// SameSite=Lax, path /, Max-Age = the token life, Secure when configured.
func (a *Authenticator) SetCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     CookieName,
		Value:    token,
		Path:     "/",
		MaxAge:   int(a.tokens.TTL() / time.Second),
		HttpOnly: true,
		Secure:   a.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// ClearCookie expires the token cookie.
func (a *Authenticator) ClearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name:     CookieName,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   a.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

package auth

import (
	"fmt"
	"net/http"
	"strings"
)

// Audience is the class of caller an allow-list is written for.
type Audience string

const (
	AudienceAdmin     Audience = "admin"     // dashboard user with role admin
	AudienceOperator  Audience = "operator"  // dashboard user with role operator
	AudienceDashboard Audience = "dashboard" // any other dashboard user (directorates, …)
	AudiencePersonnel Audience = "personnel" // personnel (user) token
	AudiencePenmas    Audience = "penmas"    // Penmas editorial token
	AudienceClient    Audience = "client"    // client-operator (mobile) token
)

// AudienceOf classifies a principal.
func AudienceOf(p *Principal) Audience {
	switch p.Kind {
	case KindDashboard:
		switch {
		case p.IsAdmin():
			return AudienceAdmin
		case p.IsOperator():
			return AudienceOperator
		default:
			return AudienceDashboard
		}
	case KindUser:
		return AudiencePersonnel
	case KindPenmas:
		return AudiencePenmas
	default:
		return AudienceClient
	}
}

// Rule grants (or, with Deny, refuses) Methods on Path.
//
// Methods is "*" (any) or a comma list ("GET,POST"); HEAD counts as GET.
// Path is a full request path: literal segments match exactly (case- and
// slash-sensitive, as the old allow-list), "*" matches one non-empty
// segment, and a final "**" matches the path before it and everything below
// ("/api/aggregator/**" covers /api/aggregator and /api/aggregator/x/y).
type Rule struct {
	Deny    bool
	Methods string
	Path    string
}

// Allow and Deny build rules; they keep the tables in routes.go short.
func Allow(methods, path string) Rule { return Rule{Methods: methods, Path: path} }
func Deny(methods, path string) Rule  { return Rule{Deny: true, Methods: methods, Path: path} }

type compiled struct {
	deny    bool
	methods map[string]bool // nil = any
	segs    []string
	tail    bool // ended in /**
	src     string
}

// Policy decides which routes are public and which each audience may call.
// For an audience, the first rule matching method and path decides; no
// matching rule means forbidden.
type Policy struct {
	public []compiled
	grants map[Audience][]compiled
}

// NewPolicy compiles the tables, refusing malformed patterns.
func NewPolicy(public []Rule, grants map[Audience][]Rule) (*Policy, error) {
	p := &Policy{grants: map[Audience][]compiled{}}
	var err error
	if p.public, err = compileAll(public); err != nil {
		return nil, fmt.Errorf("public routes: %w", err)
	}
	for a, rules := range grants {
		if p.grants[a], err = compileAll(rules); err != nil {
			return nil, fmt.Errorf("%s routes: %w", a, err)
		}
	}
	return p, nil
}

// IsPublic reports a route that needs no token (logins, claim, health).
func (p *Policy) IsPublic(method, path string) bool { return decide(p.public, method, path) }

// Allows reports whether pr may call method on path.
func (p *Policy) Allows(pr *Principal, method, path string) bool {
	return decide(p.grants[AudienceOf(pr)], method, path)
}

func decide(rules []compiled, method, path string) bool {
	if method == http.MethodHead {
		method = http.MethodGet
	}
	segs := splitPath(path)
	for _, r := range rules {
		if r.matches(method, segs) {
			return !r.deny
		}
	}
	return false
}

func (r compiled) matches(method string, segs []string) bool {
	if r.methods != nil && !r.methods[method] {
		return false
	}
	if r.tail {
		if len(segs) < len(r.segs) {
			return false
		}
	} else if len(segs) != len(r.segs) {
		return false
	}
	for i, want := range r.segs {
		if want == "*" {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if segs[i] != want {
			return false
		}
	}
	return true
}

// splitPath turns "/api/users/1" into [api users 1]; "/api/users/" keeps its
// trailing empty segment, so it differs from "/api/users" as it did before.
func splitPath(path string) []string {
	return strings.Split(strings.TrimPrefix(path, "/"), "/")
}

func compileAll(rules []Rule) ([]compiled, error) {
	out := make([]compiled, 0, len(rules))
	for _, r := range rules {
		c, err := compile(r)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func compile(r Rule) (compiled, error) {
	c := compiled{deny: r.Deny, src: r.Methods + " " + r.Path}
	if !strings.HasPrefix(r.Path, "/") {
		return c, fmt.Errorf("rule %q: path must start with /", c.src)
	}
	if r.Methods != "*" {
		c.methods = map[string]bool{}
		for _, m := range strings.Split(r.Methods, ",") {
			m = strings.ToUpper(strings.TrimSpace(m))
			if m == "" {
				return c, fmt.Errorf("rule %q: empty method", c.src)
			}
			c.methods[m] = true
		}
	}
	c.segs = splitPath(r.Path)
	if n := len(c.segs); c.segs[n-1] == "**" {
		c.tail = true
		c.segs = c.segs[:n-1]
	}
	for _, s := range c.segs {
		if s == "**" {
			return c, fmt.Errorf("rule %q: ** only at the end", c.src)
		}
		if s == "" || s == "." || s == ".." {
			return c, fmt.Errorf("rule %q: empty or dot segment", c.src)
		}
	}
	return c, nil
}

// CanonicalPath reports whether path has no empty (//) or dot segments. The
// access layer refuses other paths, so a rule can never be bypassed by a
// spelling that a proxy or router would read differently. A single trailing
// slash is allowed.
func CanonicalPath(path string) bool {
	if !strings.HasPrefix(path, "/") {
		return false
	}
	segs := splitPath(path)
	for i, s := range segs {
		switch {
		case s == "." || s == "..":
			return false
		case s == "" && i != len(segs)-1:
			return false
		}
	}
	return true
}

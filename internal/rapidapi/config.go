package rapidapi

import (
	"fmt"
	"net/url"
	"strings"
)

// Default base URLs and the real RapidAPI host names (the X-RapidAPI-Host
// header) of the two APIs.
const (
	DefaultInstagramBaseURL = "https://social-api4.p.rapidapi.com"
	DefaultTikTokBaseURL    = "https://tiktok-api23.p.rapidapi.com"
	InstagramHost           = "social-api4.p.rapidapi.com"
	TikTokHost              = "tiktok-api23.p.rapidapi.com"
)

// Config is the RapidAPI part of the process configuration. The env tags
// name the variables of SPEC.md §7 so cmd/ can embed it in its Config; the
// *Host and FallbackBaseURL fields have no variable: they exist so tests
// and staging can point a base URL at a local server while the
// X-RapidAPI-Host header keeps the real host name.
type Config struct {
	// Key is RAPIDAPI_KEY. Empty is allowed at start-up; every call then
	// fails with ErrKeyMissing before any HTTP request.
	Key string `env:"RAPIDAPI_KEY"`

	InstagramBaseURL string `env:"RAPIDAPI_IG_BASE_URL" envDefault:"https://social-api4.p.rapidapi.com"`
	TikTokBaseURL    string `env:"RAPIDAPI_TIKTOK_BASE_URL" envDefault:"https://tiktok-api23.p.rapidapi.com"`
	// InstagramHost / TikTokHost override the X-RapidAPI-Host header. Empty
	// derives it: the base URL's host when that is a *.rapidapi.com host,
	// else the API's real host (InstagramHost / TikTokHost constants).
	InstagramHost string
	TikTokHost    string

	// FallbackHost and FallbackKey (RAPIDAPI_FALLBACK_HOST/_KEY) configure
	// the fallback only when both are set.
	FallbackHost string `env:"RAPIDAPI_FALLBACK_HOST"`
	FallbackKey  string `env:"RAPIDAPI_FALLBACK_KEY"`
	// FallbackBaseURL overrides where fallback calls go (default
	// https://<FallbackHost>); the header still names FallbackHost.
	FallbackBaseURL string
}

// Endpoint is where one API's calls go and how they authenticate.
type Endpoint struct {
	BaseURL string // scheme://host[/prefix], no trailing slash needed
	Host    string // X-RapidAPI-Host
	Key     string // X-RapidAPI-Key
}

// Instagram returns the social-api4 endpoint.
func (c Config) Instagram() Endpoint {
	return primary(c.InstagramBaseURL, DefaultInstagramBaseURL, c.InstagramHost, InstagramHost, c.Key)
}

// TikTok returns the tiktok-api23 endpoint.
func (c Config) TikTok() Endpoint {
	return primary(c.TikTokBaseURL, DefaultTikTokBaseURL, c.TikTokHost, TikTokHost, c.Key)
}

// Fallback returns the fallback endpoint, nil unless both the fallback
// host and key are set (spec §2.1). RAPIDAPI_FALLBACK_HOST is a host name;
// a value given as a URL is accepted and its host used.
func (c Config) Fallback() *Endpoint {
	host := strings.TrimSpace(c.FallbackHost)
	key := strings.TrimSpace(c.FallbackKey)
	if host == "" || key == "" {
		return nil
	}
	base := "https://" + host
	if u, err := url.Parse(host); err == nil && u.Scheme != "" && u.Host != "" {
		base, host = strings.TrimRight(host, "/"), u.Hostname()
	}
	if c.FallbackBaseURL != "" {
		base = c.FallbackBaseURL
	}
	return &Endpoint{BaseURL: base, Host: host, Key: key}
}

func primary(base, defBase, host, defHost, key string) Endpoint {
	if base = strings.TrimSpace(base); base == "" {
		base = defBase
	}
	if host == "" {
		host = defHost
		if u, err := url.Parse(base); err == nil && strings.HasSuffix(u.Hostname(), ".rapidapi.com") {
			host = u.Hostname()
		}
	}
	return Endpoint{BaseURL: base, Host: host, Key: strings.TrimSpace(key)}
}

// url builds <base>/<path>?<query>.
func (e Endpoint) url(path string, q url.Values) (string, error) {
	u, err := url.Parse(e.BaseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("rapidapi: invalid base URL %q", e.BaseURL)
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/" + strings.TrimLeft(path, "/")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

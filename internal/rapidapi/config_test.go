package rapidapi_test

import (
	"testing"

	"github.com/cicero/cicero/internal/rapidapi"
)

func TestConfigEndpoints(t *testing.T) {
	tests := []struct {
		name     string
		cfg      rapidapi.Config
		ig, tt   rapidapi.Endpoint
		fallback *rapidapi.Endpoint
	}{
		{
			name: "defaults",
			cfg:  rapidapi.Config{Key: "k"},
			ig:   rapidapi.Endpoint{BaseURL: "https://social-api4.p.rapidapi.com", Host: "social-api4.p.rapidapi.com", Key: "k"},
			tt:   rapidapi.Endpoint{BaseURL: "https://tiktok-api23.p.rapidapi.com", Host: "tiktok-api23.p.rapidapi.com", Key: "k"},
		},
		{
			name: "a RapidAPI base URL names its own host; a local one keeps the real host",
			cfg:  rapidapi.Config{Key: "k", InstagramBaseURL: "https://social-api5.p.rapidapi.com", TikTokBaseURL: "http://127.0.0.1:9/tt"},
			ig:   rapidapi.Endpoint{BaseURL: "https://social-api5.p.rapidapi.com", Host: "social-api5.p.rapidapi.com", Key: "k"},
			tt:   rapidapi.Endpoint{BaseURL: "http://127.0.0.1:9/tt", Host: "tiktok-api23.p.rapidapi.com", Key: "k"},
		},
		{
			name:     "fallback needs host and key",
			cfg:      rapidapi.Config{Key: "k", FallbackHost: "backup.p.rapidapi.com"},
			ig:       rapidapi.Endpoint{BaseURL: "https://social-api4.p.rapidapi.com", Host: "social-api4.p.rapidapi.com", Key: "k"},
			tt:       rapidapi.Endpoint{BaseURL: "https://tiktok-api23.p.rapidapi.com", Host: "tiktok-api23.p.rapidapi.com", Key: "k"},
			fallback: nil,
		},
		{
			name:     "fallback configured",
			cfg:      rapidapi.Config{Key: "k", FallbackHost: "backup.p.rapidapi.com", FallbackKey: "fk", InstagramHost: "x"},
			ig:       rapidapi.Endpoint{BaseURL: "https://social-api4.p.rapidapi.com", Host: "x", Key: "k"},
			tt:       rapidapi.Endpoint{BaseURL: "https://tiktok-api23.p.rapidapi.com", Host: "tiktok-api23.p.rapidapi.com", Key: "k"},
			fallback: &rapidapi.Endpoint{BaseURL: "https://backup.p.rapidapi.com", Host: "backup.p.rapidapi.com", Key: "fk"},
		},
		{
			name:     "fallback host given as a URL, base URL overridden",
			cfg:      rapidapi.Config{FallbackHost: "https://backup.p.rapidapi.com/", FallbackKey: "fk", FallbackBaseURL: "http://127.0.0.1:9"},
			ig:       rapidapi.Endpoint{BaseURL: "https://social-api4.p.rapidapi.com", Host: "social-api4.p.rapidapi.com"},
			tt:       rapidapi.Endpoint{BaseURL: "https://tiktok-api23.p.rapidapi.com", Host: "tiktok-api23.p.rapidapi.com"},
			fallback: &rapidapi.Endpoint{BaseURL: "http://127.0.0.1:9", Host: "backup.p.rapidapi.com", Key: "fk"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cfg.Instagram(); got != tt.ig {
				t.Errorf("Instagram() = %+v, want %+v", got, tt.ig)
			}
			if got := tt.cfg.TikTok(); got != tt.tt {
				t.Errorf("TikTok() = %+v, want %+v", got, tt.tt)
			}
			got := tt.cfg.Fallback()
			if (got == nil) != (tt.fallback == nil) || (got != nil && *got != *tt.fallback) {
				t.Errorf("Fallback() = %+v, want %+v", got, tt.fallback)
			}
		})
	}
	if _, err := rapidapi.NewCaller(rapidapi.Endpoint{BaseURL: "not a url"}, nil, nil, nil); err == nil {
		t.Error("bad base URL accepted")
	}
}

// Package config reads Cicero's configuration from the environment, once.
package config

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/cicero/cicero/internal/google"
	"github.com/cicero/cicero/internal/rapidapi"
)

// Config is every setting of the process. README.md documents each variable.
type Config struct {
	Port        int    `env:"PORT" envDefault:"3000"`
	DatabaseURL string `env:"DATABASE_URL" envDefault:"postgres://postgres@127.0.0.1:5432/cicero?sslmode=disable"`
	RedisURL    string `env:"REDIS_URL" envDefault:"redis://127.0.0.1:6379/0"`
	// NATSURL empty → run the embedded server.
	NATSURL string `env:"NATS_URL"`
	// NATSListen is the embedded server's loopback address, so CLI commands
	// reach a running `serve`. Not the packaged NATS's 4222.
	NATSListen       string        `env:"NATS_LISTEN" envDefault:"127.0.0.1:14222"`
	NATSSyncInterval time.Duration `env:"NATS_SYNC_INTERVAL" envDefault:"0s"`
	NATSReplicas     int           `env:"NATS_REPLICAS" envDefault:"1"`
	NATSDupWindow    time.Duration `env:"NATS_DUPLICATE_WINDOW" envDefault:"2m"`
	DataDir          string        `env:"DATA_DIR" envDefault:"./data"`
	// EventCache is how many events each process keeps of the aggregates it
	// read or wrote, so commands decide without a round trip.
	EventCache int `env:"EVENT_CACHE_EVENTS" envDefault:"200000"`

	// JWTSecret signs dashboard, personnel and penmas tokens (HS256). Required by serve.
	JWTSecret string `env:"JWT_SECRET"`
	// CookieSecure marks the token cookie Secure (set it behind HTTPS).
	CookieSecure bool `env:"COOKIE_SECURE" envDefault:"false"`
	// CORSOrigin lists the browser origins allowed to call the API with
	// credentials (comma separated).
	CORSOrigin string `env:"CORS_ORIGIN" envDefault:"http://localhost:3000"`
	// AllowDuplicateRequests turns the 5-minute duplicate-request guard off.
	AllowDuplicateRequests bool `env:"ALLOW_DUPLICATE_REQUESTS" envDefault:"false"`
	// BodyLimit caps JSON request bodies, in bytes.
	BodyLimit int64 `env:"BODY_LIMIT" envDefault:"1048576"`
	// TrustedProxies are proxy addresses whose X-Forwarded-For is believed.
	TrustedProxies string `env:"TRUSTED_PROXIES"`
	// AdminWhatsApp lists the admins' WhatsApp numbers (comma separated).
	AdminWhatsApp string `env:"ADMIN_WHATSAPP"`
	// EnableDirRequestGroup registers the seven dirRequest schedules
	// (spec/ops.md §3.10, jobs 14–20 of §5.3); off, they are neither
	// scheduled nor runnable by name.
	EnableDirRequestGroup bool `env:"ENABLE_DIRREQUEST_GROUP" envDefault:"true"`
	// SchedulerEnabled runs the jobs on their clock in serve. Off, serve
	// fires nothing by itself (an instance that only serves, or a test
	// that must not meet a half-hourly fetch); jobs still run on request
	// (`cicero job run`, POST /api/admin/jobs/{name}/run).
	SchedulerEnabled bool `env:"SCHEDULER_ENABLED" envDefault:"true"`
	// SMTP settings for e-mail (OTP codes, notifications).
	SMTPHost string `env:"SMTP_HOST" envDefault:"127.0.0.1"`
	SMTPPort int    `env:"SMTP_PORT" envDefault:"25"`
	SMTPUser string `env:"SMTP_USER"`
	SMTPPass string `env:"SMTP_PASS"`
	SMTPFrom string `env:"SMTP_FROM" envDefault:"cicero@localhost"`
	// SMTPTLS is opportunistic (STARTTLS when offered), mandatory or none.
	SMTPTLS string `env:"SMTP_TLS" envDefault:"opportunistic"`
	// PremiumAllowedTiers are the tiers the dashboard premium guard accepts;
	// premium grants must name one of them.
	PremiumAllowedTiers string `env:"DASHBOARD_PREMIUM_ALLOWED_TIERS" envDefault:"tier1,tier2,premium_1"`
	// The dashboard password-reset link: DASHBOARD_PASSWORD_RESET_URL, else
	// DASHBOARD_URL, else the legacy https://papiqo.com; /reset-password is
	// appended unless already there. The token is valid for
	// DASHBOARD_RESET_TOKEN_EXPIRY_MINUTES.
	DashboardResetURL     string `env:"DASHBOARD_PASSWORD_RESET_URL"`
	DashboardURL          string `env:"DASHBOARD_URL"`
	DashboardResetMinutes int    `env:"DASHBOARD_RESET_TOKEN_EXPIRY_MINUTES" envDefault:"15"`
	LogLevel              string `env:"LOG_LEVEL" envDefault:"info"`

	// ReadWaitMax bounds how long a read waits for X-Cicero-Min-Position.
	ReadWaitMax time.Duration `env:"READ_WAIT_MAX" envDefault:"5s"`
	// ProjectionBatch is the most events one projection transaction applies.
	ProjectionBatch int `env:"PROJECTION_BATCH" envDefault:"5000"`

	// CommandLogRetention and OutboxRetention are how long command outcomes
	// and finished outbox rows are kept; the daily retention job deletes
	// older ones (README "Retention").
	CommandLogRetention time.Duration `env:"COMMAND_LOG_RETENTION" envDefault:"720h"`
	OutboxRetention     time.Duration `env:"OUTBOX_RETENTION" envDefault:"720h"`

	// WhatsApp: the device ids of the three sessions (the legacy clientIds;
	// they must differ), whether this instance runs WhatsApp at all, how
	// long inbound message ids are remembered and how long a job waits for
	// a session (README "WhatsApp").
	WAMainClientID    string `env:"APP_SESSION_NAME" envDefault:"wa-admin"`
	WAUserClientID    string `env:"USER_WA_CLIENT_ID" envDefault:"wa-userrequest"`
	WAGatewayClientID string `env:"GATEWAY_WA_CLIENT_ID" envDefault:"wa-gateway"`
	// WASkipInit (WA_SERVICE_SKIP_INIT) leaves WhatsApp out of this
	// instance: no session connects and its dispatcher leaves WhatsApp
	// rows to an instance that has them (a device connects from one place).
	WASkipInit     bool  `env:"WA_SERVICE_SKIP_INIT" envDefault:"false"`
	WADedupTTLMs   int64 `env:"WA_MESSAGE_DEDUP_TTL_MS" envDefault:"86400000"`
	WAReadyTimeout int64 `env:"WA_READY_TIMEOUT_MS" envDefault:"60000"`

	// RapidAPI is the Instagram and TikTok APIs' configuration (RAPIDAPI_*).
	RapidAPI rapidapi.Config
	// Google is contact saving and the Drive backup (GOOGLE_*, BACKUP_*,
	// CONTACT_*).
	Google google.Config
}

// Load parses the environment.
func Load() (Config, error) {
	var c Config
	if err := env.Parse(&c); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	return c, c.Validate()
}

// Validate rejects settings that cannot work.
func (c Config) Validate() error {
	var errs []error
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("PORT %d out of range", c.Port))
	}
	if c.NATSReplicas != 1 && c.NATSReplicas != 3 && c.NATSReplicas != 5 {
		errs = append(errs, fmt.Errorf("NATS_REPLICAS must be 1, 3 or 5, got %d", c.NATSReplicas))
	}
	if c.NATSSyncInterval < 0 {
		errs = append(errs, errors.New("NATS_SYNC_INTERVAL must not be negative"))
	}
	switch c.SMTPTLS {
	case "opportunistic", "mandatory", "none":
	default:
		errs = append(errs, fmt.Errorf("SMTP_TLS must be opportunistic, mandatory or none, got %q", c.SMTPTLS))
	}
	if c.DashboardResetMinutes < 1 {
		errs = append(errs, errors.New("DASHBOARD_RESET_TOKEN_EXPIRY_MINUTES must be at least 1"))
	}
	if c.ProjectionBatch < 1 {
		errs = append(errs, errors.New("PROJECTION_BATCH must be at least 1"))
	}
	if c.CommandLogRetention < 24*time.Hour {
		errs = append(errs, fmt.Errorf("COMMAND_LOG_RETENTION must be at least 24h (well past JetStream's duplicate window), got %s", c.CommandLogRetention))
	}
	if c.OutboxRetention < 24*time.Hour {
		errs = append(errs, fmt.Errorf("OUTBOX_RETENTION must be at least 24h (longer than any saga's MaxAge), got %s", c.OutboxRetention))
	}
	if ids := []string{c.WAMainClientID, c.WAUserClientID, c.WAGatewayClientID}; !distinctIDs(ids) {
		errs = append(errs, fmt.Errorf("APP_SESSION_NAME, USER_WA_CLIENT_ID and GATEWAY_WA_CLIENT_ID must be set and differ (ignoring case), got %q", ids))
	}
	if c.WADedupTTLMs < 60000 {
		errs = append(errs, fmt.Errorf("WA_MESSAGE_DEDUP_TTL_MS must be at least 60000, got %d", c.WADedupTTLMs))
	}
	if c.WAReadyTimeout < 0 {
		errs = append(errs, errors.New("WA_READY_TIMEOUT_MS must not be negative"))
	}
	if err := c.Google.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// distinctIDs: every id non-empty and no two equal without case (the
// legacy session folders' rule).
func distinctIDs(ids []string) bool {
	seen := map[string]bool{}
	for _, id := range ids {
		k := strings.ToLower(strings.TrimSpace(id))
		if k == "" || seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

// WADedupTTL is WA_MESSAGE_DEDUP_TTL_MS as a duration.
func (c Config) WADedupTTL() time.Duration { return time.Duration(c.WADedupTTLMs) * time.Millisecond }

// WAReadyWait is WA_READY_TIMEOUT_MS as a duration (jobs' WaitReady).
func (c Config) WAReadyWait() time.Duration {
	return time.Duration(c.WAReadyTimeout) * time.Millisecond
}

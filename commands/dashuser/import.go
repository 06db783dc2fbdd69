package dashuser

import (
	"context"
	"regexp"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
)

// ImportDashboardUser brings an account over from the old system
// (`cicero import-v2`) with its bcrypt hash as it is, so people keep
// their passwords, and approved when it was active there. The old id is
// kept. Like CreateDashboardUser it refuses a taken username or id; an
// account imported before (same id and username) is left as it is.
type ImportDashboardUser struct {
	DashboardUserID string
	Username        string
	PasswordHash    string
	Role            string
	WhatsApp        string
	Email           string
	ClientIDs       []string
	Approved        bool
	By              string
}

// bcryptRE is a bcrypt hash in its modular crypt form ($2a$, $2b$, $2y$).
var bcryptRE = regexp.MustCompile(`^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$`)

const msgHashInvalid = "password_hash bukan hash bcrypt"

func (cmd ImportDashboardUser) parse() (registration, error) {
	hash := strings.TrimSpace(cmd.PasswordHash)
	if !bcryptRE.MatchString(hash) {
		return registration{}, invalid("password_hash", msgHashInvalid)
	}
	// The placeholder password passes the length checks; it is never
	// hashed or stored (the kept hash is).
	r, err := parseRegistration(cmd.DashboardUserID, cmd.Username, "imported-hash", cmd.Role, cmd.WhatsApp, cmd.Email,
		cmd.ClientIDs, nil, false)
	if err != nil {
		return r, err
	}
	r.hash, r.password = hash, ""
	if !cmd.Approved {
		return r, nil
	}
	r.approvedBy = strings.TrimSpace(cmd.By)
	if r.approvedBy == "" {
		r.approvedBy = "system:import"
	}
	return r, nil
}

// ImportDashboardUser → DashboardUserRegistered with the kept hash (and
// DashboardUserApproved when it was active), nothing when imported before.
func (h *Handlers) ImportDashboardUser(ctx context.Context, meta commands.Meta, cmd ImportDashboardUser) (commands.Outcome, error) {
	r, perr := cmd.parse()
	return h.rt.Handle(ctx, "dashuser.ImportDashboardUser", meta, func(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
		if perr != nil {
			return nil, perr
		}
		return r.decide(ctx, l, h.hasher)
	})
}

// ValidHash reports whether h is a bcrypt hash ImportDashboardUser keeps.
func ValidHash(h string) bool { return bcryptRE.MatchString(strings.TrimSpace(h)) }

package personnelpremium_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

func TestExpirePremium(t *testing.T) {
	h := newHarness(t)
	h.person("75020001")
	expire := func(meta commands.Meta) (commands.Outcome, error) {
		return h.h.ExpirePremium(ctx(t), meta, personnelpremium.ExpirePremium{UserID: "75020001"})
	}
	out, err := h.h.ExpirePremium(ctx(t), commands.Meta{}, personnelpremium.ExpirePremium{UserID: ""})
	wantRejected(t, out, err, apperr.Invalid, "user_id", "user_id tidak valid")

	// Never granted: nothing to expire.
	h.do(0)(expire(commands.Meta{}))
	id := h.request("75020001")
	h.do(1)(h.h.ApproveRequest(ctx(t), commands.Meta{}, personnelpremium.ApproveRequest{UserID: "75020001", RequestID: id,
		Days: 1, By: admin}))
	before := h.events("75020001")

	// Not yet due, one microsecond before the end.
	h.clk.advance(24*time.Hour - time.Microsecond)
	h.do(0)(expire(commands.Meta{}))
	h.wantEvents("75020001", before...)

	// Due at its end; repeated under the same id or a new one, nothing more.
	h.clk.advance(time.Microsecond)
	meta := commands.Meta{CommandID: uuid.NewString(), Actor: "system:test"}
	h.do(1)(expire(meta))
	h.do(1)(expire(meta))
	h.do(0)(expire(commands.Meta{}))
	h.wantEvents("75020001", append(before, &events.PersonnelPremiumExpired{UserID: "75020001", ExpiredAt: h.clk.now()})...)
}

// Package complaint is the complaint aggregate (stream COMPLAINT): one
// answer to a person's complaint about their recorded engagement, recorded
// once (subject complaint.<id>). The answer's message leaves through
// the complaint saga and the outbox, never from the handler.
package complaint

import (
	"context"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// AnswerComplaint records an answered complaint → ComplaintAnswered, once
// per complaint id (a retried request appends nothing).
// Refusals: Invalid complaint_id, platform, user_id or message.
type AnswerComplaint struct {
	Answer events.ComplaintAnswered
}

func (cmd AnswerComplaint) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	a := cmd.Answer
	a.ComplaintID = strings.TrimSpace(a.ComplaintID)
	switch {
	case a.ComplaintID == "":
		return nil, apperr.Invalidf("complaint_id", "complaint_id wajib diisi")
	case a.Platform != events.PlatformInstagram && a.Platform != events.PlatformTiktok:
		return nil, apperr.Invalidf("platform", "platform harus instagram atau tiktok")
	case strings.TrimSpace(a.NRP) == "":
		return nil, apperr.Invalidf("nrp", "nrp wajib diisi")
	case strings.TrimSpace(a.Message) == "":
		return nil, apperr.Invalidf("message", "pesan jawaban kosong")
	}
	a.AnsweredAt = a.AnsweredAt.UTC()
	return l.RecordOnce(ctx, events.ComplaintSubject(a.ComplaintID), a.ComplaintID, a)
}

// Handlers runs the complaint command.
type Handlers struct{ rt *commands.Runtime }

// NewHandlers returns the complaint handlers over rt.
func NewHandlers(rt *commands.Runtime) *Handlers { return &Handlers{rt: rt} }

// AnswerComplaint → ComplaintAnswered (nothing when recorded already).
func (h *Handlers) AnswerComplaint(ctx context.Context, meta commands.Meta, cmd AnswerComplaint) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "complaint.AnswerComplaint", meta, cmd.decide)
}

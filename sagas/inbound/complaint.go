package inbound

import (
	"context"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/complainttext"
	"github.com/cicero/cicero/internal/jakarta"
)

// ComplaintSolver answers one recognised complaint issue
// (complainttext.InstagramNotRecorded, …) for a person from the social
// read models; "" when it adds nothing. Optional: without one, a
// recognised issue gets the default answer.
type ComplaintSolver interface {
	Solution(ctx context.Context, key string, parsed complainttext.Parsed, p Person, now time.Time) (string, error)
}

const txtComplaintNoNRP = "❌ Pesan komplain belum mencantumkan *NRP/NIP*. Tambahkan baris `NRP/NIP: <angka>` lalu kirim ulang."

// isComplaint reports whether a text is a structured complaint: a line
// starting with "Pesan Komplain" (spec/access.md §5.3) and at least one
// field or issue below it.
func isComplaint(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		l := strings.ToLower(strings.TrimLeft(strings.TrimSpace(line), "*•●-_ "))
		if strings.HasPrefix(l, "pesan komplain") {
			return strings.Count(text, "\n") > 0
		}
	}
	return false
}

// complaint answers a structured complaint in the chat it came from, as
// the REST route composes it (spec/access.md §5.5, §5.8). It changes no
// data: the answer is a reply.
func (r *Router) complaint(t *turn) error {
	parsed := complainttext.Parse(t.text)
	label := complainttext.Instagram
	if low := strings.ToLower(t.text); strings.Contains(low, "tiktok") && !strings.Contains(low, "instagram") {
		label = complainttext.TikTok
	}
	parsed.Fallbacks(label, "", "", "", "")
	if parsed.NRP == "" {
		return t.reply(txtComplaintNoNRP)
	}
	p, found, err := r.d.Directory.Person(t.ctx, parsed.NRP)
	if err != nil {
		return err
	}
	if !found {
		return t.replyf(txtNotFoundNRP, parsed.NRP)
	}
	now := r.cfg.Now()
	issue, solution := complainttext.FormatIssue(parsed), ""
	switch {
	case !p.Active:
		solution = complainttext.InactiveSolution
	case strings.TrimSpace(p.Insta) == "" && strings.TrimSpace(p.Tiktok) == "":
		issue, solution = complainttext.NoAccountsIssue, complainttext.NoAccountsSolution
	default:
		var parts []string
		for _, k := range complainttext.Detect(parsed.Issues) {
			if r.d.Solver == nil {
				continue
			}
			s, err := r.d.Solver.Solution(t.ctx, k, parsed, p, now)
			if err != nil {
				return err
			}
			if s != "" {
				parts = append(parts, s)
			}
		}
		if solution = strings.Join(parts, "\n\n"); solution == "" {
			solution = complainttext.DefaultSolution(label)
		}
	}
	msg := complainttext.Message(complainttext.Greeting(now, jakarta.Location), complainttext.ReporterName(p.Title, p.Nama, p.NRP),
		p.NRP, issue, solution)
	return t.reply(msg)
}

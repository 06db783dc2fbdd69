package inbound

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/normalize"
)

// A bulk personnel deletion request (spec/ops.md §3.6 step 1, §3.7
// gateway): a header "Permohonan Penghapusan Data Personil – <SATKER>" and
// numbered lines "Nama – NRP/NIP – Alasan". Each person named is
// deactivated and their WhatsApp number cleared. The old system took it
// from anyone; here the sender must be an admin or the operator or a super
// admin of the person's client.

var (
	bulkHeaderRE = regexp.MustCompile(`(?i)^\W*permohonan\s+penghapusan\s+data\s+personil\s*[–—-]?\s*(.*)$`)
	bulkLineRE   = regexp.MustCompile(`^\s*\d+\s*[.)]?\s*(.+?)\s*[–—-]\s*([\d\s.]+?)\s*[–—-]\s*(.+?)\s*$`)
)

// bulkRequest is a parsed deletion request.
type bulkRequest struct {
	satker string
	lines  []bulkLine
}

type bulkLine struct{ name, nrp, reason string }

// parseBulkDeletion reads a deletion request; ok is false for any other
// text.
func parseBulkDeletion(text string) (bulkRequest, bool) {
	var req bulkRequest
	header := false
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !header {
			m := bulkHeaderRE.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				return bulkRequest{}, false
			}
			header, req.satker = true, strings.Trim(strings.TrimSpace(m[1]), "*_")
			continue
		}
		if m := bulkLineRE.FindStringSubmatch(line); m != nil {
			req.lines = append(req.lines, bulkLine{name: m[1], nrp: normalize.NRP(m[2]), reason: m[3]})
		}
	}
	return req, header
}

// bulkDeletion handles a deletion request; handled is false when the text
// is none.
func (r *Router) bulkDeletion(t *turn) (bool, error) {
	req, ok := parseBulkDeletion(t.text)
	if !ok {
		return false, nil
	}
	var mine []string // the clients the sender answers for
	if !t.admin {
		cs, err := r.d.Directory.ClientsByContact(t.ctx, t.number)
		if err != nil {
			return true, err
		}
		for _, c := range cs {
			mine = append(mine, strings.ToUpper(c.ID))
		}
		if len(mine) == 0 {
			return true, t.reply(txtNoAccess)
		}
	}
	if len(req.lines) == 0 {
		return true, t.reply("Format salah! Tulis satu personel per baris: `1. Nama – NRP/NIP – Alasan`.")
	}
	var done, failed []string
	for _, l := range req.lines {
		msg, err := r.deletePerson(t, l, mine)
		if err != nil {
			return true, err
		}
		if msg != "" {
			failed = append(failed, fmt.Sprintf("- %s (%s): %s", l.name, l.nrp, msg))
			continue
		}
		done = append(done, fmt.Sprintf("- %s (%s)", strings.ToUpper(l.name), l.nrp))
	}
	lines := []string{fmt.Sprintf("📋 Permohonan penghapusan data personil %s diproses.", req.satker)}
	lines = append(lines, fmt.Sprintf("✅ Dinonaktifkan (%d):", len(done)))
	lines = append(lines, done...)
	if len(failed) > 0 {
		lines = append(lines, fmt.Sprintf("❌ Gagal (%d):", len(failed)))
		lines = append(lines, failed...)
	}
	return true, t.reply(strings.Join(lines, "\n"))
}

// deletePerson deactivates one person and clears their number; the
// returned text is why it was refused ("" when done).
func (r *Router) deletePerson(t *turn, l bulkLine, mine []string) (string, error) {
	if len(l.nrp) < normalize.MinNRPDigits || len(l.nrp) > normalize.MaxNRPDigits {
		return "NRP/NIP tidak valid", nil
	}
	p, found, err := r.d.Directory.Person(t.ctx, l.nrp)
	if err != nil {
		return "", err
	}
	if !found || (!t.admin && !slices.Contains(mine, strings.ToUpper(p.ClientID))) {
		// Someone of another client is answered like an unknown NRP.
		return "NRP/NIP tidak ditemukan", nil
	}
	if _, err := t.runRaw(func(m commands.Meta) (commands.Outcome, error) {
		return r.d.Commands.Person.Deactivate(t.ctx, m, person.Deactivate{NRP: p.NRP})
	}); err != nil {
		if msg, ok := refusal(err); ok {
			return msg, nil
		}
		return "", err
	}
	empty := ""
	if _, err := t.runRaw(func(m commands.Meta) (commands.Outcome, error) {
		return r.d.Commands.Person.UpdatePerson(t.ctx, m, person.UpdatePerson{NRP: p.NRP, WhatsApp: &empty})
	}); err != nil {
		if msg, ok := refusal(err); ok {
			return msg, nil
		}
		return "", err
	}
	return "", nil
}

package writeapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cicero/cicero/commands/complaint"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/complainttext"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/social"
)

// Messages of the complaint routes (spec/access.md §5).
const (
	komplainMsgNRP      = "nrp wajib diisi"
	komplainMsgNotFound = "User tidak ditemukan"
)

// komplainSince is where the old answer starts counting recorded activity.
var komplainSince = time.Date(2025, 9, 1, 0, 0, 0, 0, jakarta.Location)

// ComplaintPeople finds the person a complaint is about
// (directory.Queries satisfies it).
type ComplaintPeople interface {
	Person(ctx context.Context, userID string) (directory.Person, error)
}

// ComplaintSocial is what the answer reads of the person's engagement
// (social.Queries satisfies it).
type ComplaintSocial interface {
	RecordedSince(ctx context.Context, platform, kind, username, clientID string, since time.Time) (social.Recorded, error)
	Posts(ctx context.Context, q social.PostQuery) ([]social.FeedPost, error)
}

// ComplaintDashboard reads the answering dashboard user's WhatsApp number
// (access.DashboardUserQueries satisfies it through the wiring).
type ComplaintDashboard interface {
	DashboardWhatsApp(ctx context.Context, dashboardUserID string) (string, error)
}

// KomplainDeps is what the complaint routes use.
type KomplainDeps struct {
	People     ComplaintPeople
	Social     ComplaintSocial
	Dashboard  ComplaintDashboard
	Complaints *complaint.Handlers
	Now        func() time.Time
	Logger     *slog.Logger
}

type komplainAPI struct {
	KomplainDeps
	writer
}

// MountKomplain adds POST /dashboard/komplain/insta and /tiktok (dashboard
// users, operators included: spec/social.md §4.0). The answer is composed
// from the read models, recorded as ComplaintAnswered, and sent by
// WhatsApp through the complaint saga and the outbox — never from here; a
// message that cannot be sent never fails the request.
func MountKomplain(r *auth.Router, d KomplainDeps) {
	if d.People == nil || d.Social == nil || d.Complaints == nil {
		panic("writeapi.MountKomplain: People, Social and Complaints are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &komplainAPI{d, writer{log: d.Logger}}
	r.Post("/dashboard/komplain/insta", auth.Dashboard, a.answer(events.PlatformInstagram))
	r.Post("/dashboard/komplain/tiktok", auth.Dashboard, a.answer(events.PlatformTiktok))
}

// komplainBody is the request, each field from its first non-empty alias.
type komplainBody struct {
	nrp, text, issue, solution, instagram, tiktok string
}

func readKomplainBody(b rawBody) (komplainBody, error) {
	var out komplainBody
	for _, f := range []struct {
		dst  *string
		keys []string
	}{
		{&out.nrp, []string{"nrp"}},
		{&out.text, []string{"message", "pesan", "complaint", "raw", "text"}},
		{&out.issue, []string{"issue", "kendala", "problem"}},
		{&out.solution, []string{"solution", "solusi", "tindak_lanjut"}},
		{&out.instagram, []string{"instagram", "insta", "username_ig", "username_instagram"}},
		{&out.tiktok, []string{"tiktok", "username_tiktok"}},
	} {
		for _, k := range f.keys {
			v, err := b.text(k)
			if err != nil {
				return out, err
			}
			if v != nil && strings.TrimSpace(*v) != "" {
				*f.dst = strings.TrimSpace(*v)
				break
			}
		}
	}
	return out, nil
}

func (a *komplainAPI) answer(platform string) http.HandlerFunc {
	label := complainttext.Instagram
	if platform == events.PlatformTiktok {
		label = complainttext.TikTok
	}
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := principalOf(w, r)
		if !ok {
			return
		}
		raw, err := decodeBody(w, r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		in, err := readKomplainBody(raw)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		parsed := complainttext.Parse(in.text)
		parsed.Fallbacks(label, in.nrp, in.instagram, in.tiktok, in.issue)
		if parsed.NRP == "" {
			a.fail(w, r, apperr.Invalidf("nrp", "%s", komplainMsgNRP))
			return
		}
		person, err := a.People.Person(r.Context(), parsed.NRP)
		if errors.Is(err, directory.ErrNotFound) {
			a.fail(w, r, apperr.New(apperr.NotFound, komplainMsgNotFound))
			return
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
		// Complaint look-ups are scoped to the caller's clients (SPEC.md
		// §5.10): the old route answered for anyone. A person outside them
		// is answered as unknown, so the route does not tell which NRPs
		// exist elsewhere.
		if !mayAnswerFor(p, person) {
			a.fail(w, r, apperr.New(apperr.NotFound, komplainMsgNotFound))
			return
		}
		now := a.Now()
		ans, err := a.compose(r.Context(), platform, label, parsed, in, person, now)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		dashWA := ""
		if p.Kind == auth.KindDashboard && a.Dashboard != nil {
			if dashWA, err = a.Dashboard.DashboardWhatsApp(r.Context(), p.ID); err != nil {
				a.fail(w, r, err)
				return
			}
		}
		meta := writeMeta(r, p)
		ev := events.ComplaintAnswered{ComplaintID: meta.CommandID, Platform: platform, NRP: person.UserID,
			ClientID: deref(person.ClientID), Reporter: ans.reporter, Issue: ans.issue, Solution: ans.solution,
			Message: ans.message, Known: ans.known, By: p.Actor(), AnsweredAt: now}
		personnel, dashboard := delivery(person.WhatsApp), delivery(dashWA)
		if personnel.number != "" {
			ev.PersonnelWhatsApp = personnel.number
		}
		if dashboard.number != "" {
			ev.DashboardWhatsApp = dashboard.number
		}
		if ev.PersonnelWhatsApp == "" {
			ev.PersonnelEmail = strings.TrimSpace(person.Email)
		}
		out, err := a.Complaints.AnswerComplaint(r.Context(), meta, complaint.AnswerComplaint{Answer: ev})
		if err != nil {
			a.fail(w, r, err)
			return
		}
		// The answer is composed from what it appended, not read back: never stale.
		setWriteHeaders(w, out.Positions(), true)
		channel := "unknown"
		switch {
		case strings.TrimSpace(person.WhatsApp) != "":
			channel = "whatsapp"
		case strings.TrimSpace(person.Email) != "":
			channel = "email"
		}
		httpx.JSON(w, http.StatusOK, map[string]any{"success": true, "data": map[string]any{
			"platform": label, "message": ans.message, "issue": ans.issue, "solution": ans.solution, "channel": channel,
			"whatsappDelivery": map[string]any{"personnel": personnel.body(), "dashboardUser": dashboard.body()},
			"reporter": map[string]any{"nrp": person.UserID, "name": ans.reporter, "whatsapp": orNil(person.WhatsApp),
				"email": orNil(person.Email)},
			"dashboard": map[string]any{"whatsapp": orNil(dashWA)},
		}})
	}
}

// mayAnswerFor: admins answer anyone; others a person of one of their
// clients, or — a directorate — a holder of its role.
func mayAnswerFor(p *auth.Principal, person directory.Person) bool {
	if p.IsAdmin() {
		return true
	}
	if person.ClientID != nil && p.AllowsClient(*person.ClientID) {
		return true
	}
	return auth.IsDirectorateRole(p.Role) && containsFold(person.Roles, p.Role)
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func orNil(s string) any {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return s
}

// komplainAnswer is a composed answer.
type komplainAnswer struct {
	reporter, issue, solution, message string
	known                              []string
}

// compose builds the answer of spec/access.md §5.5 from the read models.
func (a *komplainAPI) compose(ctx context.Context, platform, label string, parsed complainttext.Parsed,
	in komplainBody, person directory.Person, now time.Time) (komplainAnswer, error) {
	ans := komplainAnswer{reporter: complainttext.ReporterName(person.Title, person.Nama, person.UserID),
		issue: complainttext.FormatIssue(parsed)}
	switch {
	case !person.Status:
		ans.solution = complainttext.InactiveSolution
	case strings.TrimSpace(person.Insta) == "" && strings.TrimSpace(person.Tiktok) == "":
		ans.issue, ans.solution = complainttext.NoAccountsIssue, complainttext.NoAccountsSolution
	default:
		ans.known = complainttext.Detect(parsed.Issues)
		var parts []string
		for _, k := range ans.known {
			s, err := a.solution(ctx, k, parsed, person, now)
			if err != nil {
				return ans, err
			}
			if s != "" {
				parts = append(parts, s)
			}
		}
		ans.solution = strings.Join(parts, "\n\n")
		if ans.solution == "" {
			ans.solution = in.solution
		}
		if ans.solution == "" {
			ans.solution = complainttext.DefaultSolution(label)
		}
	}
	ans.message = complainttext.Message(complainttext.Greeting(now, jakarta.Location), ans.reporter, person.UserID,
		ans.issue, ans.solution)
	return ans, nil
}

// solution is the answer to one recognised issue ("" when it adds
// nothing).
func (a *komplainAPI) solution(ctx context.Context, key string, parsed complainttext.Parsed, person directory.Person,
	now time.Time) (string, error) {
	client := deref(person.ClientID)
	switch key {
	case complainttext.InstagramNotRecorded:
		return a.notRecorded(ctx, events.PlatformInstagram, social.KindLike, "like", "Absensi Likes Instagram",
			person.Insta, parsed.Instagram, client, now)
	case complainttext.TiktokNotRecorded:
		return a.notRecorded(ctx, events.PlatformTiktok, social.KindComment, "komentar", "Absensi Komentar TikTok",
			person.Tiktok, parsed.Tiktok, client, now)
	case complainttext.AttendanceLess:
		day := jakarta.Date(now)
		posts, err := a.Social.Posts(ctx, social.PostQuery{Platform: events.PlatformInstagram, Clients: []string{client},
			From: day, To: day})
		if err != nil {
			return "", err
		}
		if len(posts) == 0 {
			return "Tidak ada konten Instagram yang menjadi tugas hari ini.", nil
		}
		lines := []string{"Konten Instagram tugas hari ini:"}
		for i, p := range posts {
			lines = append(lines, fmt.Sprintf("%d. https://www.instagram.com/p/%s/ — %s", i+1, p.PostID, shorten(p.Caption, 120)))
		}
		lines = append(lines, "Pastikan setiap konten di atas sudah di-like dan link amplifikasinya dilaporkan melalui menu *Update Tugas*.")
		return strings.Join(lines, "\n"), nil
	}
	// activity_flagged_not_done needs the account's metrics, which only
	// a profile check gives; without one it adds nothing (as the old code).
	return "", nil
}

// notRecorded answers "I did it but it was not recorded" from what the
// read models hold since komplainSince.
func (a *komplainAPI) notRecorded(ctx context.Context, platform, kind, what, menu, stored, claimed, client string,
	now time.Time) (string, error) {
	handle := strings.ToLower(strings.TrimLeft(strings.TrimSpace(stored), "@"))
	if handle != "" {
		rec, err := a.Social.RecordedSince(ctx, platform, kind, handle, client, komplainSince)
		if err != nil {
			return "", err
		}
		if rec.Posts > 0 {
			return fmt.Sprintf("Sistem mencatat aktivitas akun @%s: %d konten sudah ber-%s tercatat sejak %s hingga %s.\n"+
				"Silakan buka menu *%s* lalu tekan *Refresh* untuk melihat rekap terbaru.",
				handle, rec.Posts, what, longDate(komplainSince), longDate(now), menu), nil
		}
	}
	claimedHandle := strings.TrimPrefix(claimed, "@")
	lines := []string{
		"*Perbandingan Username*",
		"• Data Cicero: " + atOrDash(handle),
		"• Pada komplain: " + atOrDash(claimedHandle),
		"",
		fmt.Sprintf("Belum ada %s yang tercatat untuk akun tersebut sejak %s.", what, longDate(komplainSince)),
		"",
		"*Langkah Verifikasi*",
		"1. Pastikan akun tidak dikunci (privat) dan dapat dibuka publik.",
		fmt.Sprintf("2. Pastikan %s dilakukan dari akun yang tercatat di Cicero.", what),
		"3. Tunggu pengambilan data berikutnya (setiap 30 menit pukul 06.00–22.00 WIB).",
		fmt.Sprintf("4. Buka menu *%s* lalu tekan *Refresh*.", menu),
	}
	if claimedHandle != "" && claimedHandle != handle {
		lines = append(lines, "", "*Verifikasi Lanjutan*",
			"Username pada komplain berbeda dengan data Cicero. Perbarui melalui *Update Data Personil* di https://papiqo.com/claim.")
	}
	lines = append(lines, "", "Bila kendala berlanjut, laporan akan diteruskan ke admin untuk pengecekan manual.")
	return strings.Join(lines, "\n"), nil
}

func atOrDash(h string) string {
	if h == "" {
		return "-"
	}
	return "@" + h
}

var bulan = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
	"Oktober", "November", "Desember"}

// longDate is the id-ID long date ("1 September 2025") in Jakarta.
func longDate(t time.Time) string {
	t = t.In(jakarta.Location)
	return fmt.Sprintf("%d %s %d", t.Day(), bulan[t.Month()-1], t.Year())
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// target is one WhatsApp recipient's delivery state as the answer
// reports it: skipped (no number), invalid (fewer than 8 digits), or
// pending (queued in the outbox for the complaint saga).
type target struct {
	status, reason, number string
}

func delivery(raw string) target {
	digits := complainttext.Digits(raw)
	switch {
	case strings.TrimSpace(raw) == "":
		return target{status: "skipped", reason: "empty"}
	case len(digits) < 8:
		return target{status: "invalid", reason: "invalid_number"}
	}
	switch {
	case strings.HasPrefix(digits, "0"):
		digits = "62" + digits[1:]
	case strings.HasPrefix(digits, "8"):
		digits = "62" + digits // typed without the trunk 0
	}
	return target{status: "pending", reason: "queued", number: digits}
}

func (t target) body() map[string]any {
	var jid any
	if t.number != "" {
		jid = t.number + "@c.us"
	}
	return map[string]any{"status": t.status, "reason": t.reason, "target": jid}
}

package readapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cicero/cicero/internal/httpx"
)

// anevXLSX is the export's content type.
const anevXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// export is GET /dashboard/anev/export: the same report as an .xlsx
// workbook — sheet "Ringkasan" (filters and totals) and sheet "Pelaksana"
// (one row per directory user, the compliance figures) — streamed row by
// row so a directorate's 10,000 personnel never sit in memory twice.
func (a *anevAPI) export(w http.ResponseWriter, r *http.Request) {
	rep, ok := a.report(w, r)
	if !ok {
		return
	}
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	if err := writeAnevWorkbook(f, rep); err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	name := fmt.Sprintf("anev_%s_%s_%s.xlsx", fileToken(rep.req.client), rep.req.rng.from, rep.req.rng.to)
	w.Header().Set("Content-Type", anevXLSX)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	w.WriteHeader(http.StatusOK)
	if err := f.Write(w); err != nil {
		a.Logger.InfoContext(r.Context(), "anev export: write interrupted", "err", err)
	}
}

func writeAnevWorkbook(f *excelize.File, rep *anevReport) error {
	const summary, people = "Ringkasan", "Pelaksana"
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return fmt.Errorf("anev export: %w", err)
	}
	expected := rep.ig.posts + rep.tt.posts
	lines := [][]any{
		{"Client", rep.req.client}, {"Role", rep.req.role}, {"Scope", rep.req.scope}, {"Regional", rep.req.regional},
		{"Rentang", rep.req.rng.from + " s.d. " + rep.req.rng.to}, {},
		{"Jumlah personel", len(rep.users)}, {"Konten Instagram", rep.ig.posts}, {"Konten TikTok", rep.tt.posts},
		{"Total likes", rep.ig.total()}, {"Total komentar", rep.tt.total()}, {"Target aksi per personel", expected},
	}
	for i, l := range lines {
		if err := f.SetSheetRow(summary, fmt.Sprintf("A%d", i+1), &l); err != nil {
			return fmt.Errorf("anev export: %w", err)
		}
	}
	if _, err := f.NewSheet(people); err != nil {
		return fmt.Errorf("anev export: %w", err)
	}
	sw, err := f.NewStreamWriter(people)
	if err != nil {
		return fmt.Errorf("anev export: %w", err)
	}
	header := []any{"NRP/NIP", "Pangkat", "Nama", "Satfung", "Client", "Instagram", "TikTok", "Likes", "Komentar",
		"Total aksi", "Target aksi", "Completion rate", "Pengecualian"}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("anev export: %w", err)
	}
	for i, row := range rep.rows() {
		u := row.user
		vals := []any{u.UserID, u.Title, u.Nama, satfung(u.Divisi), u.ClientID, deref(row.instaHandle),
			deref(tiktokContactString(row.tiktokHandle)), row.likes, row.comments, row.actions, row.expected, row.rate, u.Exception}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return fmt.Errorf("anev export: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("anev export: %w", err)
	}
	return nil
}

// fileToken keeps a client id safe inside a quoted file name: anything
// but letters, digits, '-' and '_' (an admin may name any client) is '_'.
func fileToken(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func tiktokContactString(norm *string) *string {
	if norm == nil {
		return nil
	}
	s := "@" + *norm
	return &s
}

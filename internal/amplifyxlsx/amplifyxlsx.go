// Package amplifyxlsx writes the link report workbook (spec/ops.md §2.6):
// sheet "Sheet1", a header row, then one row per report. The HTTP exports
// and the monthly WhatsApp file share it.
package amplifyxlsx

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// ContentType is the workbook's media type.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Header is the workbook's first row.
var Header = []any{"Date", "Pangkat Nama", "NRP", "Satfung", "Link Instagram", "Link Facebook", "Link Twitter", "Link Tiktok", "Link Youtube"}

// Row is one report line; empty links are "".
type Row struct {
	Date, PangkatNama, NRP, Satfung               string
	Instagram, Facebook, Twitter, Tiktok, Youtube string
	Shortcode                                     string
}

// Write returns the workbook of rows (header only when there are none).
func Write(rows []Row) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, fmt.Errorf("link report workbook: %w", err)
	}
	if err := sw.SetRow("A1", Header); err != nil {
		return nil, fmt.Errorf("link report workbook: %w", err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{r.Date, r.PangkatNama, r.NRP, r.Satfung, r.Instagram, r.Facebook, r.Twitter, r.Tiktok, r.Youtube}); err != nil {
			return nil, fmt.Errorf("link report workbook: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, fmt.Errorf("link report workbook: %w", err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("link report workbook: %w", err)
	}
	return b.Bytes(), nil
}

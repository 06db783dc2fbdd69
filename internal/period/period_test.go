package period

import (
	"net/url"
	"testing"
	"time"

	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/jakarta"
)

func TestFromQuery(t *testing.T) {
	// 2026-11-20 is a Friday; 23:30 UTC on the 19th is already the 20th in
	// Jakarta.
	now := time.Date(2026, 11, 19, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		query    string
		want     Period
		wantErr  string
		contains []string
		outside  []string
	}{
		{query: "", want: Period{Name: Harian, From: "2026-11-20", To: "2026-11-20"}, contains: []string{"2026-11-20"}, outside: []string{"2026-11-19"}},
		{query: "periode=HARIAN&tanggal=2026-02-28", want: Period{Name: Harian, From: "2026-02-28", To: "2026-02-28"}},
		{query: "periode=harian&tanggal=2026-11-19T17:30:00Z", want: Period{Name: Harian, From: "2026-11-20", To: "2026-11-20"}},
		{query: "periode=mingguan", want: Period{Name: Mingguan, From: "2026-11-16", To: "2026-11-22"}},
		{query: "periode=mingguan&tanggal=2026-11-16", want: Period{Name: Mingguan, From: "2026-11-16", To: "2026-11-22"}},
		{query: "periode=mingguan&tanggal=2026-11-22", want: Period{Name: Mingguan, From: "2026-11-16", To: "2026-11-22"}},
		{query: "periode=bulanan", want: Period{Name: Bulanan, From: "2026-11-01", To: "2026-11-30"}},
		{query: "periode=bulanan&tanggal=2024-02", want: Period{Name: Bulanan, From: "2024-02-01", To: "2024-02-29"}},
		{query: "periode=bulanan&tanggal=2026-12-15", want: Period{Name: Bulanan, From: "2026-12-01", To: "2026-12-31"}},
		{query: "periode=semua", want: Period{Name: Semua, All: true}, contains: []string{"2000-01-01"}},
		{query: "start_date=2026-11-01&end_date=2026-11-03&periode=harian", want: Period{Name: Range, From: "2026-11-01", To: "2026-11-03"},
			contains: []string{"2026-11-01", "2026-11-03"}, outside: []string{"2026-10-31", "2026-11-04"}},
		{query: "tanggal_mulai=2026-11-01&tanggal_selesai=2026-11-01", want: Period{Name: Range, From: "2026-11-01", To: "2026-11-01"}},
		{query: "periode=tahunan", wantErr: MsgPeriode},
		{query: "tanggal=kemarin", wantErr: MsgTanggal},
		{query: "periode=bulanan&tanggal=2026-13", wantErr: MsgBulan},
		{query: "start_date=2026-11-01", wantErr: MsgRangePair},
		{query: "start_date=2026-11-01&end_date=besok", wantErr: MsgRangeDate},
		// Year 0 parses in Go but is no Postgres date.
		{query: "tanggal=0000-01-01", wantErr: MsgTanggal},
		{query: "periode=bulanan&tanggal=0000-05", wantErr: MsgBulan},
		{query: "start_date=0000-12-31T23:00:00%2B14:00&end_date=2026-01-01", wantErr: MsgRangeDate},
		{query: "start_date=2026-11-05&end_date=2026-11-01", wantErr: MsgRangeFlip},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			got, err := FromQuery(q, now)
			if tt.wantErr != "" {
				if apperr.CodeOf(err) != apperr.Invalid || apperr.MessageOf(err) != tt.wantErr {
					t.Fatalf("err = %v, want Invalid %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("= %+v, %v; want %+v", got, err, tt.want)
			}
			for _, d := range tt.contains {
				if !got.Contains(d) {
					t.Errorf("does not contain %s", d)
				}
			}
			for _, d := range tt.outside {
				if got.Contains(d) {
					t.Errorf("contains %s", d)
				}
			}
		})
	}
	if jakarta.Date(now) != "2026-11-20" {
		t.Fatal("test clock assumption broken")
	}
}

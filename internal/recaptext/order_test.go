package recaptext

import (
	"slices"
	"testing"
)

func TestJabatanRank(t *testing.T) {
	for _, c := range []struct {
		jabatan string
		want    int
	}{
		{"DIRBINMAS", 0}, {"WADIR BINMAS", 1}, {"wadirlantas", 1}, {"KASUBDIT BINPOLMAS", 2},
		{"KABAG OPS", 3}, {"KASUBBAG HUMAS", 4}, {"KASAT BINMAS", 5}, {"WAKASAT LANTAS", 5},
		{"KANIT BINMAS", 6}, {"BA SAT BINMAS", 7}, {"", 7},
	} {
		if got := JabatanRank(c.jabatan); got != c.want {
			t.Errorf("JabatanRank(%q) = %d, want %d", c.jabatan, got, c.want)
		}
	}
}

func TestPangkatAndSatkerRank(t *testing.T) {
	if PangkatRank(" kbp ") != 0 || PangkatRank("AKBP") != 2 || PangkatRank("PHL") != 33 ||
		PangkatRank("BRIGJEN") != 34 || PangkatRank("") != 34 {
		t.Error("pangkat ranks off")
	}
	if SatkerRank("polres lamongan") != 1 || SatkerRank("POLRES MADIUN KOTA") != 13 || SatkerRank("POLRES NGANJUK") != 14 {
		t.Error("satker ranks off")
	}
}

func TestDivisionOrder(t *testing.T) {
	got := []string{"-", "POLSEK BALEN", "SPKT", "SIUM", "SAT LANTAS", "bag ops", "BAG LOG", "SAT BINMAS", "SIKEU", "Humas"}
	slices.SortFunc(got, CompareDivisions)
	want := []string{"BAG LOG", "bag ops", "SAT BINMAS", "SAT LANTAS", "SIKEU", "SIUM", "SPKT", "POLSEK BALEN", "-", "Humas"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestComparePersons(t *testing.T) {
	people := []Person{
		{NRP: "9", Name: "zaki", Title: "BRIPDA"},
		{NRP: "8", Name: "Ani", Title: "BRIPDA", ClientName: "POLRES NGAWI"},
		{NRP: "7", Name: "Budi", Title: "BRIPDA", ClientName: "POLRES LAMONGAN"},
		{NRP: "6", Name: "Candra", Title: "AKBP"},
		{NRP: "5", Name: "Dodi", Title: "BRIPDA", Jabatan: "DIR"},
		{NRP: "4", Name: "Edi", Title: "AKP", Jabatan: "WADIR"},
		{NRP: "3", Name: "ani", Title: "BRIPDA", ClientName: "POLRES NGAWI"},
		{NRP: "2", Name: "Ani", Title: "BRIPDA", ClientName: "POLRES NGAWI"},
	}
	slices.SortFunc(people, ComparePersons)
	var got []string
	for _, p := range people {
		got = append(got, p.NRP)
	}
	// DIR, WADIR (jabatan), then AKBP (pangkat), then BRIPDA by satker
	// (LAMONGAN 1, NGAWI 4, others 14), then name, then NRP.
	want := []string{"5", "4", "6", "7", "2", "8", "3", "9"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestThresholds(t *testing.T) {
	p := func(count int, handle string, exempt bool) Person {
		return Person{Count: count, Handle: handle, Exception: exempt}
	}
	for _, c := range []struct {
		name          string
		p             Person
		total         int
		op, pct, ceil Status
		reached       bool
	}{
		{"all done", p(4, "h", false), 4, Lengkap, Lengkap, Lengkap, true},
		{"half", p(2, "h", false), 4, Kurang, Lengkap, Lengkap, true},
		{"under half of odd", p(2, "h", false), 5, Kurang, Kurang, Kurang, false},
		{"ceil half of odd", p(3, "h", false), 5, Kurang, Lengkap, Lengkap, true},
		{"under half", p(1, "h", false), 3, Kurang, Kurang, Kurang, false},
		{"none", p(0, "h", false), 3, Belum, Belum, Belum, false},
		{"no handle with count", p(3, "", false), 3, NoHandle, NoHandle, NoHandle, false},
		{"exempt", p(0, "h", true), 3, Lengkap, Lengkap, Lengkap, true},
		{"exempt without handle (SPEC.md §5.2: done)", p(0, "", true), 3, Lengkap, Lengkap, Lengkap, true},
		{"no posts", p(0, "h", false), 0, Belum, Belum, Belum, false},
	} {
		if got := ClassifyOperator(c.p, c.total); got != c.op {
			t.Errorf("%s: operator %v, want %v", c.name, got, c.op)
		}
		if got := ClassifyHalfPercent(c.p, c.total); got != c.pct {
			t.Errorf("%s: percent %v, want %v", c.name, got, c.pct)
		}
		if got := ClassifyHalfCeil(c.p, c.total); got != c.ceil {
			t.Errorf("%s: ceil %v, want %v", c.name, got, c.ceil)
		}
		if got := ReachedTarget(c.p, c.total); got != c.reached {
			t.Errorf("%s: reached %v, want %v", c.name, got, c.reached)
		}
	}
}

func TestTiktokUnitOrder(t *testing.T) {
	units := []*unitTally{
		{Client: Client{ID: "A", Name: "POLRES A"}, Total: 10, Lengkap: 9},
		{Client: Client{ID: "BIG1", Name: "POLRES BIG1"}, Total: 200, Lengkap: 50}, // 25%
		{Client: Client{ID: "BIG2", Name: "POLRES BIG2"}, Total: 100, Lengkap: 40}, // 40%
		{Client: Client{ID: "ditbinmas", Name: "DIREKTORAT BINMAS"}, Total: 1},
		{Client: Client{ID: "B", Name: "POLRES B"}, Total: 10, Kurang: 9},
		{Client: Client{ID: "C", Name: "POLRES C"}, Total: 5, Lengkap: 20},
	}
	slices.SortStableFunc(units, compareTiktokUnits)
	var got []string
	for _, u := range units {
		got = append(got, u.Client.ID)
	}
	want := []string{"ditbinmas", "BIG2", "BIG1", "C", "A", "B"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestStampAndNumbers(t *testing.T) {
	for _, c := range []struct {
		in   Stamp
		want Stamp
	}{
		{StampOf(atLate), Stamp{"Senin", "22/12/2025", "23.59.30"}},
		{StampOf(atEarly), Stamp{"Selasa", "23/12/2025", "00.01.00"}},
		{StampOf(atJan), Stamp{"Selasa", "6/1/2026", "09.05.03"}},
	} {
		if c.in != c.want {
			t.Errorf("stamp %+v, want %+v", c.in, c.want)
		}
	}
	for _, c := range [][3]any{{2, 7, "28,6"}, {1, 2, "50"}, {3, 3, "100"}, {1, 0, "0"}, {2, 3, "66,7"}, {1, 8, "12,5"}, {12345, 10, "123.450"}} {
		if got := formatPercent(c[0].(int), c[1].(int)); got != c[2] {
			t.Errorf("formatPercent(%v,%v) = %s, want %s", c[0], c[1], got, c[2])
		}
	}
	if formatInt(1234567) != "1.234.567" || formatInt(999) != "999" || formatInt(-1000) != "-1.000" {
		t.Error("formatInt off")
	}
}

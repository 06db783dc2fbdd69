package recaptext

import (
	"cmp"
	"slices"
	"strings"
)

// divisionPrefixes is the division order of spec/social.md §3.4: a
// division starting with an earlier prefix (case-insensitive) comes first;
// the rest follow; ties are alphabetical.
var divisionPrefixes = []string{"BAG", "SAT", "SI", "SPKT", "POLSEK"}

// DivisionRank is the index of the first prefix the division starts with,
// or len(prefixes) for any other division.
func DivisionRank(div string) int {
	u := strings.ToUpper(strings.TrimSpace(div))
	for i, p := range divisionPrefixes {
		if strings.HasPrefix(u, p) {
			return i
		}
	}
	return len(divisionPrefixes)
}

// CompareDivisions orders division names for the recaps.
func CompareDivisions(a, b string) int {
	if c := cmp.Compare(DivisionRank(a), DivisionRank(b)); c != 0 {
		return c
	}
	return compareFold(a, b)
}

// jabatanKeywords in rank order; matched by substring from the end of the
// list, so WADIR is found before DIR.
var jabatanKeywords = []string{"DIR", "WADIR", "KASUBDIT", "KABAG", "KASUBBAG", "KASAT", "KANIT"}

// JabatanRank is the rank of the last keyword of the list the jabatan
// contains (upper-cased), or len(keywords) when none.
func JabatanRank(jabatan string) int {
	u := strings.ToUpper(jabatan)
	for i := len(jabatanKeywords) - 1; i >= 0; i-- {
		if strings.Contains(u, jabatanKeywords[i]) {
			return i
		}
	}
	return len(jabatanKeywords)
}

var pangkatOrder = []string{"KBP", "KOMISARIS BESAR POLISI", "AKBP", "KOMPOL", "AKP", "IPTU", "IPDA",
	"AIPTU", "AIPDA", "BRIPKA", "BRIGADIR", "BRIGPOL", "BRIGADIR POLISI", "BRIPTU", "BRIPDA",
	"PEMBINA UTAMA", "PEMBINA UTAMA MADYA", "PEMBINA UTAMA MUDA", "PEMBINA TINGKAT I", "PEMBINA",
	"PENATA TINGKAT I", "PENATA MUDA TINGKAT I", "PENATA MUDA", "PENATA", "PENGATUR TINGKAT I",
	"PENGATUR", "PENGATUR MUDA TINGKAT I", "PENGATUR MUDA", "JURU TINGKAT I", "JURU MUDA TINGKAT I",
	"JURU MUDA", "JURU", "PPPK", "PHL"}

// PangkatRank is the index of the upper-cased, trimmed title in the
// pangkat list (exact match), or len(list) when unknown.
func PangkatRank(title string) int {
	if i := slices.Index(pangkatOrder, strings.ToUpper(strings.TrimSpace(title))); i >= 0 {
		return i
	}
	return len(pangkatOrder)
}

var satkerPriority = []string{"POLRES LAMONGAN", "POLRES BOJONEGORO", "POLRES PROBOLINGGO",
	"POLRES NGAWI", "POLRES MADIUN", "POLRES PACITAN", "POLRES BONDOWOSO", "POLRES SITUBONDO",
	"POLRES MOJOKERTO", "POLRES KEDIRI", "POLRES KEDIRI KOTA", "POLRESTA MALANG KOTA",
	"POLRES MADIUN KOTA"}

// SatkerRank is the priority of a client name (§3.5): its position in the
// list counted from 1, or 14 for any other name.
func SatkerRank(clientName string) int {
	if i := slices.Index(satkerPriority, strings.ToUpper(strings.TrimSpace(clientName))); i >= 0 {
		return i + 1
	}
	return len(satkerPriority) + 1
}

// ComparePersons orders people inside a list: jabatan keyword, pangkat,
// satker priority of their client's name, name (case-insensitive), NRP.
func ComparePersons(a, b Person) int {
	if c := cmp.Compare(JabatanRank(a.Jabatan), JabatanRank(b.Jabatan)); c != 0 {
		return c
	}
	if c := cmp.Compare(PangkatRank(a.Title), PangkatRank(b.Title)); c != 0 {
		return c
	}
	if c := cmp.Compare(SatkerRank(a.ClientName), SatkerRank(b.ClientName)); c != 0 {
		return c
	}
	if c := compareFold(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.NRP, b.NRP)
}

// compareFold compares case-insensitively, then exactly, so the order is
// total.
func compareFold(a, b string) int {
	if c := cmp.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// divisionOf is the grouping key: the division, or "-" when blank.
func divisionOf(p Person) string {
	if d := strings.TrimSpace(p.Division); d != "" {
		return d
	}
	return "-"
}

// divisionGroup is one division's people, sorted.
type divisionGroup struct {
	Name   string
	People []Person
}

// groupByDivision groups people by division in recap order, each list
// sorted with ComparePersons.
func groupByDivision(people []Person) []divisionGroup {
	by := map[string][]Person{}
	for _, p := range people {
		by[divisionOf(p)] = append(by[divisionOf(p)], p)
	}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	slices.SortFunc(names, CompareDivisions)
	out := make([]divisionGroup, 0, len(names))
	for _, n := range names {
		ps := by[n]
		slices.SortFunc(ps, ComparePersons)
		out = append(out, divisionGroup{Name: n, People: ps})
	}
	return out
}

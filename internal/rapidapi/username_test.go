package rapidapi_test

import (
	"testing"

	"github.com/cicero/cicero/internal/rapidapi"
)

func TestNormalizeUsername(t *testing.T) {
	tests := map[string]string{
		"":                "",
		"   ":             "",
		"@":               "",
		" @Budi.Santoso ": "budi.santoso",
		"@@budi":          "budi",
		"bu@di":           "budi", // every '@', as the SQL matching did
		"POLRES_X":        "polres_x",
	}
	for in, want := range tests {
		if got := rapidapi.NormalizeUsername(in); got != want {
			t.Errorf("NormalizeUsername(%q) = %q, want %q", in, got, want)
		}
	}
	got := rapidapi.NormalizeUsernames([]string{"@A", "a", "", " b ", "@", "B"})
	if len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("NormalizeUsernames = %q", got)
	}
}

package readapi

import "testing"

func TestFileToken(t *testing.T) {
	for in, want := range map[string]string{"POLRES_A-1": "POLRES_A-1", `A"; x=y`: "A___x_y", "Ünï\r\n": "_n___"} {
		if got := fileToken(in); got != want {
			t.Errorf("fileToken(%q) = %q, want %q", in, got, want)
		}
	}
}

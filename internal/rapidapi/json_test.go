package rapidapi_test

import (
	"encoding/json"
	"testing"

	"github.com/cicero/cicero/internal/rapidapi"
)

func TestJSONReaders(t *testing.T) {
	var v any
	if err := json.Unmarshal([]byte(`{"a":[{"b":"x"}],"n":"1.234 rb","e":""}`), &v); err != nil {
		t.Fatal(err)
	}
	if got := rapidapi.Str(rapidapi.At(v, "a", 0, "b")); got != "x" {
		t.Errorf("At = %q", got)
	}
	if rapidapi.At(v, "a", 1, "b") != nil || rapidapi.At(v, "a", "b") != nil {
		t.Error("At off the shape is not nil")
	}
	if n, ok := rapidapi.Digits(rapidapi.At(v, "n")); !ok || n != 1234 {
		t.Errorf("Digits = %d %v", n, ok)
	}
	if _, ok := rapidapi.Num(rapidapi.At(v, "n")); ok {
		t.Error("Num took a string")
	}
	if got := rapidapi.FirstString(rapidapi.At(v, "e"), rapidapi.At(v, "missing"), "z"); got != "z" {
		t.Errorf("FirstString = %q", got)
	}
	if got := rapidapi.Coalesce(nil, rapidapi.At(v, "e"), "z"); got != "" {
		t.Errorf("Coalesce = %v", got)
	}
}

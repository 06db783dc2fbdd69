package rapidapi

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// The RapidAPI answers change shape between versions and items (a caption
// is a string or an object, a count a number or a string, a list sits under
// one of several keys), so the adapters read decoded JSON (any) with these
// helpers instead of fixed structs. Numbers are json.Number (Caller decodes
// with UseNumber).

// At walks v by object keys (string) and array indexes (int). It returns
// nil as soon as a step is missing or of the wrong kind.
func At(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k < 0 || k >= len(a) {
				return nil
			}
			v = a[k]
		default:
			return nil
		}
	}
	return v
}

// Obj returns v as an object, nil when it is not one.
func Obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

// Arr returns v as an array, nil when it is not one.
func Arr(v any) []any { a, _ := v.([]any); return a }

// Str returns a string as is and a number as its text (ids arrive as
// either); anything else gives "".
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// Num returns a JSON number as int64 (fractions dropped). Strings are not
// numbers here: the Instagram counts are "number else 0".
func Num(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, true
		}
		if f, err := x.Float64(); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return int64(f), true
		}
	case float64:
		return int64(x), true
	}
	return 0, false
}

// Digits is Num that also takes a string, keeping only its digits
// ("1.234" → 1234, "12 rb" → 12), as the TikTok counts are read. A string
// without digits is no number.
func Digits(v any) (int64, bool) {
	if n, ok := Num(v); ok {
		return n, true
	}
	s, ok := v.(string)
	if !ok {
		return 0, false
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	n, err := strconv.ParseInt(b.String(), 10, 64)
	return n, err == nil
}

// Bool is true only for JSON true.
func Bool(v any) bool { b, _ := v.(bool); return b }

// Coalesce returns the first value that is present (not nil): JS `??`.
func Coalesce(vs ...any) any {
	for _, v := range vs {
		if v != nil {
			return v
		}
	}
	return nil
}

// FirstString returns the first non-empty string among vs: JS `||` over
// strings.
func FirstString(vs ...any) string {
	for _, v := range vs {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// Raw re-encodes v, for keeping an item as the API sent it.
func Raw(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

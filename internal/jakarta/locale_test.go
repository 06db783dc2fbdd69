package jakarta

import (
	"testing"
	"time"
)

// The expected strings are what Node (full ICU) prints for the same
// instants with the legacy calls.
func TestLocaleFormats(t *testing.T) {
	for _, c := range []struct {
		at           time.Time
		locale, long string
	}{
		{time.Date(2026, 12, 3, 2, 5, 7, 0, time.UTC), "3/12/2026, 09.05.07", "3 Desember 2026 pukul 09.05"},
		{time.Date(2025, 8, 31, 17, 30, 0, 0, time.UTC), "1/9/2025, 00.30.00", "1 September 2025 pukul 00.30"},
	} {
		if got := LocaleString(c.at); got != c.locale {
			t.Errorf("LocaleString(%s) = %q, want %q", c.at, got, c.locale)
		}
		if got := LongDateTime(c.at); got != c.long {
			t.Errorf("LongDateTime(%s) = %q, want %q", c.at, got, c.long)
		}
	}
}

package premium

import "testing"

// The expected strings are what the legacy formatCurrencyId printed
// (Node: "Rp " + Intl.NumberFormat("id-ID").format(Number(v))).
func TestRupiah(t *testing.T) {
	for in, want := range map[string]string{
		"150000": "Rp 150.000", "150000.5": "Rp 150.000,5", "1234567.891": "Rp 1.234.567,891",
		"1000.1234": "Rp 1.000,123", "0": "Rp 0", "-2500.75": "Rp -2.500,75", "999.9995": "Rp 1.000",
		"": "-", "lima ribu": "lima ribu",
	} {
		if got := rupiah(in); got != want {
			t.Errorf("rupiah(%q) = %q, want %q", in, got, want)
		}
	}
}

package whatsapp

import (
	"strings"
	"testing"
)

func TestDevicesValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		d    Devices
		err  string
	}{
		{"legacy defaults", Devices{Main: "wa-admin", User: "wa-userrequest", Gateway: "wa-gateway"}, ""},
		{"user equals gateway", Devices{Main: "wa-admin", User: "wa-gateway", Gateway: "wa-gateway"}, "share the device id"},
		{"same but for case", Devices{Main: "WA-Admin", User: "wa-admin", Gateway: "wa-gateway"}, "share the device id"},
		{"empty main", Devices{Main: " ", User: "u", Gateway: "g"}, "session wa has no device id"},
	} {
		err := c.d.Validate()
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: Validate() = %v, want %q", c.name, err, c.err)
		}
		if _, merr := NewManager(Options{Devices: c.d}); (merr == nil) != (c.err == "") {
			t.Errorf("%s: NewManager error %v", c.name, merr)
		}
	}
}

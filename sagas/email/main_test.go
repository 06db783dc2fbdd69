package email_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test stops its SMTP server and every send closes its connection.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow"
)

func TestClassify(t *testing.T) {
	const user = "6281234567890"
	for _, c := range []struct {
		name      string
		err       error
		permanent bool
	}{
		{"our refusal", permanent(ErrNotOnWhatsApp), true},
		{"not connected", whatsmeow.ErrNotConnected, false},
		{"not logged in", whatsmeow.ErrNotLoggedIn, false},
		{"send timed out", whatsmeow.ErrMessageTimedOut, false},
		{"iq timed out", whatsmeow.ErrIQTimedOut, false},
		{"cancelled", context.Canceled, false},
		{"deadline", fmt.Errorf("send: %w", context.DeadlineExceeded), false},
		{"unknown server", whatsmeow.ErrUnknownServer, true},
		{"device jid", whatsmeow.ErrRecipientADJID, true},
		{"broadcast list", whatsmeow.ErrBroadcastListUnsupported, true},
		{"iq bad request", fmt.Errorf("get devices: %w", whatsmeow.ErrIQBadRequest), true},
		{"iq not found", whatsmeow.ErrIQNotFound, true},
		{"iq not authorized is the session", whatsmeow.ErrIQNotAuthorized, false},
		{"iq rate limit", whatsmeow.ErrIQRateOverLimit, false},
		{"iq 500", whatsmeow.ErrIQInternalServerError, false},
		{"server 406", fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 406), true},
		{"server 429", fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 429), false},
		{"server 503", fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 503), false},
		{"legacy invalid parameter", errors.New("Evaluation failed: Invalid parameter"), true},
		{"legacy invalid recipient", errors.New("invalid recipient " + user), true},
		{"legacy not a valid", errors.New("wid is not a valid user"), true},
		{"legacy bad request", errors.New("Bad Request"), true},
		{"legacy no id", errors.New("sendMessage returned no id"), true},
		{"other", errors.New("failed to get device list for " + user + "@s.whatsapp.net: connection reset"), false},
	} {
		got := Classify(c.err, user)
		if errors.Is(got, ErrPermanent) != c.permanent {
			t.Errorf("%s: permanent = %v, want %v (%v)", c.name, !c.permanent, c.permanent, got)
		}
		if strings.Contains(got.Error(), user) {
			t.Errorf("%s: error quotes the recipient: %v", c.name, got)
		}
		if !errors.Is(got, c.err) {
			t.Errorf("%s: classified error lost its cause", c.name)
		}
	}
	if Classify(nil, user) != nil {
		t.Error("Classify(nil) is not nil")
	}
}

package wasession_test

import (
	"context"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/wasession"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// TestSessionHistory: a pairing is recorded once per JID, a logout only
// of a paired session, re-pairing after a logout again; bad input is
// refused with nothing appended.
func TestSessionHistory(t *testing.T) {
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	h := wasession.NewHandlers(commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t)))
	ctx := context.Background()
	at := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	paired := func(jid string) int {
		t.Helper()
		o, err := h.RecordPaired(ctx, commands.Meta{}, wasession.RecordPaired{Paired: events.WhatsAppSessionPaired{
			Session: "wa", ClientID: "wa-admin", JID: jid, PairedAt: at}})
		if err != nil {
			t.Fatal(err)
		}
		return len(o.Appended)
	}
	loggedOut := func() int {
		t.Helper()
		o, err := h.RecordLoggedOut(ctx, commands.Meta{}, wasession.RecordLoggedOut{LoggedOut: events.WhatsAppSessionLoggedOut{
			Session: "wa", Reason: "logged out", LoggedOutAt: at}})
		if err != nil {
			t.Fatal(err)
		}
		return len(o.Appended)
	}
	steps := []struct {
		name string
		do   func() int
		want int
	}{
		{"logout of an unpaired session", loggedOut, 0},
		{"pairing", func() int { return paired("628111:1@s.whatsapp.net") }, 1},
		{"same pairing again", func() int { return paired("628111:1@s.whatsapp.net") }, 0},
		{"another device", func() int { return paired("628111:2@s.whatsapp.net") }, 1},
		{"logout", loggedOut, 1},
		{"logout again", loggedOut, 0},
		{"paired again", func() int { return paired("628111:2@s.whatsapp.net") }, 1},
	}
	for _, s := range steps {
		if got := s.do(); got != s.want {
			t.Fatalf("%s: appended %d, want %d", s.name, got, s.want)
		}
	}
	envs, _, err := n.Store.Load(ctx, events.WhatsAppSessionSubject("wa"))
	if err != nil || len(envs) != 4 {
		t.Fatalf("history %d events, %v", len(envs), err)
	}
	last, err := n.Store.Registry().Decode(&envs[2])
	if o, ok := last.(*events.WhatsAppSessionLoggedOut); err != nil || !ok || o.JID != "628111:2@s.whatsapp.net" {
		t.Fatalf("logout names %+v (%v), want the paired JID", last, err)
	}
	for name, cmd := range map[string]wasession.RecordPaired{
		"unknown session": {Paired: events.WhatsAppSessionPaired{Session: "wa-admin", JID: "628111:1@s.whatsapp.net"}},
		"no jid":          {Paired: events.WhatsAppSessionPaired{Session: "wa-user", JID: " "}},
	} {
		if _, err := h.RecordPaired(ctx, commands.Meta{}, cmd); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: %v, want Invalid", name, err)
		}
		if envs, _, err := n.Store.Load(ctx, events.WhatsAppSessionSubject(cmd.Paired.Session)); err != nil || len(envs) != 0 {
			t.Errorf("%s: appended %d events (%v)", name, len(envs), err)
		}
	}
}

package linkreport_test

import (
	"context"
	"testing"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/testkit"
)

// An old report is recorded as history whatever the live rules say (its
// post is ten days old; a khusus post of another day), with its own time;
// a person or post unknown here is NotFound; a report with any history
// (imported, or withdrawn here since) is left as it is.
func TestImportReport(t *testing.T) {
	ctx := context.Background()
	n := testkit.StartNATS(t, testkit.FastSync())
	pool, _ := testkit.NewDatabase(t)
	rt := commands.NewRuntime(n.Store, commands.NewPGCommandLog(pool), testkit.Logger(t))
	m := commands.Meta{Actor: "test"}
	if _, err := client.NewHandlers(rt).RegisterClient(ctx, m, client.RegisterClient{ClientID: "POLRESA", Nama: "POLRESA"}); err != nil {
		t.Fatal(err)
	}
	if _, err := person.NewHandlers(rt).RegisterPerson(ctx, m, person.RegisterPerson{NRP: "75020001", Nama: "BUDI", Title: "AIPDA", ClientID: "POLRESA"}); err != nil {
		t.Fatal(err)
	}
	old := now.Add(-10 * 24 * time.Hour)
	if _, err := post.NewHandlers(rt, nil).IngestPost(ctx, m, post.IngestPost{Platform: "instagram", PostID: "OLDPOST1",
		ClientID: "POLRESA", Account: "a", PublishedAt: old}); err != nil {
		t.Fatal(err)
	}
	h := linkreport.NewHandlers(rt)
	links := events.Links{Instagram: " https://instagram.com/p/X1 ", Facebook: "https://fb.com/1"}
	for _, kind := range []string{"regular", "khusus"} {
		o, err := h.ImportReport(ctx, m, linkreport.ImportReport{Kind: kind, Shortcode: "OLDPOST1", UserID: "75020001", Links: links, SubmittedAt: old.Add(time.Hour)})
		if err != nil || len(o.Appended) != 1 {
			t.Fatalf("%s: %+v %v", kind, o, err)
		}
		envs, _, _ := n.Store.Load(ctx, events.LinkReportSubject(kind, "OLDPOST1", "75020001"))
		p, _ := n.Store.Registry().Decode(&envs[0])
		sub := p.(*events.LinkReportSubmitted)
		if !sub.SubmittedAt.Equal(old.Add(time.Hour)) || !sub.PostPublishedAt.Equal(old) || sub.ClientID != "POLRESA" ||
			sub.Links.Instagram != "https://instagram.com/p/X1" || sub.Nama != "BUDI" || sub.WhatsApp != "" {
			t.Fatalf("%s: %+v", kind, sub)
		}
	}
	for _, c := range []struct {
		code, nrp, field string
	}{{"OLDPOST1", "99999999", "user_id"}, {"NOPOST", "75020001", "shortcode"}} {
		_, err := h.ImportReport(ctx, m, linkreport.ImportReport{Shortcode: c.code, UserID: c.nrp, Links: links})
		if ae, ok := err.(*apperr.Error); !ok || ae.Code != apperr.NotFound || ae.Field != c.field {
			t.Errorf("%s/%s: %v, want NotFound on %s", c.code, c.nrp, err, c.field)
		}
	}
	// Again with other content (another command id): nothing; withdrawn
	// here: still nothing (the import does not bring it back).
	if o, err := h.ImportReport(ctx, m, linkreport.ImportReport{Shortcode: "OLDPOST1", UserID: "75020001", Links: events.Links{Twitter: "https://x.com/1"}}); err != nil || len(o.Appended) != 0 {
		t.Fatalf("second import: %+v %v", o, err)
	}
	if _, err := h.Delete(ctx, m, linkreport.Delete{Shortcode: "OLDPOST1", UserID: "75020001"}); err != nil {
		t.Fatal(err)
	}
	if o, err := h.ImportReport(ctx, m, linkreport.ImportReport{Shortcode: "OLDPOST1", UserID: "75020001", Links: links}); err != nil || len(o.Appended) != 0 {
		t.Fatalf("import after a withdrawal: %+v %v", o, err)
	}
}

package importv2_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	postcmd "github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"

	"github.com/cicero/cicero/internal/importv2"
	"github.com/cicero/cicero/internal/importv2/v2fixture"
)

// runAndDiff runs the import once more after stmts changed the old
// database and returns the events it appended (as history lines).
func runAndDiff(t *testing.T, tg target, oldURL string, stmts ...string) ([]string, *importv2.Report) {
	t.Helper()
	before := history(t, tg.store)
	if len(stmts) > 0 {
		if err := v2fixture.Exec(context.Background(), oldURL, stmts...); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := run(t, context.Background(), tg, oldURL, importv2.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A multiset difference: an event equal to an earlier one (a change
	// back) is new too.
	seen := map[string]int{}
	for _, e := range before {
		seen[e]++
	}
	var added []string
	for _, e := range history(t, tg.store) {
		if seen[e] > 0 {
			seen[e]--
			continue
		}
		added = append(added, e)
	}
	return added, rep
}

func hasEvent(added []string, prefix string) bool {
	return slices.ContainsFunc(added, func(e string) bool { return strings.HasPrefix(e, prefix) })
}

func printed(rep *importv2.Report) string {
	var b strings.Builder
	rep.Print(&b)
	return b.String()
}

// A value that changes in the old system and then changes back is
// followed both ways: the command that set it the first time must not
// answer the change back from the command log (or from the history).
func TestImportFollowsChangesBack(t *testing.T) {
	oldURL := oldDB(t)
	tg := newTarget(t)
	runAndDiff(t, tg, oldURL)
	added, _ := runAndDiff(t, tg, oldURL,
		`UPDATE "user" SET status = true WHERE user_id = '75020003'`,
		`UPDATE "user" SET exception = false, whatsapp = '081234567899' WHERE user_id = '75020002'`,
		`UPDATE clients SET client_status = false WHERE client_id = 'POLRES_B'`,
		`DELETE FROM user_roles WHERE user_id = '75020004' AND role_id = (SELECT role_id FROM roles WHERE role_name = 'ditbinmas')`,
		`INSERT INTO dashboard_user_clients VALUES ('`+v2fixture.OperatorID+`', 'POLRES_B')`)
	for _, want := range []string{"directory.person.75020003 PersonReactivated", "directory.person.75020002 PersonExceptionChanged",
		"directory.person.75020002 PersonUpdated", "directory.client.POLRES_B ClientDeactivated",
		"directory.person.75020004 PersonRoleRevoked", "access.dashuser." + v2fixture.OperatorID + " DashboardUserClientsAssigned"} {
		if !hasEvent(added, want) {
			t.Errorf("the change was not imported: %s; appended:\n%s", want, strings.Join(added, "\n"))
		}
	}
	added, _ = runAndDiff(t, tg, oldURL,
		`UPDATE "user" SET status = false WHERE user_id = '75020003'`,
		`UPDATE "user" SET exception = true, whatsapp = '' WHERE user_id = '75020002'`,
		`UPDATE clients SET client_status = true WHERE client_id = 'POLRES_B'`,
		`INSERT INTO user_roles SELECT '75020004', role_id FROM roles WHERE role_name = 'ditbinmas'`,
		`DELETE FROM dashboard_user_clients WHERE dashboard_user_id = '`+v2fixture.OperatorID+`' AND client_id = 'POLRES_B'`)
	for _, want := range []string{"directory.person.75020003 PersonDeactivated", "directory.person.75020002 PersonExceptionChanged",
		"directory.person.75020002 PersonUpdated", "directory.client.POLRES_B ClientActivated",
		"directory.person.75020004 PersonRoleGranted", "access.dashuser." + v2fixture.OperatorID + " DashboardUserClientsAssigned"} {
		if !hasEvent(added, want) {
			t.Errorf("the change back was not imported: %s; appended:\n%s", want, strings.Join(added, "\n"))
		}
	}
	if added, rep := runAndDiff(t, tg, oldURL); len(added) != 0 || rep.Events() != 0 {
		t.Errorf("a run without changes appended:\n%s", strings.Join(added, "\n"))
	}
}

// An account approved in the old system and then refused there (status
// false) is refused here too.
func TestImportFollowsWithdrawnApproval(t *testing.T) {
	oldURL := oldDB(t)
	tg := newTarget(t)
	runAndDiff(t, tg, oldURL)
	added, _ := runAndDiff(t, tg, oldURL, `UPDATE dashboard_user SET status = false WHERE dashboard_user_id = '`+v2fixture.OperatorID+`'`)
	if !hasEvent(added, "access.dashuser."+v2fixture.OperatorID+" DashboardUserRejected") {
		t.Errorf("the withdrawn approval was not imported; appended:\n%s", strings.Join(added, "\n"))
	}
	added, _ = runAndDiff(t, tg, oldURL, `UPDATE dashboard_user SET status = true WHERE dashboard_user_id = '`+v2fixture.OperatorID+`'`)
	if !hasEvent(added, "access.dashuser."+v2fixture.OperatorID+" DashboardUserApproved") {
		t.Errorf("the approval given again was not imported; appended:\n%s", strings.Join(added, "\n"))
	}
}

// A row that waited for another (a subscription of an account skipped
// for its hash, a request of a person skipped as an orphan) is imported
// once that other row is fixed in the old system: its earlier skip is
// not remembered as its answer.
func TestImportTakesDependentsOnceFixed(t *testing.T) {
	oldURL := oldDB(t)
	tg := newTarget(t)
	runAndDiff(t, tg, oldURL,
		`INSERT INTO dashboard_user_subscriptions (subscription_id, dashboard_user_id, tier, status, started_at, expires_at) VALUES
			('5b000000-0000-4000-8000-000000000009', '`+v2fixture.BadHashID+`', 'tier1', 'active', '2026-01-01 00:00:00+07', '2099-01-01 00:00:00+07')`,
		`INSERT INTO premium_request (user_id, sender_name, account_number, bank_name, status, created_at) VALUES
			('75020007', 'YATIM', '112233', 'BNI', 'pending', now() - interval '1 hour')`)
	hash, _ := bcrypt.GenerateFromPassword([]byte("sandi-baru-1"), 4)
	added, _ := runAndDiff(t, tg, oldURL,
		`UPDATE dashboard_user SET password_hash = '`+string(hash)+`' WHERE dashboard_user_id = '`+v2fixture.BadHashID+`'`,
		`INSERT INTO clients (client_id, nama) VALUES ('POLRES_X', 'POLRES X')`)
	for _, want := range []string{"access.dashuser." + v2fixture.BadHashID + " DashboardUserRegistered",
		"premium." + v2fixture.BadHashID + " PremiumGranted", "directory.person.75020007 PersonRegistered",
		" PersonnelPremiumRequested"} {
		if !hasEvent(added, want) && !slices.ContainsFunc(added, func(e string) bool { return strings.Contains(e, want) }) {
			t.Errorf("not imported once fixed: %s; appended:\n%s", want, strings.Join(added, "\n"))
		}
	}
}

// Client ids are one id in any case: a second row whose id differs only
// in case is skipped and reported, not merged over the first.
func TestImportDuplicateClientIDs(t *testing.T) {
	oldURL := oldDB(t)
	tg := newTarget(t)
	added, rep := runAndDiff(t, tg, oldURL, `INSERT INTO clients (client_id, nama, client_insta) VALUES ('Polres_B ', 'NAMA LAIN', 'lain')`)
	if hasEvent(added, "directory.client.POLRES_B ClientUpdated") {
		t.Errorf("the duplicate client row was merged over the first:\n%s", strings.Join(added, "\n"))
	}
	if out := printed(rep); !strings.Contains(out, "duplicate client_id") {
		t.Errorf("the duplicate client row is not reported:\n%s", out)
	}
	if added, _ := runAndDiff(t, tg, oldURL); len(added) != 0 {
		t.Errorf("a rerun appended:\n%s", strings.Join(added, "\n"))
	}
}

// A handle held by an inactive and an active person stays with the
// active one (attendance counts active people); a handle the command
// would refuse is left out and reported, the person imported.
func TestImportHandleRules(t *testing.T) {
	oldURL := oldDB(t)
	tg := newTarget(t)
	added, rep := runAndDiff(t, tg, oldURL,
		`INSERT INTO "user" (user_id, nama, insta, tiktok, client_id, status) VALUES
			('75020000', 'Joko Lama', 'JOKO', '', 'POLRES_B', false),
			('75020009', 'Tanda', 'budi santoso!', 'cicero_devs', 'POLRES_B', true)`)
	joko := slices.IndexFunc(added, func(e string) bool { return strings.HasPrefix(e, "directory.person.75020008 PersonRegistered") })
	if joko < 0 || !strings.Contains(added[joko], `"insta":"joko"`) {
		t.Errorf("the active person lost the shared handle:\n%s", strings.Join(added, "\n"))
	}
	tanda := slices.IndexFunc(added, func(e string) bool { return strings.HasPrefix(e, "directory.person.75020009 PersonRegistered") })
	if tanda < 0 {
		t.Errorf("a person with unusable handles was not imported:\n%s", printed(rep))
	}
	if out := printed(rep); !strings.Contains(out, "left out of user: 2 × ") && !strings.Contains(out, "instagram username not valid") {
		t.Errorf("the unusable handles are not reported:\n%s", out)
	}
	// Later the handle turns unusable in the old system: reported, and
	// the person's other changes still land.
	added, rep = runAndDiff(t, tg, oldURL, `UPDATE "user" SET insta = 'budi santoso!', jabatan = 'kanit' WHERE user_id = '75020001'`)
	if !hasEvent(added, "directory.person.75020001 PersonUpdated") {
		t.Errorf("the other change was not imported:\n%s", strings.Join(added, "\n"))
	}
	if out := printed(rep); !strings.Contains(out, "75020001") {
		t.Errorf("the refused handle is not reported:\n%s", out)
	}
}

// A subscription whose start lies ahead is not granted again on every
// run (from a "now" that moves): it waits for a run after it starts.
func TestImportFutureSubscriptionOnce(t *testing.T) {
	oldURL := oldDB(t)
	tg := newTarget(t)
	added, rep := runAndDiff(t, tg, oldURL, `INSERT INTO dashboard_user_subscriptions (subscription_id, dashboard_user_id, tier, status, started_at, expires_at) VALUES
		('5b000000-0000-4000-8000-000000000008', '`+v2fixture.OperatorID+`', 'tier2', 'active', now() + interval '1 day', '2099-06-01 00:00:00+07')`)
	// The first run imports the account's current subscription and
	// reports the later one as waiting, granting no tier2.
	if !hasEvent(added, "premium."+v2fixture.OperatorID+" PremiumGranted") ||
		slices.ContainsFunc(added, func(e string) bool { return strings.Contains(e, `PremiumGranted`) && strings.Contains(e, `"tier2"`) }) {
		t.Errorf("the first run appended:\n%s", strings.Join(added, "\n"))
	}
	if out := printed(rep); !strings.Contains(out, "subscription starts later") || !strings.Contains(out, "5b000000-0000-4000-8000-000000000008") {
		t.Errorf("the waiting subscription is not reported:\n%s", out)
	}
	if added, _ := runAndDiff(t, tg, oldURL); len(added) != 0 {
		t.Errorf("a rerun appended:\n%s", strings.Join(added, "\n"))
	}
}

// A change a rerun brings is dated by the old row's updated_at, not by
// the person's registration years before.
func TestImportDatesChangesByUpdatedAt(t *testing.T) {
	oldURL := oldDB(t)
	tg := newTarget(t)
	runAndDiff(t, tg, oldURL)
	runAndDiff(t, tg, oldURL, `UPDATE "user" SET jabatan = 'kanit', updated_at = '2026-11-25 10:00:00+07' WHERE user_id = '75020002'`)
	want := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	found := false
	if err := tg.store.ReadStream(context.Background(), "DIRECTORY", 1, "directory.person.75020002", func(e events.Envelope) error {
		if e.Type == (events.PersonUpdated{}).EventType() {
			found = true
			if !e.Meta.OccurredAt.Equal(want) {
				t.Errorf("PersonUpdated occurred at %v, want %v", e.Meta.OccurredAt, want)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatal("the change was not imported")
	}
}

// A dashboard account follows the old row on a rerun where that row
// moved since the import (a password changed in the old dashboard during
// the cut-over logs in here), and only there: a password changed here
// while the old row stays as imported is not put back.
func TestImportFollowsAccountChanges(t *testing.T) {
	ctx := context.Background()
	oldURL := oldDB(t)
	tg := newTarget(t)
	runAndDiff(t, tg, oldURL)
	dash := dashuser.NewHandlers(tg.rt, dashuser.WithHashCost(4))
	account := func() dashuser.User {
		t.Helper()
		u, err := dash.Get(ctx, v2fixture.OperatorID)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}

	// Changed here: a rerun over the unchanged old row keeps it.
	if _, err := dash.ChangePassword(ctx, commands.Meta{CommandID: uuid.NewString(), Actor: "dashuser:" + v2fixture.OperatorID},
		dashuser.ChangePassword{DashboardUserID: v2fixture.OperatorID, OldPassword: v2fixture.OperatorPassword, NewPassword: "sandi-di-cicero"}); err != nil {
		t.Fatal(err)
	}
	if added, _ := runAndDiff(t, tg, oldURL); len(added) != 0 {
		t.Errorf("a rerun over an unchanged account appended:\n%s", strings.Join(added, "\n"))
	}
	if u := account(); !dashuser.VerifyPassword(u, "sandi-di-cicero") {
		t.Error("the rerun put the imported password back over the one changed here")
	}

	// Changed there: the new hash, role and number follow, dated by updated_at.
	hash, _ := bcrypt.GenerateFromPassword([]byte("sandi-baru-lama"), 4)
	added, _ := runAndDiff(t, tg, oldURL, `UPDATE dashboard_user SET password_hash = '`+string(hash)+`', whatsapp = '081299990000',
		role_id = (SELECT role_id FROM roles WHERE role_name = 'ditbinmas'), updated_at = '2026-11-20 10:00:00'
		WHERE dashboard_user_id = '`+v2fixture.OperatorID+`'`)
	subject := "access.dashuser." + v2fixture.OperatorID
	for _, want := range []string{subject + " DashboardPasswordChanged", subject + " DashboardUserDetailsChanged"} {
		if !hasEvent(added, want) {
			t.Errorf("not followed: %s; appended:\n%s", want, strings.Join(added, "\n"))
		}
	}
	u := account()
	if !dashuser.VerifyPassword(u, "sandi-baru-lama") || u.WhatsApp != "6281299990000" || u.Role != "ditbinmas" {
		t.Errorf("account after the rerun: role %q, whatsapp %q, new password accepted %v", u.Role, u.WhatsApp,
			dashuser.VerifyPassword(u, "sandi-baru-lama"))
	}
	want := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	if err := tg.store.ReadStream(ctx, "ACCESS", 1, subject, func(e events.Envelope) error {
		if e.Type == (events.DashboardUserDetailsChanged{}).EventType() && !e.Meta.OccurredAt.Equal(want) {
			t.Errorf("%s occurred at %v, want %v (updated_at, Jakarta)", e.Type, e.Meta.OccurredAt, want)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// Changed back there: followed too; then a rerun appends nothing.
	added, _ = runAndDiff(t, tg, oldURL, `UPDATE dashboard_user SET whatsapp = '081200000001' WHERE dashboard_user_id = '`+v2fixture.OperatorID+`'`)
	if !hasEvent(added, subject+" DashboardUserDetailsChanged") || hasEvent(added, subject+" DashboardPasswordChanged") {
		t.Errorf("the number changed back: appended\n%s", strings.Join(added, "\n"))
	}
	if u := account(); u.WhatsApp != "6281200000001" || u.Role != "ditbinmas" {
		t.Errorf("after the change back: whatsapp %q, role %q", u.WhatsApp, u.Role)
	}
	if added, rep := runAndDiff(t, tg, oldURL); len(added) != 0 || rep.Events() != 0 {
		t.Errorf("a run without changes appended:\n%s", strings.Join(added, "\n"))
	}
}

// A post's role tags follow the old rows where they moved since the
// import (added, removed, given back), and a tag an editor set here on a
// role the old rows left alone stays.
func TestImportFollowsPostTags(t *testing.T) {
	ctx := context.Background()
	oldURL := oldDB(t)
	tg := newTarget(t)
	runAndDiff(t, tg, oldURL)
	posts := postcmd.NewHandlers(tg.rt, time.Now)
	if _, err := posts.TagPostForRole(ctx, commands.Meta{CommandID: uuid.NewString(), Actor: "dashboard:editor"},
		postcmd.TagPostForRole{Platform: events.PlatformInstagram, PostID: "IGLATE", Role: "ditlantas", By: "dashboard:editor"}); err != nil {
		t.Fatal(err)
	}
	if added, _ := runAndDiff(t, tg, oldURL); len(added) != 0 {
		t.Errorf("a rerun over unchanged tags appended:\n%s", strings.Join(added, "\n"))
	}
	subject := events.PostSubject(events.PlatformInstagram, "IGLATE")
	added, _ := runAndDiff(t, tg, oldURL, `DELETE FROM insta_post_roles WHERE shortcode = 'IGLATE' AND role_name = 'ditbinmas'`,
		`INSERT INTO insta_post_roles VALUES ('IGLATE', 'BIDHUMAS')`)
	if len(added) != 2 || !hasEvent(added, subject+` PostUntaggedForRole {"platform":"instagram","post_id":"IGLATE","role":"ditbinmas"`) ||
		!hasEvent(added, subject+` PostTaggedForRole {"platform":"instagram","post_id":"IGLATE","role":"bidhumas"`) {
		t.Errorf("tags changed there: appended\n%s", strings.Join(added, "\n"))
	}
	added, _ = runAndDiff(t, tg, oldURL, `INSERT INTO insta_post_roles VALUES ('IGLATE', 'ditbinmas')`)
	if len(added) != 1 || !hasEvent(added, subject+` PostTaggedForRole {"platform":"instagram","post_id":"IGLATE","role":"ditbinmas"`) {
		t.Errorf("tag given back there: appended\n%s", strings.Join(added, "\n"))
	}
	var roles []string
	if err := tg.store.ReadStream(ctx, "SOCIAL", 1, subject, func(e events.Envelope) error {
		p, err := tg.store.Registry().Decode(&e)
		if err != nil {
			return err
		}
		switch ev := p.(type) {
		case *events.PostTaggedForRole:
			roles = append(roles, ev.Role)
		case *events.PostUntaggedForRole:
			roles = slices.DeleteFunc(roles, func(r string) bool { return r == ev.Role })
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(roles)
	if want := []string{"bidhumas", "ditbinmas", "ditlantas"}; !slices.Equal(roles, want) {
		t.Errorf("tags %v, want %v (the editor's ditlantas kept)", roles, want)
	}
	if added, rep := runAndDiff(t, tg, oldURL); len(added) != 0 || rep.Events() != 0 {
		t.Errorf("a run without changes appended:\n%s", strings.Join(added, "\n"))
	}
}

package main

import (
	"strconv"

	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/commands/person"
	postagg "github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/projections"
	auditidx "github.com/cicero/cicero/projections/audit"
	"github.com/cicero/cicero/readapi/audit"
)

// auditContext is the auditor's tools: the index over every stream
// (projection "audit") and the /api/audit routes (admins only). It owns no
// events; it reads everyone's.
func auditContext() boundedContext {
	return boundedContext{
		name:       "audit",
		readModels: func(*events.Registry) []projections.Projection { return []projections.Projection{auditidx.Index{}} },
		mount: func(w *wiring, api *auth.Router) error {
			audit.Mount(api, newAuditService(w), w.log)
			return nil
		},
	}
}

// auditKinds are the aggregates an auditor can name, each folded with its
// own decide-state code (commands/<aggregate>), so "the state as of" is
// the state a decision then would have seen.
func auditKinds() []audit.Kind {
	return []audit.Kind{
		{Name: "person", Prefix: events.PersonSubjectPrefix,
			Fold: audit.FoldWith(func(id string) person.Person { return person.Person{NRP: id} })},
		{Name: "client", Prefix: events.ClientSubjectPrefix,
			Fold: audit.FoldWith(func(id string) client.Client { return client.Client{ID: id} })},
		{Name: "dashuser", Prefix: events.DashboardUserSubjectPrefix,
			Fold: audit.FoldWith(func(id string) dashuser.User { return dashuser.User{ID: id} })},
		{Name: "premium", Prefix: events.PremiumSubjectPrefix,
			Fold: audit.FoldWith(func(id string) premium.Premium { return premium.Premium{DashboardUserID: id} })},
		{Name: "editorial-event", Prefix: events.EditorialEventSubjectPrefix,
			Fold: audit.FoldWith(func(id string) editorial.Event {
				n, _ := strconv.ParseInt(id, 10, 64) // the subject's id is the event's number
				return editorial.Event{ID: n}
			})},
		{Name: "ig-post", Prefix: "social.ig.post",
			Fold: audit.FoldWith(func(id string) postagg.Post { return postagg.New(events.PlatformInstagram, id) })},
		{Name: "tt-post", Prefix: "social.tt.post",
			Fold: audit.FoldWith(func(id string) postagg.Post { return postagg.New(events.PlatformTiktok, id) })},
	}
}

// newAuditService builds the audit service over the wiring's store and pool.
func newAuditService(w *wiring) *audit.Service {
	return &audit.Service{Store: w.store, Pool: w.pool, Kinds: auditKinds(), Person: auditPerson}
}

// auditPerson folds a person with the aggregate's code and keeps what
// attendance depends on.
func auditPerson(nrp string, evs []events.Payload) audit.Person {
	p := person.Person{NRP: nrp}
	for _, ev := range evs {
		p.Apply(ev)
	}
	return audit.Person{ClientID: p.ClientID, Insta: p.Insta, Tiktok: p.Tiktok, Exception: p.Exception}
}

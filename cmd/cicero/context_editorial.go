package main

import (
	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/commands/penmasuser"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/access"
	editorialview "github.com/cicero/cicero/projections/editorial"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/sagas"
	editorialsaga "github.com/cicero/cicero/sagas/editorial"
	"github.com/cicero/cicero/writeapi"
)

// editorialContext is EDITORIAL: the Penmas editorial workflow (spec/ops.md
// §1, SPEC.md §5.13) — events with their state machine, press-release
// details, approval requests and change logs — and the WhatsApp notice of
// an editor's decision. The admin's Penmas account route (role, WhatsApp)
// is mounted here too: it exists for this workflow, though the accounts
// are ACCESS's.
func editorialContext() boundedContext {
	return boundedContext{
		name: "editorial",
		readModels: func(reg *events.Registry) []projections.Projection {
			return []projections.Projection{editorialview.New(reg)}
		},
		sagas: func(*wiring) ([]sagas.Saga, error) {
			return []sagas.Saga{editorialsaga.Notice()}, nil
		},
		mount: func(w *wiring, api *auth.Router) error {
			q := editorialview.NewQueries(w.pool)
			users := access.NewPenmasUserQueries(w.pool)
			readapi.MountEditorial(api, readapi.EditorialReadDeps{Editorial: q, Users: users, Logger: w.log})
			writeapi.MountEditorialCommands(api, writeapi.EditorialCommandDeps{Editorial: editorial.NewHandlers(w.runtime, nil),
				Read: q, WaitFor: w.waiter(editorialview.Name), Logger: w.log})
			writeapi.MountPenmasUserCommands(api, writeapi.PenmasUserCommandDeps{Users: penmasuser.NewHandlers(w.runtime),
				Read: users, WaitFor: w.waiter(access.PenmasUsersName), Logger: w.log})
			return nil
		},
		unconsumed: map[string]string{
			events.EditorialIDAssigned{}.EventType(): "an id counter: only the editorial commands decide on it",
		},
	}
}

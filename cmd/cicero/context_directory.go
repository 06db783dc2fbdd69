package main

import (
	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/writeapi"
)

// directoryContext is DIRECTORY: clients and personnel (SPEC.md §2).
func directoryContext() boundedContext {
	return boundedContext{
		name: "directory",
		readModels: func(reg *events.Registry) []projections.Projection {
			return []projections.Projection{directory.New(reg)}
		},
		mount: func(w *wiring, api *auth.Router) error {
			dir := directory.NewQueries(w.pool)
			wait := w.waiter(directory.Name)
			readapi.MountUsers(api, readapi.UsersDeps{Directory: dir, Logger: w.log})
			readapi.MountClients(api, readapi.ClientsDeps{Directory: dir, Logger: w.log})
			writeapi.MountUserCommands(api, writeapi.UserCommandsDeps{Directory: dir, People: person.NewHandlers(w.runtime),
				WaitForDirectory: wait, Logger: w.log})
			writeapi.MountClientCommands(api, writeapi.ClientCommandsDeps{Directory: dir, Clients: client.NewHandlers(w.runtime),
				WaitForDirectory: wait, Logger: w.log})
			return nil
		},
	}
}

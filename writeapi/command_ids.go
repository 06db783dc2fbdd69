package writeapi

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/middleware"
)

// commandSpace names the command ids derived from Idempotency-Keys.
var commandSpace = uuid.MustParse("5b0c8f7e-2a41-4c9d-8e63-1f7d2b9a4c10")

// commandIDs names, in order, the commands one request issues (counted
// across the whole request, however many generators it makes). With an
// Idempotency-Key (scoped to the caller by middleware.Idempotency) the ids
// derive from the key, so a retry of the request issues the same commands
// and the runtime answers each with its first outcome — from its command
// log, or from the history when the log row was lost — appending nothing
// twice. Without a key every id is fresh, as before.
func commandIDs(r *http.Request) func() string {
	return func() string {
		if k, keyed := middleware.NextCommandKey(r.Context()); keyed {
			return uuid.NewSHA1(commandSpace, []byte(k)).String()
		}
		return uuid.Must(uuid.NewV7()).String()
	}
}

// writeMeta is the metadata of a request that issues one command: its id
// (see commandIDs), correlated to itself, with the caller as actor.
func writeMeta(r *http.Request, p *auth.Principal) commands.Meta {
	id := commandIDs(r)()
	return commands.Meta{CommandID: id, CorrelationID: id, Actor: p.Actor()}
}

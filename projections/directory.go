package projections

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
)

// DirectoryName is the directory projection's name (checkpoints, lock, CLI).
const DirectoryName = "directory"

// Directory is the read model of clients and personnel (tables clients and
// personnel) built from every event of the DIRECTORY stream. Rows carry
// version = the stream sequence of the last event applied to them and
// created_at/updated_at from the events' business time.
//
// Apply is set-based: it loads the rows a batch touches with one query per
// table (skipping keys the batch itself defines from scratch), folds the
// events in memory and writes back with one multi-row upsert per table plus
// one delete for NRPs renumbered away.
//
// It keeps the rows it committed in memory (see Retainer), so a running
// projection, and above all a catch-up, loads a row from Postgres only the
// first time a batch touches it.
type Directory struct {
	reg *events.Registry
	// copyMin is the number of rows from which personnel are written with
	// COPY (see copyPersonnel).
	copyMin int

	mu      sync.Mutex
	clients rowCache[clientRow]
	people  rowCache[personRow]
}

var _ Projection = (*Directory)(nil)

// NewDirectory builds the projection; reg decodes event bodies.
func NewDirectory(reg *events.Registry) *Directory {
	return &Directory{reg: reg, copyMin: 500, clients: newRowCache[clientRow](), people: newRowCache[personRow]()}
}

var _ Retainer = (*Directory)(nil)

// Committed implements Retainer.
func (d *Directory) Committed() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.clients.commit()
	d.people.commit()
}

// Forget implements Retainer.
func (d *Directory) Forget() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.clients.forget()
	d.people.forget()
}

// Name implements Projection.
func (*Directory) Name() string { return DirectoryName }

// Streams implements Projection.
func (*Directory) Streams() []string { return []string{"DIRECTORY"} }

// Tables implements Projection.
func (*Directory) Tables() []string { return []string{"clients", "personnel"} }

// decoded is one event with its payload.
type decoded struct {
	env *events.Envelope
	p   events.Payload
}

// Apply implements Projection.
func (d *Directory) Apply(ctx context.Context, tx pgx.Tx, t Tables, batch []events.Envelope) error {
	evs, err := decodeAll(d.reg, batch)
	if err != nil {
		return err
	}
	clients := newRowSet[clientRow]()
	people := newRowSetSized[personRow](len(evs))
	for _, e := range evs {
		planDirectory(e.p, clients, people)
	}
	clientMiss, peopleMiss := d.fromCache(t, clients, people)
	if err := loadClients(ctx, tx, t["clients"], clientMiss, clients); err != nil {
		return err
	}
	if err := loadPersonnel(ctx, tx, t["personnel"], peopleMiss, people); err != nil {
		return err
	}

	for _, e := range evs {
		at := e.env.Meta.OccurredAt
		if at.IsZero() {
			at = e.env.RecordedAt
		}
		foldDirectory(e.p, int64(e.env.Position), at, clients, people)
	}
	if err := writeClients(ctx, tx, t["clients"], clients); err != nil {
		return err
	}
	if err := writePersonnel(ctx, tx, t["personnel"], people, d.copyMin); err != nil {
		return err
	}
	d.mu.Lock()
	d.clients.stage(t["clients"], clients.order, clients.rows)
	d.people.stage(t["personnel"], people.order, people.rows)
	d.mu.Unlock()
	return nil
}

// fromCache fills the row sets from memory and returns the keys it has to
// load from the tables.
func (d *Directory) fromCache(t Tables, clients *rowSet[clientRow], people *rowSet[personRow]) (clientMiss, peopleMiss []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.clients.lookup(t["clients"], clients.toLoad(), clients.rows),
		d.people.lookup(t["personnel"], people.toLoad(), people.rows)
}

// decodeAll unmarshals every event body, spread over the CPUs for large
// batches: JSON decoding is most of the Go-side cost of a catch-up.
func decodeAll(reg *events.Registry, batch []events.Envelope) ([]decoded, error) {
	out := make([]decoded, len(batch))
	workers := min(runtime.GOMAXPROCS(0), len(batch)/256+1)
	chunk := (len(batch) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(batch))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				p, err := reg.Decode(&batch[i])
				if err != nil {
					errs[w] = fmt.Errorf("directory: %w", err)
					return
				}
				out[i] = decoded{env: &batch[i], p: p}
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// rowSet is the in-memory state of the rows one batch touches. A key maps
// to nil when the row does not exist (never did, or was renumbered away).
type rowSet[R any] struct {
	rows  map[string]*R
	order []string        // touched keys, first touch first
	fresh map[string]bool // first touch defines the row whole: no load needed
}

func newRowSet[R any]() *rowSet[R] { return newRowSetSized[R](0) }

// newRowSetSized is newRowSet with room for size keys.
func newRowSetSized[R any](size int) *rowSet[R] {
	return &rowSet[R]{rows: make(map[string]*R, size), fresh: make(map[string]bool, size), order: make([]string, 0, size)}
}

func (s *rowSet[R]) touch(key string, defines bool) {
	if _, seen := s.fresh[key]; seen {
		return
	}
	s.fresh[key] = defines
	s.order = append(s.order, key)
}

// toLoad lists the keys whose current row the fold needs.
func (s *rowSet[R]) toLoad() []string {
	var out []string
	for _, k := range s.order {
		if !s.fresh[k] {
			out = append(out, k)
		}
	}
	return out
}

func planDirectory(p events.Payload, clients *rowSet[clientRow], people *rowSet[personRow]) {
	switch e := p.(type) {
	case *events.ClientRegistered:
		clients.touch(e.ClientID, true)
	case *events.ClientUpdated:
		clients.touch(e.ClientID, false)
	case *events.ClientActivated:
		clients.touch(e.ClientID, false)
	case *events.ClientDeactivated:
		clients.touch(e.ClientID, false)
	case *events.PersonRegistered:
		people.touch(e.NRP, true)
	case *events.PersonRenumbered:
		// The new row keeps the old one's created_at, so both are loaded.
		people.touch(e.OldNRP, false)
		people.touch(e.NewNRP, false)
	default:
		if nrp := personKey(p); nrp != "" {
			people.touch(nrp, false)
		}
	}
}

// personKey is the NRP of the person events that change one existing row.
func personKey(p events.Payload) string {
	switch e := p.(type) {
	case *events.PersonUpdated:
		return e.NRP
	case *events.PersonHandleChanged:
		return e.NRP
	case *events.PersonRoleGranted:
		return e.NRP
	case *events.PersonRoleRevoked:
		return e.NRP
	case *events.PersonDeactivated:
		return e.NRP
	case *events.PersonReactivated:
		return e.NRP
	case *events.PersonExceptionChanged:
		return e.NRP
	case *events.PersonWhatsAppOptInChanged:
		return e.NRP
	}
	return ""
}

func foldDirectory(p events.Payload, seq int64, at time.Time, clients *rowSet[clientRow], people *rowSet[personRow]) {
	switch e := p.(type) {
	case *events.ClientRegistered:
		clients.rows[e.ClientID] = newClientRow(e, seq, at)
	case *events.ClientUpdated, *events.ClientActivated, *events.ClientDeactivated:
		foldClient(p, seq, at, clients)
	case *events.PersonRegistered:
		people.rows[e.NRP] = newPersonRow(e, seq, at)
	case *events.PersonRenumbered:
		created := at
		if old := people.rows[e.OldNRP]; old != nil {
			created = old.CreatedAt
		} else if cur := people.rows[e.NewNRP]; cur != nil {
			// The second copy (on the new NRP's subject) of the same renumbering.
			created = cur.CreatedAt
		}
		people.rows[e.OldNRP] = nil
		row := newPersonRow(&e.Person.PersonRegistered, seq, at)
		row.UserID, row.Status, row.CreatedAt = e.NewNRP, e.Person.Active, created
		people.rows[e.NewNRP] = row
	default:
		foldPerson(p, seq, at, people)
	}
}

func foldClient(p events.Payload, seq int64, at time.Time, clients *rowSet[clientRow]) {
	var id string
	switch e := p.(type) {
	case *events.ClientUpdated:
		id = e.ClientID
	case *events.ClientActivated:
		id = e.ClientID
	case *events.ClientDeactivated:
		id = e.ClientID
	}
	c := clients.rows[id]
	if c == nil {
		return // no such client: nothing to change (the command side refuses these)
	}
	switch e := p.(type) {
	case *events.ClientUpdated:
		c.update(e.Changes)
	case *events.ClientActivated:
		c.Status = true
	case *events.ClientDeactivated:
		c.Status = false
	}
	c.Version, c.UpdatedAt = seq, at
}

func foldPerson(p events.Payload, seq int64, at time.Time, people *rowSet[personRow]) {
	r := people.rows[personKey(p)]
	if r == nil {
		return
	}
	switch e := p.(type) {
	case *events.PersonUpdated:
		r.update(e.Changes)
	case *events.PersonHandleChanged:
		switch e.Platform {
		case events.PlatformInstagram:
			r.Insta = e.Handle
		case events.PlatformTiktok:
			r.Tiktok = e.Handle
		}
	case *events.PersonRoleGranted:
		r.Roles = grantRole(r.Roles, e.Role)
	case *events.PersonRoleRevoked:
		r.Roles = revokeRole(r.Roles, e.Role)
	case *events.PersonDeactivated:
		r.Status = false
	case *events.PersonReactivated:
		r.Status = true
	case *events.PersonExceptionChanged:
		r.Exception = e.Exception
	case *events.PersonWhatsAppOptInChanged:
		r.OptIn = e.OptIn
	}
	r.Version, r.UpdatedAt = seq, at
}

// Roles are kept lower-case, once each, in the order granted.
func normRole(role string) string { return strings.ToLower(strings.TrimSpace(role)) }

func grantRole(roles []string, role string) []string {
	role = normRole(role)
	if role == "" {
		return roles
	}
	for _, r := range roles {
		if r == role {
			return roles
		}
	}
	return append(roles, role)
}

func revokeRole(roles []string, role string) []string {
	role = normRole(role)
	out := roles[:0:0]
	for _, r := range roles {
		if r != role {
			out = append(out, r)
		}
	}
	return out
}

func normRoles(in []string) []string {
	out := []string{}
	for _, r := range in {
		out = grantRole(out, r)
	}
	return out
}

// handleNorm is the matching form of a handle (lower-case, no '@').
func handleNorm(h string) string { return normalize.Handle(h) }

package directory

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
	"github.com/cicero/cicero/projections"
)

// Name is the directory projection's name (checkpoints, lock, CLI).
const Name = "directory"

// ReadModel is the read model of clients and personnel (tables clients and
// personnel) built from every event of the DIRECTORY stream. Rows carry
// version = the stream sequence of the last event applied to them and
// created_at/updated_at from the events' business time.
//
// Apply is set-based: it loads the rows a batch touches with one query per
// table (skipping keys the batch itself defines from scratch), folds the
// events in memory and writes back with one multi-row upsert per table plus
// one delete for NRPs renumbered away.
//
// It keeps the rows it committed in memory (see projections.Retainer), so a running
// projection, and above all a catch-up, loads a row from Postgres only the
// first time a batch touches it.
type ReadModel struct {
	reg *events.Registry
	// copyMin is the number of rows from which personnel are written with
	// COPY (see copyPersonnel).
	copyMin int

	mu      sync.Mutex
	clients rowCache[clientRow]
	people  rowCache[personRow]
}

var _ projections.Projection = (*ReadModel)(nil)

// New builds the projection; reg decodes event bodies.
func New(reg *events.Registry) *ReadModel {
	return &ReadModel{reg: reg, copyMin: 500, clients: newRowCache[clientRow](), people: newRowCache[personRow]()}
}

var _ projections.Retainer = (*ReadModel)(nil)

// Committed implements projections.Retainer.
func (d *ReadModel) Committed() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.clients.commit()
	d.people.commit()
}

// Forget implements projections.Retainer.
func (d *ReadModel) Forget() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.clients.forget()
	d.people.forget()
}

// Name implements Projection.
func (*ReadModel) Name() string { return Name }

// Streams implements Projection.
func (*ReadModel) Streams() []string { return []string{"DIRECTORY"} }

// projections.Tables implements Projection.
func (*ReadModel) Tables() []string { return []string{"clients", "personnel"} }

// EventTypes implements projections.Projection.
func (*ReadModel) EventTypes() []string {
	return events.Types(
		events.ClientRegistered{},
		events.ClientUpdated{},
		events.ClientActivated{},
		events.ClientDeactivated{},
		events.PersonRegistered{},
		events.PersonUpdated{},
		events.PersonHandleChanged{},
		events.PersonRoleGranted{},
		events.PersonRoleRevoked{},
		events.PersonDeactivated{},
		events.PersonReactivated{},
		events.PersonExceptionChanged{},
		events.PersonWhatsAppOptInChanged{},
		events.PersonRenumbered{},
	)
}

// decoded is one event with its payload.
type decoded struct {
	env *events.Envelope
	p   events.Payload
}

// Apply implements Projection.
func (d *ReadModel) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	evs, err := decodeAll(d.reg, batch)
	if err != nil {
		return err
	}
	clients := projections.NewRowSet[clientRow](0)
	people := projections.NewRowSet[personRow](len(evs))
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
	d.clients.stage(t["clients"], clients.Order, clients.Rows)
	d.people.stage(t["personnel"], people.Order, people.Rows)
	d.mu.Unlock()
	return nil
}

// fromCache fills the row sets from memory and returns the keys it has to
// load from the tables.
func (d *ReadModel) fromCache(t projections.Tables, clients *projections.RowSet[clientRow], people *projections.RowSet[personRow]) (clientMiss, peopleMiss []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.clients.lookup(t["clients"], clients.ToLoad(), clients.Rows),
		d.people.lookup(t["personnel"], people.ToLoad(), people.Rows)
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

func planDirectory(p events.Payload, clients *projections.RowSet[clientRow], people *projections.RowSet[personRow]) {
	switch e := p.(type) {
	case *events.ClientRegistered:
		clients.Touch(e.ClientID, true)
	case *events.ClientUpdated:
		clients.Touch(e.ClientID, false)
	case *events.ClientActivated:
		clients.Touch(e.ClientID, false)
	case *events.ClientDeactivated:
		clients.Touch(e.ClientID, false)
	case *events.PersonRegistered:
		people.Touch(e.NRP, true)
	case *events.PersonRenumbered:
		// The new row keeps the old one's created_at, so both are loaded.
		people.Touch(e.OldNRP, false)
		people.Touch(e.NewNRP, false)
	default:
		if nrp := personKey(p); nrp != "" {
			people.Touch(nrp, false)
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

func foldDirectory(p events.Payload, seq int64, at time.Time, clients *projections.RowSet[clientRow], people *projections.RowSet[personRow]) {
	switch e := p.(type) {
	case *events.ClientRegistered:
		clients.Rows[e.ClientID] = newClientRow(e, seq, at)
	case *events.ClientUpdated, *events.ClientActivated, *events.ClientDeactivated:
		foldClient(p, seq, at, clients)
	case *events.PersonRegistered:
		people.Rows[e.NRP] = newPersonRow(e, seq, at)
	case *events.PersonRenumbered:
		created := at
		if old := people.Rows[e.OldNRP]; old != nil {
			created = old.CreatedAt
		} else if cur := people.Rows[e.NewNRP]; cur != nil {
			// The second copy (on the new NRP's subject) of the same renumbering.
			created = cur.CreatedAt
		}
		people.Rows[e.OldNRP] = nil
		row := newPersonRow(&e.Person.PersonRegistered, seq, at)
		row.UserID, row.Status, row.CreatedAt = e.NewNRP, e.Person.Active, created
		people.Rows[e.NewNRP] = row
	default:
		foldPerson(p, seq, at, people)
	}
}

func foldClient(p events.Payload, seq int64, at time.Time, clients *projections.RowSet[clientRow]) {
	var id string
	switch e := p.(type) {
	case *events.ClientUpdated:
		id = e.ClientID
	case *events.ClientActivated:
		id = e.ClientID
	case *events.ClientDeactivated:
		id = e.ClientID
	}
	c := clients.Rows[id]
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

func foldPerson(p events.Payload, seq int64, at time.Time, people *projections.RowSet[personRow]) {
	r := people.Rows[personKey(p)]
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

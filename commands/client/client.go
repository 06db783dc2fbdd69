// Package client is the client aggregate of the DIRECTORY context: a Polres,
// a directorate or another unit that owns personnel and social accounts.
// Subject directory.client.<CLIENT_ID>. Its commands (one file each) decide
// from the client's own events only; handlers.go lists them.
package client

import (
	"context"
	"fmt"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// Client types. Legacy code recognises org and direktorat; its migrations
// also wrote polda and satker, which behave as org in every membership
// query, so they are accepted to keep imported data. Blank means org.
const (
	TypeOrg        = "org"
	TypeDirektorat = "direktorat"
	TypePolda      = "polda"
	TypeSatker     = "satker"
)

var clientTypes = map[string]bool{TypeOrg: true, TypeDirektorat: true, TypePolda: true, TypeSatker: true}

// Client is the state of one client, folded from its events.
type Client struct {
	ID         string
	Registered bool
	Active     bool

	Nama           string
	ClientType     string
	ClientInsta    string
	ClientTiktok   string
	InstaStatus    bool
	TiktokStatus   bool
	AmplifyStatus  bool
	ClientOperator string
	ClientGroup    string
	RegionalID     string
	ParentClientID string
	ClientLevel    string
	TiktokSecUID   string
	ClientSuper    string
}

// Apply folds one event into the state.
func (c *Client) Apply(p events.Payload) {
	switch e := p.(type) {
	case *events.ClientRegistered:
		*c = Client{ID: e.ClientID, Registered: true, Active: true, Nama: e.Nama, ClientType: e.ClientType,
			ClientInsta: e.ClientInsta, ClientTiktok: e.ClientTiktok, InstaStatus: e.InstaStatus,
			TiktokStatus: e.TiktokStatus, AmplifyStatus: e.AmplifyStatus, ClientOperator: e.ClientOperator,
			ClientGroup: e.ClientGroup, RegionalID: e.RegionalID, ParentClientID: e.ParentClientID,
			ClientLevel: e.ClientLevel, TiktokSecUID: e.TiktokSecUID, ClientSuper: e.ClientSuper}
	case *events.ClientUpdated:
		c.applyChanges(e.Changes)
	case *events.ClientActivated:
		c.Active = true
	case *events.ClientDeactivated:
		c.Active = false
	}
}

func (c *Client) applyChanges(f events.ClientFields) {
	setS := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	setB := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	setS(&c.Nama, f.Nama)
	setS(&c.ClientType, f.ClientType)
	setS(&c.ClientInsta, f.ClientInsta)
	setS(&c.ClientTiktok, f.ClientTiktok)
	setB(&c.InstaStatus, f.InstaStatus)
	setB(&c.TiktokStatus, f.TiktokStatus)
	setB(&c.AmplifyStatus, f.AmplifyStatus)
	setS(&c.ClientOperator, f.ClientOperator)
	setS(&c.ClientGroup, f.ClientGroup)
	setS(&c.RegionalID, f.RegionalID)
	setS(&c.ParentClientID, f.ParentClientID)
	setS(&c.ClientLevel, f.ClientLevel)
	setS(&c.TiktokSecUID, f.TiktokSecUID)
	setS(&c.ClientSuper, f.ClientSuper)
}

// Load reads and folds the client with the (normalised) id through the
// command's loader and returns it with its version. Other aggregates' commands
// use it to check that a client exists.
func Load(ctx context.Context, l *commands.Loader, id string) (Client, uint64, error) {
	envs, v, err := l.Load(ctx, events.ClientSubject(id))
	if err != nil {
		return Client{}, 0, fmt.Errorf("load client: %w", err)
	}
	c := Client{ID: id}
	for i := range envs {
		p, err := l.Registry().Decode(&envs[i])
		if err != nil {
			return Client{}, 0, fmt.Errorf("load client: %w", err)
		}
		c.Apply(p)
	}
	return c, v, nil
}

// mustExist refuses commands on a client that was never registered.
func (c Client) mustExist() error {
	if !c.Registered {
		return &apperr.Error{Code: apperr.NotFound, Field: "client_id", Message: msgClientNotFound}
	}
	return nil
}

// commit wraps events for the client's own subject at version v.
func (c Client) commit(v uint64, evs ...events.Payload) []events.Commit {
	return []events.Commit{{Subject: events.ClientSubject(c.ID), AggregateID: c.ID, Expected: v, Events: evs}}
}

package events_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
)

func TestSmokeAppendLoad(t *testing.T) {
	n := testkit.StartNATS(t)
	ctx := context.Background()
	subj := events.PersonSubject("75020001")
	a, err := n.Store.Append(ctx, events.Meta{Actor: "test"}, events.Commit{Subject: subj, AggregateID: "75020001", Expected: 0,
		Events: []events.Payload{events.PersonRegistered{NRP: "75020001", Nama: "BUDI"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = n.Store.Append(ctx, events.Meta{}, events.Commit{Subject: subj, Expected: 0, Events: []events.Payload{events.PersonDeactivated{NRP: "75020001"}}})
	if !errors.Is(err, events.ErrConflict) {
		t.Fatalf("want conflict, got %v", err)
	}
	_, err = n.Store.Append(ctx, events.Meta{}, events.Commit{Subject: subj, Expected: a.Sequence, Events: []events.Payload{events.PersonDeactivated{NRP: "75020001"}, events.PersonReactivated{NRP: "75020001"}}})
	if err != nil {
		t.Fatal(err)
	}
	envs, v, err := n.Store.Load(ctx, subj)
	if err != nil {
		t.Fatal(err)
	}
	if len(envs) != 3 || v != 2 {
		t.Fatalf("got %d events version %d", len(envs), v)
	}
	res, err := n.Store.AppendAtomic(ctx, events.Meta{}, []events.Commit{
		{Subject: subj, Expected: 2, Events: []events.Payload{events.PersonRenumbered{OldNRP: "75020001", NewNRP: "9"}}},
		{Subject: events.PersonSubject("9"), Expected: 0, Events: []events.Payload{events.PersonRenumbered{OldNRP: "75020001", NewNRP: "9"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	_, err = n.Store.AppendAtomic(ctx, events.Meta{}, []events.Commit{
		{Subject: subj, Expected: 3, Events: []events.Payload{events.PersonRenumbered{OldNRP: "75020001", NewNRP: "9"}}},
		{Subject: events.PersonSubject("9"), Expected: 0, Events: []events.Payload{events.PersonRenumbered{OldNRP: "75020001", NewNRP: "9"}}},
	})
	if !errors.Is(err, events.ErrConflict) {
		t.Fatalf("want conflict, got %v", err)
	}
	var seen int
	if err := n.Store.ReadStream(ctx, "DIRECTORY", 1, "", func(e events.Envelope) error { seen++; return nil }); err != nil {
		t.Fatal(err)
	}
	if seen != 5 {
		t.Fatalf("read %d", seen)
	}
}

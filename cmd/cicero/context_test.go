package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/testkit"
)

// TestEveryEventHasAConsumer holds the registry against the wiring: every
// event type is consumed by a read model or a saga, or its context says why
// nothing consumes it. A new event type without either fails here instead
// of silently never reaching a read model; a declared type the registry
// does not know (a typo, a removed event) fails too.
func TestEveryEventHasAConsumer(t *testing.T) {
	reg := events.NewRegistry()
	w := &wiring{cfg: testEnv(t), log: testkit.Logger(t)}
	consumers, err := consumersOf(w, reg)
	if err != nil {
		t.Fatal(err)
	}
	known := reg.Types()
	unconsumed := map[string]string{}
	for _, c := range boundedContexts() {
		for typ, why := range c.unconsumed {
			if why == "" {
				t.Errorf("%s: %s is listed as unconsumed without a reason", c.name, typ)
			}
			unconsumed[typ] = c.name
		}
	}
	for _, typ := range known {
		_, none := unconsumed[typ]
		switch {
		case len(consumers[typ]) == 0 && !none:
			t.Errorf("event %s has no consumer and no reason for none: add it to a read model's or saga's EventTypes, or to its context's unconsumed", typ)
		case len(consumers[typ]) > 0 && none:
			t.Errorf("event %s is consumed by %v but %s still lists it as unconsumed", typ, consumers[typ], unconsumed[typ])
		}
	}
	for typ, by := range consumers {
		if !slices.Contains(known, typ) {
			t.Errorf("%v consume %s, which the registry does not know", by, typ)
		}
	}
	for typ, ctx := range unconsumed {
		if !slices.Contains(known, typ) {
			t.Errorf("%s lists unknown event %s as unconsumed", ctx, typ)
		}
	}
}

// TestContextNamesAreUnique: one name per context.
func TestContextNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range boundedContexts() {
		if c.name == "" || seen[c.name] {
			t.Errorf("context name %q empty or repeated", c.name)
		}
		seen[c.name] = true
	}
}

// TestSagasStayInsideOutboxRetention: a saga that could reach events older
// than the outbox keeps finished rows would send again what retention
// pruned; wiring refuses it.
func TestSagasStayInsideOutboxRetention(t *testing.T) {
	w := &wiring{cfg: testEnv(t), log: testkit.Logger(t)}
	ss, err := allSagas(w)
	if err != nil || len(ss) == 0 {
		t.Fatalf("sagas with the default retention: %d, %v", len(ss), err)
	}
	w.cfg.OutboxRetention = time.Minute
	if _, err := allSagas(w); err == nil || !strings.Contains(err.Error(), "OUTBOX_RETENTION") {
		t.Fatalf("a saga reaching past the retention was accepted: %v", err)
	}
}

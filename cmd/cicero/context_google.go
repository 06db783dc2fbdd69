package main

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/api/people/v1"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/google"
	"github.com/cicero/cicero/internal/google/contacts"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/googlecontact"
	"github.com/cicero/cicero/sagas/jobs"
)

// googleContext is what Cicero does with Google (spec/access.md
// §6.10–6.11): bound WhatsApp numbers saved as contacts (a saga and the
// google-contact sender, only when contact credentials are configured, so
// no row waits for a sender that does not exist) and the daily database
// backup to Drive (always listed; a logged no-op without credentials).
func googleContext() boundedContext {
	return boundedContext{
		name: "google",
		sagas: func(w *wiring) ([]sagas.Saga, error) {
			if !w.cfg.Google.ContactsConfigured() {
				return nil, nil
			}
			return []sagas.Saga{googlecontact.Saga()}, nil
		},
		jobs: func(w *wiring) ([]schedule.Job, error) {
			return []schedule.Job{jobs.NewDBBackup(w.cfg.Google, w.cfg.DatabaseURL, w.log).Job()}, nil
		},
	}
}

// addGoogleSenders adds the google-contact sender to w.senders when contact
// saving is configured.
func addGoogleSenders(w *wiring) error {
	opts, err := w.cfg.Google.PeopleOptions()
	if errors.Is(err, google.ErrNotConfigured) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("google contacts: %w", err)
	}
	svc, err := people.NewService(context.Background(), opts...)
	if err != nil {
		return fmt.Errorf("google contacts: people client: %w", err)
	}
	w.contacts = contacts.New(svc, w.pool, contacts.Options{CacheTTL: w.cfg.Google.ContactCacheTTL(),
		Cooldown: w.cfg.Google.ContactCooldown(), Log: w.log})
	w.senders[sagas.ChannelGoogleContact] = googlecontact.NewSender(w.contacts, directory.NewQueries(w.pool).ContactName)
	return nil
}

// saveAllContacts is the admin's `savecontact` (spec/ops.md §3): every
// active, opted-in member of personnel with a number becomes a Google
// contact. The numbers go through the outbox (MessageQueued on the
// google-contact channel, named when sent, so the sender's saver with its
// cache and cooldown does the work) and the reply "✅ Kontak tersimpan ke
// Google: <n>" counts the rows sent. key names the request. Without contact
// credentials it answers google.ErrNotConfigured.
func saveAllContacts(ctx context.Context, w *wiring, meta commands.Meta, key string) (googlecontact.BulkResult, error) {
	if w.contacts == nil {
		return googlecontact.BulkResult{}, google.ErrNotConfigured
	}
	nums, err := directory.NewQueries(w.pool).ContactNumbers(ctx)
	if err != nil {
		return googlecontact.BulkResult{}, err
	}
	phones := make([]string, len(nums))
	for i, n := range nums {
		phones[i] = n.Phone
	}
	queue := func(ctx context.Context, meta commands.Meta, key string, numbers []string) (string, error) {
		o, err := outgoing.NewHandlers(w.runtime).Queue(ctx, meta, outgoing.Queue{Message: events.MessageQueued{
			Key: key, Kind: "savecontact", Channel: sagas.ChannelGoogleContact, Recipients: numbers}})
		if err != nil {
			return "", err
		}
		if len(o.Appended) > 0 && len(o.Appended[0].EventIDs) > 0 {
			return o.Appended[0].EventIDs[0], nil
		}
		// Queued before (its command log row may be gone): the history has it.
		envs, _, err := w.store.Load(ctx, events.QueuedSubject(key))
		if err != nil {
			return "", fmt.Errorf("load %s: %w", key, err)
		}
		if len(envs) == 0 {
			return "", fmt.Errorf("queued %s: no event", key)
		}
		return envs[0].ID, nil
	}
	return googlecontact.Bulk{Queue: queue, Await: w.deliveries}.SaveAll(ctx, meta, key, phones)
}

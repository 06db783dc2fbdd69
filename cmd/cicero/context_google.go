package main

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/api/people/v1"

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
// contact, through the sender's saver (so its cache and cooldown apply).
// The reply "✅ Kontak tersimpan ke Google: <n>" counts Saved. Without
// contact credentials it answers google.ErrNotConfigured.
func saveAllContacts(ctx context.Context, w *wiring) (googlecontact.BulkResult, error) {
	if w.contacts == nil {
		return googlecontact.BulkResult{}, google.ErrNotConfigured
	}
	nums, err := directory.NewQueries(w.pool).ContactNumbers(ctx)
	if err != nil {
		return googlecontact.BulkResult{}, err
	}
	list := make([]googlecontact.Number, len(nums))
	for i, n := range nums {
		list[i] = googlecontact.Number{Phone: n.Phone, Name: n.Name}
	}
	return googlecontact.SaveAll(ctx, w.contacts, list)
}

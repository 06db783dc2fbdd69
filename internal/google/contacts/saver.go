package contacts

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/api/people/v1"

	"github.com/cicero/cicero/internal/normalize"
)

// Options tune a Saver; zero values take the legacy defaults.
type Options struct {
	// CacheTTL is how long a handled number is skipped without a database
	// look-up (CONTACT_CACHE_TTL_MS, default 5 min).
	CacheTTL time.Duration
	// Cooldown is how long the saver leaves Google alone after an auth or
	// quota refusal (CONTACT_AUTH_COOLDOWN_MS, default 5 min).
	Cooldown time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	Log *slog.Logger
}

// Saver saves numbers as Google contacts, each once.
type Saver struct {
	people   *people.Service
	store    store
	recent   *recent
	cool     cooldown
	cooldown time.Duration
	now      func() time.Time
	log      *slog.Logger
	warmed   atomic.Bool
}

// New returns a saver calling svc, with saved_contact in pool.
func New(svc *people.Service, pool *pgxpool.Pool, o Options) *Saver {
	if o.CacheTTL == 0 {
		o.CacheTTL = 5 * time.Minute
	}
	if o.Cooldown == 0 {
		o.Cooldown = 5 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Saver{people: svc, store: store{pool: pool}, recent: newRecent(o.CacheTTL),
		cooldown: o.Cooldown, now: o.Now, log: o.Log}
}

// Save makes sure phone (any form; stored as 62…) is a contact, named name
// when it has to be created (the number itself when name is empty), and
// returns the contact's resource name. It calls Google only for a number
// neither handled lately nor in saved_contact: first a search of the
// address book (a contact saved by hand, or by an attempt whose answer was
// lost, is adopted), then createContact. Errors: ErrPermanent (wrapped) for
// a bad number or a request Google refuses for good, ErrCoolingDown while
// cooling down; anything else may succeed later.
func (s *Saver) Save(ctx context.Context, phone, name string) (string, error) {
	phone = normalize.WhatsApp(phone)
	if !normalize.ValidWhatsApp(phone) {
		return "", fmt.Errorf("%w: number has fewer than %d digits", ErrPermanent, normalize.MinWhatsAppDigits)
	}
	now := s.now()
	if rn, ok := s.recent.get(phone, now); ok {
		return rn, nil
	}
	rn, err := s.store.lookup(ctx, phone)
	if err != nil {
		return "", err
	}
	if rn != "" {
		s.recent.put(phone, rn, now)
		return rn, nil
	}
	if s.cool.active(now) {
		return "", ErrCoolingDown
	}
	if rn, err = s.findOrCreate(ctx, phone, name); err != nil {
		return "", s.failed(err)
	}
	if err := s.store.put(ctx, phone, rn); err != nil {
		return "", err
	}
	s.recent.put(phone, rn, s.now())
	return rn, nil
}

// Saved counts the numbers saved for good (the admin's bulk reply).
func (s *Saver) Saved(ctx context.Context) (int, error) {
	var n int
	err := s.store.pool.QueryRow(ctx, `SELECT count(*) FROM saved_contact WHERE resource_name IS NOT NULL`).Scan(&n)
	return n, err
}

// findOrCreate searches the address book for phone and creates the contact
// when it is not there.
func (s *Saver) findOrCreate(ctx context.Context, phone, name string) (string, error) {
	if err := s.warmUp(ctx); err != nil {
		return "", err
	}
	res, err := s.people.People.SearchContacts().Query(phone).ReadMask("names,phoneNumbers").
		PageSize(1).Context(ctx).Do()
	if err != nil {
		return "", fmt.Errorf("search contacts: %w", err)
	}
	for _, r := range res.Results {
		if r.Person != nil && r.Person.ResourceName != "" && hasNumber(r.Person, phone) {
			return r.Person.ResourceName, nil
		}
	}
	if name = strings.TrimSpace(name); name == "" {
		name = phone
	}
	p, err := s.people.People.CreateContact(&people.Person{
		Names:        []*people.Name{{GivenName: name}},
		PhoneNumbers: []*people.PhoneNumber{{Value: "+" + phone}},
	}).PersonFields("names,phoneNumbers").Context(ctx).Do()
	if err != nil {
		return "", fmt.Errorf("create contact: %w", err)
	}
	if p.ResourceName == "" {
		return "", fmt.Errorf("create contact: answer without resourceName")
	}
	return p.ResourceName, nil
}

// warmUp sends the empty query Google asks for before the first search of
// a process, so its search cache is fresh (People API searchContacts docs).
func (s *Saver) warmUp(ctx context.Context) error {
	if s.warmed.Load() {
		return nil
	}
	if _, err := s.people.People.SearchContacts().Query("").ReadMask("names,phoneNumbers").Context(ctx).Do(); err != nil {
		return fmt.Errorf("warm up contact search: %w", err)
	}
	s.warmed.Store(true)
	return nil
}

// hasNumber reports whether a search hit really carries phone: the search
// also matches on names and on prefixes of numbers.
func hasNumber(p *people.Person, phone string) bool {
	for _, n := range p.PhoneNumbers {
		if normalize.WhatsApp(n.CanonicalForm) == phone || normalize.WhatsApp(n.Value) == phone {
			return true
		}
	}
	return false
}

// failed sorts a call's error, starting the cooldown for auth and quota
// refusals.
func (s *Saver) failed(err error) error {
	switch classify(err) {
	case quota:
		s.cool.start(s.now(), s.cooldown)
		s.log.Warn("google contacts: quota refused, cooling down", "cooldown", s.cooldown, "err", err)
		return err
	case authFail:
		s.cool.start(s.now(), s.cooldown)
		s.log.Warn("google contacts: credentials refused, cooling down", "cooldown", s.cooldown, "err", err)
		return err
	case permanent:
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	return err
}

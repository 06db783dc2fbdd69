package contacts

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/api/option"
	"google.golang.org/api/people/v1"

	"github.com/cicero/cicero/internal/google/googletest"
	"github.com/cicero/cicero/internal/testkit"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type rig struct {
	srv   *googletest.Server
	pool  *pgxpool.Pool
	clock *clock
	saver *Saver
}

func newRig(t *testing.T) *rig {
	t.Helper()
	srv := googletest.Start(t)
	pool, _ := testkit.NewDatabase(t)
	r := &rig{srv: srv, pool: pool, clock: &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}}
	r.saver = r.newSaver(t)
	return r
}

// newSaver is a saver as a fresh process would have it (empty cache, not
// cooling down), over the same server and table.
func (r *rig) newSaver(t *testing.T) *Saver {
	t.Helper()
	svc, err := people.NewService(context.Background(), option.WithEndpoint(r.srv.URL+"/"),
		option.WithHTTPClient(r.srv.Client()), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	return New(svc, r.pool, Options{CacheTTL: time.Minute, Cooldown: 5 * time.Minute, Now: r.clock.now, Log: testkit.Logger(t)})
}

func (r *rig) mustSave(t *testing.T, s *Saver, phone, name string) string {
	t.Helper()
	rn, err := s.Save(context.Background(), phone, name)
	if err != nil {
		t.Fatalf("save %s: %v", phone, err)
	}
	return rn
}

func (r *rig) savedRow(t *testing.T, phone string) string {
	t.Helper()
	rn, err := store{r.pool}.lookup(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	return rn
}

func TestSaveCreatesTheContactOnce(t *testing.T) {
	r := newRig(t)
	rn := r.mustSave(t, r.saver, "0812-1111-2222", "BUDI SANTOSO")
	cs := r.srv.Contacts()
	if len(cs) != 1 || cs[0].ResourceName != rn {
		t.Fatalf("contacts %+v, want one with %s", cs, rn)
	}
	if got := cs[0].Names[0].GivenName; got != "BUDI SANTOSO" {
		t.Errorf("given name %q", got)
	}
	if got := cs[0].PhoneNumbers[0].Value; got != "+6281211112222" {
		t.Errorf("phone %q, want +62 form", got)
	}
	if got := r.savedRow(t, "6281211112222"); got != rn {
		t.Errorf("saved_contact has %q, want %q", got, rn)
	}
	calls := r.srv.Calls()
	if len(calls) != 3 || calls[0].Query.Get("query") != "" || calls[1].Query.Get("query") != "6281211112222" ||
		calls[1].Query.Get("readMask") != "names,phoneNumbers" || calls[2].Path != "/v1/people:createContact" {
		t.Fatalf("calls %+v: want warm-up, search by number, create", calls)
	}

	// The same process and a fresh one (no cache) both leave Google alone.
	for _, s := range []*Saver{r.saver, r.newSaver(t)} {
		if got := r.mustSave(t, s, "6281211112222", "OTHER"); got != rn {
			t.Errorf("second save gave %q, want %q", got, rn)
		}
	}
	if n := len(r.srv.Calls()); n != 3 {
		t.Errorf("%d calls after saving again, want still 3", n)
	}
}

func TestSaveAdoptsAContactAlreadyInTheAddressBook(t *testing.T) {
	r := newRig(t)
	have := r.srv.AddContact(googletest.Person{Names: []googletest.Name{{GivenName: "Pak Budi"}},
		PhoneNumbers: []googletest.PhoneNumber{{Value: "+62 812-3333-4444"}}})
	if got := r.mustSave(t, r.saver, "6281233334444", "BUDI"); got != have {
		t.Fatalf("got %q, want the existing %q", got, have)
	}
	if n := r.srv.CallsTo("createContact"); n != 0 || len(r.srv.Contacts()) != 1 {
		t.Fatalf("%d creates, %d contacts: want none created", n, len(r.srv.Contacts()))
	}
	if got := r.savedRow(t, "6281233334444"); got != have {
		t.Errorf("saved_contact %q", got)
	}
}

func TestSaveNamesANamelessContactAfterItsNumber(t *testing.T) {
	r := newRig(t)
	r.mustSave(t, r.saver, "6281255556666", " ")
	if got := r.srv.Contacts()[0].Names[0].GivenName; got != "6281255556666" {
		t.Fatalf("given name %q, want the number", got)
	}
}

func TestSaveCacheSkipsTheDatabaseForItsTTL(t *testing.T) {
	r := newRig(t)
	rn := r.mustSave(t, r.saver, "6281277778888", "A")
	if _, err := r.pool.Exec(context.Background(), `DELETE FROM saved_contact`); err != nil {
		t.Fatal(err)
	}
	if got := r.mustSave(t, r.saver, "6281277778888", "A"); got != rn {
		t.Fatalf("cached save gave %q", got)
	}
	if n := len(r.srv.Calls()); n != 3 || r.savedRow(t, "6281277778888") != "" {
		t.Fatalf("within the TTL: %d calls (want 3) and the row is back", n)
	}
	r.clock.add(time.Minute)
	if got := r.mustSave(t, r.saver, "6281277778888", "A"); got != rn {
		t.Fatalf("after the TTL got %q, want the contact found by search %q", got, rn)
	}
	if r.srv.CallsTo("createContact") != 1 || r.savedRow(t, "6281277778888") != rn {
		t.Fatalf("after the TTL the search must find the contact and record it again")
	}
}

func TestSaveFailures(t *testing.T) {
	for _, tc := range []struct {
		name      string
		status    int
		reason    string
		permanent bool
		cools     bool
	}{
		{"429 cools down", http.StatusTooManyRequests, "rateLimitExceeded", false, true},
		{"403 quota cools down", http.StatusForbidden, "quotaExceeded", false, true},
		{"401 cools down", http.StatusUnauthorized, "authError", false, true},
		{"403 forbidden is permanent", http.StatusForbidden, "forbidden", true, false},
		{"400 is permanent", http.StatusBadRequest, "badRequest", true, false},
		{"500 is retryable", http.StatusInternalServerError, "backendError", false, false},
		{"503 is retryable", http.StatusServiceUnavailable, "backendError", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			r.srv.FailNext("createContact", tc.status, tc.reason)
			_, err := r.saver.Save(context.Background(), "6281299990000", "X")
			if err == nil {
				t.Fatal("save succeeded through a refusal")
			}
			if got := errors.Is(err, ErrPermanent); got != tc.permanent {
				t.Fatalf("permanent=%v, want %v (%v)", got, tc.permanent, err)
			}
			if r.savedRow(t, "6281299990000") != "" {
				t.Fatal("a failed save left a saved_contact row")
			}
			before := len(r.srv.Calls())
			_, err = r.saver.Save(context.Background(), "6281299990000", "X")
			if tc.cools {
				if !errors.Is(err, ErrCoolingDown) || len(r.srv.Calls()) != before {
					t.Fatalf("while cooling down: err %v, %d new calls; want ErrCoolingDown and none", err, len(r.srv.Calls())-before)
				}
				r.clock.add(5 * time.Minute)
				r.mustSave(t, r.saver, "6281299990000", "X")
			} else if err != nil {
				t.Fatalf("the retry after a %d: %v", tc.status, err)
			}
			if n := len(r.srv.Contacts()); n != 1 {
				t.Fatalf("%d contacts after the retry, want 1", n)
			}
		})
	}
}

func TestSaveRefusesANonNumber(t *testing.T) {
	r := newRig(t)
	if _, err := r.saver.Save(context.Background(), "12-34", "X"); !errors.Is(err, ErrPermanent) {
		t.Fatalf("err %v, want ErrPermanent", err)
	}
	if n := len(r.srv.Calls()); n != 0 {
		t.Fatalf("%d calls for a non-number", n)
	}
}

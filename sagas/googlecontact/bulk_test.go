package googlecontact

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"google.golang.org/api/option"
	"google.golang.org/api/people/v1"

	"github.com/cicero/cicero/internal/google/contacts"
	"github.com/cicero/cicero/internal/google/googletest"
	"github.com/cicero/cicero/internal/testkit"
)

func TestSaveAll(t *testing.T) {
	srv := googletest.Start(t)
	pool, _ := testkit.NewDatabase(t)
	svc, err := people.NewService(context.Background(), option.WithEndpoint(srv.URL+"/"),
		option.WithHTTPClient(srv.Client()), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	saver := contacts.New(svc, pool, contacts.Options{Cooldown: time.Hour})
	srv.AddContact(googletest.Person{Names: []googletest.Name{{GivenName: "X"}}, PhoneNumbers: []googletest.PhoneNumber{{Value: "+6281260000002"}}})
	nums := []Number{{"6281260000001", "A"}, {"6281260000002", "B"}, {"12", "NOT A NUMBER"}, {"6281260000003", "C"}, {"6281260000004", "D"}}

	ctx := context.Background()
	if r, err := SaveAll(ctx, saver, nums[:2]); err != nil || r != (BulkResult{Saved: 2}) {
		t.Fatalf("A and B: %+v, %v", r, err)
	}
	// Google refuses the quota at C: the run stops there, and the next
	// run stops there too without calling Google while cooling down.
	srv.FailNext("createContact", http.StatusTooManyRequests, "rateLimitExceeded")
	r, err := SaveAll(ctx, saver, nums)
	if err == nil || errors.Is(err, contacts.ErrPermanent) || r != (BulkResult{Saved: 2, Failed: 1}) {
		t.Fatalf("run into a 429: %+v, %v", r, err)
	}
	calls := len(srv.Calls())
	r, err = SaveAll(ctx, saver, nums)
	if !errors.Is(err, contacts.ErrCoolingDown) || r != (BulkResult{Saved: 2, Failed: 1}) || len(srv.Calls()) != calls {
		t.Fatalf("run while cooling down: %+v, %v, %d calls", r, err, len(srv.Calls())-calls)
	}

	// After the cooldown a new process finishes the list.
	saver = contacts.New(svc, pool, contacts.Options{})
	r, err = SaveAll(ctx, saver, nums)
	if err != nil || r != (BulkResult{Saved: 4, Failed: 1}) {
		t.Fatalf("second run: %+v, %v", r, err)
	}
	var got []string
	for _, c := range srv.Contacts() {
		got = append(got, c.Names[0].GivenName+" "+c.PhoneNumbers[0].Value)
	}
	slices.Sort(got)
	want := []string{"A +6281260000001", "C +6281260000003", "D +6281260000004", "X +6281260000002"}
	if !slices.Equal(got, want) {
		t.Fatalf("contacts %q, want %q", got, want)
	}
}

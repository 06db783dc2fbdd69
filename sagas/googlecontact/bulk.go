package googlecontact

import (
	"context"
	"errors"
	"fmt"

	"github.com/cicero/cicero/internal/google/contacts"
)

// Number is a number to save and the contact's name.
type Number struct{ Phone, Name string }

// BulkResult counts what SaveAll did.
type BulkResult struct {
	Saved  int // numbers that are contacts now (saved by this run or before)
	Failed int // numbers Google refused for good, or not numbers at all
}

// SaveAll saves each number through saver, in order: the admin's
// `savecontact` (spec/ops.md §3; its reply counts Saved). Numbers already
// saved cost no call. It stops at the first failure that a later run may
// get past (quota, cooldown, network), returning the counts so far with
// the error; a later run skips what this one saved.
func SaveAll(ctx context.Context, saver Saver, numbers []Number) (BulkResult, error) {
	var r BulkResult
	for _, n := range numbers {
		_, err := saver.Save(ctx, n.Phone, n.Name)
		switch {
		case err == nil:
			r.Saved++
		case errors.Is(err, contacts.ErrPermanent):
			r.Failed++
		default:
			return r, fmt.Errorf("save contacts: stopped after %d: %w", r.Saved+r.Failed, err)
		}
	}
	return r, nil
}

package googlecontact

import (
	"context"
	"fmt"
	"testing"

	"github.com/cicero/cicero/commands"
)

// sentExcept answers every awaited row as sent but the refused numbers.
type sentExcept map[string]bool

func (s sentExcept) Await(_ context.Context, _, recipient string) (bool, string, error) {
	return !s[recipient], "", nil
}

// SaveAll cuts the numbers into batches the queued-message command takes
// (at most 200, named key/0, key/1, …), without blanks or repeats, each
// batch as its own command, and counts the rows' outcomes. The whole path
// through serve is TestSaveAllContacts (cmd/cicero).
func TestSaveAllBatches(t *testing.T) {
	var numbers []string
	for i := range 450 {
		numbers = append(numbers, fmt.Sprintf("62812%08d", i))
	}
	numbers = append(numbers, " 6281200000007 ", "", "6281200000001") // a repeat, a blank, a repeat
	type call struct {
		key       string
		n         int
		commandID string
	}
	var calls []call
	queue := func(_ context.Context, m commands.Meta, key string, nums []string) (string, error) {
		calls = append(calls, call{key, len(nums), m.CommandID})
		return "event-" + key, nil
	}
	b := Bulk{Queue: queue, Await: sentExcept{"6281200000003": true}}
	r, err := b.SaveAll(context.Background(), commands.Meta{CommandID: "wa/x/1", Actor: "wa:62812"}, "savecontact/x", numbers)
	if err != nil || r != (BulkResult{Saved: 449, Failed: 1}) {
		t.Fatalf("result %+v, %v", r, err)
	}
	want := []call{{"savecontact/x/0", 200, ""}, {"savecontact/x/1", 200, ""}, {"savecontact/x/2", 50, ""}}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Fatalf("queued %v, want %v", calls, want)
	}
}

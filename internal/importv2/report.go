package importv2

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// maxExamples is how many source keys a skip reason lists.
const maxExamples = 5

// TableReport is what the import did with one old table.
type TableReport struct {
	Table string
	// Read counts the rows read; Imported the rows whose commands appended
	// something new; Unchanged the rows already imported as they are.
	Read, Imported, Unchanged int
	// Events counts the events this run appended for the table.
	Events int
	// Elapsed is how long the table took.
	Elapsed time.Duration
	// Skipped counts the rows not imported, by reason; LeftOut the parts
	// of imported rows that were not (a duplicate handle, an unknown
	// role), by reason.
	Skipped  map[string]int
	LeftOut  map[string]int
	Examples map[string][]string
}

func (t *TableReport) leftOut(reason, key string) {
	if t.LeftOut == nil {
		t.LeftOut = map[string]int{}
	}
	if t.Examples == nil {
		t.Examples = map[string][]string{}
	}
	t.LeftOut[reason]++
	if len(t.Examples[reason]) < maxExamples {
		t.Examples[reason] = append(t.Examples[reason], key)
	}
}

func (t *TableReport) skip(reason, key string) {
	if t.Skipped == nil {
		t.Skipped = map[string]int{}
	}
	if t.Examples == nil {
		t.Examples = map[string][]string{}
	}
	t.Skipped[reason]++
	if len(t.Examples[reason]) < maxExamples {
		t.Examples[reason] = append(t.Examples[reason], key)
	}
}

// Report is a run's summary.
type Report struct {
	DryRun  bool
	Tables  []*TableReport
	Missing []string // optional tables the old database lacks
	Elapsed time.Duration

	mu sync.Mutex
}

func (r *Report) table(name string) *TableReport {
	for _, t := range r.Tables {
		if t.Table == name {
			return t
		}
	}
	t := &TableReport{Table: name}
	r.Tables = append(r.Tables, t)
	return t
}

// Events is the number of events the run appended.
func (r *Report) Events() int {
	n := 0
	for _, t := range r.Tables {
		n += t.Events
	}
	return n
}

// Print writes the summary: one line per table, then the skip reasons
// with example keys.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%-30s %9s %9s %9s %9s %9s %9s %9s\n", "table", "read", "imported", "unchanged", "skipped", "left out", "events", "time")
	for _, t := range r.Tables {
		fmt.Fprintf(w, "%-30s %9d %9d %9d %9d %9d %9d %9s\n", t.Table, t.Read, t.Imported, t.Unchanged, total(t.Skipped),
			total(t.LeftOut), t.Events, t.Elapsed.Round(10*time.Millisecond))
	}
	for _, t := range r.Tables {
		for _, list := range []struct {
			what string
			m    map[string]int
		}{{"skipped", t.Skipped}, {"left out of", t.LeftOut}} {
			reasons := sortedKeys(list.m)
			sort.SliceStable(reasons, func(i, j int) bool { return list.m[reasons[i]] > list.m[reasons[j]] })
			for _, reason := range reasons {
				fmt.Fprintf(w, "%s %s: %d × %s (e.g. %s)\n", list.what, t.Table, list.m[reason], reason, strings.Join(t.Examples[reason], ", "))
			}
		}
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(w, "not in the old database (nothing to import): %s\n", strings.Join(r.Missing, ", "))
	}
	if r.DryRun {
		// No command is decided: how many events the rows would bring is
		// not known, only how many rows would be taken.
		rows := 0
		for _, t := range r.Tables {
			rows += t.Imported
		}
		fmt.Fprintf(w, "dry run: nothing appended; %d rows would be imported or brought up to date (%s)\n", rows, r.Elapsed.Round(time.Millisecond))
		return
	}
	rate := 0.0
	if s := r.Elapsed.Seconds(); s > 0 {
		rate = float64(r.Events()) / s
	}
	fmt.Fprintf(w, "appended %d events in %s (%.0f events/s)\n", r.Events(), r.Elapsed.Round(time.Millisecond), rate)
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

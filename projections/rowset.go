package projections

// RowSet is the in-memory state of the rows one batch touches, for read
// models that load what a batch changes, fold the events over it and write
// it back with one statement per table. A key maps to nil when the row does
// not exist (never did, or was renumbered away).
type RowSet[R any] struct {
	Rows  map[string]*R
	Order []string        // touched keys, first touch first
	fresh map[string]bool // first touch defines the row whole: no load needed
}

// NewRowSet makes a row set with room for size keys.
func NewRowSet[R any](size int) *RowSet[R] {
	return &RowSet[R]{Rows: make(map[string]*R, size), fresh: make(map[string]bool, size), Order: make([]string, 0, size)}
}

// Touch records that the batch changes key; defines says the first event
// about it defines the whole row (a registration), so it need not be loaded.
func (s *RowSet[R]) Touch(key string, defines bool) {
	if _, seen := s.fresh[key]; seen {
		return
	}
	s.fresh[key] = defines
	s.Order = append(s.Order, key)
}

// ToLoad lists the keys whose current row the fold needs.
func (s *RowSet[R]) ToLoad() []string {
	var out []string
	for _, k := range s.Order {
		if !s.fresh[k] {
			out = append(out, k)
		}
	}
	return out
}

package directory

import "slices"

// cacheLimit bounds the rows kept per table; past it the table's cache is
// dropped and rebuilt from what later batches load.
const cacheLimit = 500_000

// rowCache keeps, per physical table, the rows as last committed and the
// rows staged by the open transaction(s) since the last Committed. A batch
// looks up staged rows first (its own transaction's earlier writes), then
// committed ones, then the database. It only ever holds rows this process
// wrote or read, so it is right as long as nobody else writes the table;
// the runner's checkpoint check and Forget see to that.
//
// Rows handed to stage become the cache's; get hands out copies, so the
// batch that folds them never touches the cached ones.
type rowCache[R cloner[R]] struct {
	committed map[string]map[string]*R
	staged    map[string]map[string]*R // nil: the row is gone
}

type cloner[R any] interface{ clone() R }

func newRowCache[R cloner[R]]() rowCache[R] {
	return rowCache[R]{committed: map[string]map[string]*R{}, staged: map[string]map[string]*R{}}
}

// lookup fills rows with copies of the cached rows of keys and returns the
// keys the cache does not know. A key known to have no row stays absent.
func (c *rowCache[R]) lookup(table string, keys []string, rows map[string]*R) (miss []string) {
	staged, committed := c.staged[table], c.committed[table]
	for _, k := range keys {
		r, ok := staged[k]
		if !ok {
			r, ok = committed[k]
		}
		switch {
		case !ok:
			miss = append(miss, k)
		case r != nil:
			cp := (*r).clone()
			rows[k] = &cp
		}
	}
	return miss
}

// stage records the rows a batch leaves behind, taking them over.
func (c *rowCache[R]) stage(table string, keys []string, rows map[string]*R) {
	st := c.staged[table]
	if st == nil {
		st = make(map[string]*R, len(keys))
		c.staged[table] = st
	}
	for _, k := range keys {
		st[k] = rows[k]
	}
}

func (c *rowCache[R]) commit() {
	for table, st := range c.staged {
		m := c.committed[table]
		if m == nil {
			m = make(map[string]*R, len(st))
			c.committed[table] = m
		}
		for k, r := range st {
			if r == nil {
				delete(m, k)
			} else {
				m[k] = r
			}
		}
		if len(m) > cacheLimit {
			delete(c.committed, table)
		}
	}
	c.staged = map[string]map[string]*R{}
}

func (c *rowCache[R]) forget() {
	c.committed = map[string]map[string]*R{}
	c.staged = map[string]map[string]*R{}
}

func (r clientRow) clone() clientRow { return r }

func (r personRow) clone() personRow {
	r.Roles = slices.Clone(r.Roles)
	return r
}

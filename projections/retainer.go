package projections

// Retainer is implemented by projections that keep committed rows in
// memory between batches so they need not load them again. Whoever applies
// batches (Runner, Rebuild) calls Committed after a batch's transaction
// commits and Forget whenever memory may no longer match the tables: when a
// run starts, after a failed batch, around a rebuild. Apply must treat
// what it staged since the last Committed as uncommitted.
type Retainer interface {
	// Committed makes the rows staged by the batches applied since the last
	// call the committed state.
	Committed()
	// Forget drops everything kept in memory.
	Forget()
}

func forget(p Projection) {
	if rt, ok := p.(Retainer); ok {
		rt.Forget()
	}
}

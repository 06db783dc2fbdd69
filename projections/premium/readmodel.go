package premium

import "github.com/cicero/cicero/projections"

// ErrNotFound: the row asked for is not in the read model (the one
// sentinel of every context's queries).
var ErrNotFound = projections.ErrNotFound

// Querier runs read queries: a pool, a connection or a transaction.
type Querier = projections.Querier

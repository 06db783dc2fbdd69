// Package social holds the read models of the SOCIAL context and their
// queries: social_posts (posts, the clients whose feeds hold them, role
// tags), social_engagements (one row per post × engager × kind, the hot
// table every recap reads), and social_accounts (profiles, fetch runs).
// Every day is the Asia/Jakarta date of the publication instant, computed
// here, never by a session time zone.
package social

import "github.com/cicero/cicero/projections"

// ErrNotFound: the row asked for is not in the read model.
var ErrNotFound = projections.ErrNotFound

// Querier runs read queries: a pool, a connection or a transaction.
type Querier = projections.Querier

package social

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// EngagementsName is the engagements projection's name.
const EngagementsName = "social_engagements"

// Engagement kinds.
const (
	KindLike    = "like"
	KindComment = "comment"
)

// Engagements is the read model of who engaged with which post: one row of
// social_engagements per post × normalised username × kind, first_seen the
// instant of the fetch that first saw it. The post aggregate records each
// engager once, so every event's rows are new: a batch goes in with one
// COPY, the fastest way into the table. (A checkpoint that moved with a
// batch is never applied again; a row seen twice would be a bug, and the
// primary key stops the projection on it rather than counting it twice.)
type Engagements struct {
	reg *events.Registry
}

var _ projections.Projection = (*Engagements)(nil)

// NewEngagements builds the projection; reg decodes event bodies.
func NewEngagements(reg *events.Registry) *Engagements { return &Engagements{reg: reg} }

// Name implements projections.Projection.
func (*Engagements) Name() string { return EngagementsName }

// Streams implements projections.Projection.
func (*Engagements) Streams() []string { return []string{"SOCIAL"} }

// Tables implements projections.Projection.
func (*Engagements) Tables() []string { return []string{"social_engagements"} }

// EventTypes implements projections.Projection.
func (*Engagements) EventTypes() []string {
	return events.Types(events.LikesRecorded{}, events.CommentsRecorded{})
}

var engagementColumns = []string{"platform", "post_id", "kind", "username", "first_seen"}

// Apply implements projections.Projection.
func (e *Engagements) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	var rows [][]any
	for i := range batch {
		env := &batch[i]
		if env.Type != "LikesRecorded" && env.Type != "CommentsRecorded" {
			continue
		}
		ev, err := e.reg.Decode(env)
		if err != nil {
			return fmt.Errorf("%s: %w", EngagementsName, err)
		}
		switch r := ev.(type) {
		case *events.LikesRecorded:
			for _, u := range r.Usernames {
				rows = append(rows, []any{r.Platform, r.PostID, KindLike, u, r.ObservedAt})
			}
		case *events.CommentsRecorded:
			for _, u := range r.Usernames {
				rows = append(rows, []any{r.Platform, r.PostID, KindComment, u, r.ObservedAt})
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	table := t["social_engagements"]
	n, err := tx.CopyFrom(ctx, pgx.Identifier(strings.Split(table, ".")), engagementColumns, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	if int(n) != len(rows) {
		return fmt.Errorf("copy into %s: %d of %d rows", table, n, len(rows))
	}
	return nil
}

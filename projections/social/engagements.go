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
//
// It also keeps the attendance materialisation (attendance.go): the task
// sets of every post and, per task set, day and username, how many task
// posts the username engaged with. Both live in this one projection so the
// counts move in the same transaction, in event order, as the engagement
// rows they count.
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
func (*Engagements) Tables() []string {
	return []string{"social_engagements", "social_attendance_posts", "social_attendance_tasks", "social_daily_attendance"}
}

// EventTypes implements projections.Projection.
func (*Engagements) EventTypes() []string {
	return events.Types(events.LikesRecorded{}, events.CommentsRecorded{},
		events.PostIngested{}, events.PostWithdrawn{}, events.PostTaggedForRole{}, events.PostUntaggedForRole{})
}

var engagementColumns = []string{"platform", "post_id", "kind", "username", "first_seen"}

// Apply implements projections.Projection.
func (e *Engagements) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	var decoded []events.Payload
	var keys []postKey
	for i := range batch {
		env := &batch[i]
		switch env.Type {
		case "LikesRecorded", "CommentsRecorded", "PostIngested", "PostWithdrawn", "PostTaggedForRole", "PostUntaggedForRole":
		default:
			continue
		}
		ev, err := e.reg.Decode(env)
		if err != nil {
			return fmt.Errorf("%s: %w", EngagementsName, err)
		}
		decoded = append(decoded, ev)
		keys = append(keys, keyOf(ev))
	}
	if len(decoded) == 0 {
		return nil
	}
	a, err := loadAttendance(ctx, tx, t, keys)
	if err != nil {
		return err
	}
	for _, ev := range decoded {
		if err := a.fold(ctx, ev); err != nil {
			return err
		}
	}
	if err := a.flush(ctx); err != nil {
		return err
	}
	return a.writeState(ctx)
}

func keyOf(ev events.Payload) postKey {
	switch r := ev.(type) {
	case *events.LikesRecorded:
		return postKey{r.Platform, r.PostID}
	case *events.CommentsRecorded:
		return postKey{r.Platform, r.PostID}
	case *events.PostIngested:
		return postKey{r.Platform, r.PostID}
	case *events.PostWithdrawn:
		return postKey{r.Platform, r.PostID}
	case *events.PostTaggedForRole:
		return postKey{r.Platform, r.PostID}
	case *events.PostUntaggedForRole:
		return postKey{r.Platform, r.PostID}
	}
	return postKey{}
}

// copyEngagements writes rows into social_engagements.
func copyEngagements(ctx context.Context, tx pgx.Tx, table string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier(strings.Split(table, ".")), engagementColumns, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	if int(n) != len(rows) {
		return fmt.Errorf("copy into %s: %d of %d rows", table, n, len(rows))
	}
	return nil
}

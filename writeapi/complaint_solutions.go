package writeapi

import (
	"context"
	"time"

	"github.com/cicero/cicero/internal/complainttext"
	"github.com/cicero/cicero/projections/directory"
)

// ComplaintSolutions answers one recognised complaint issue
// (complainttext.InstagramNotRecorded, …) from the read models exactly as
// the complaint routes do, for the WhatsApp router's auto-reply; "" when
// the issue adds nothing.
type ComplaintSolutions struct{ Social ComplaintSocial }

// Solution is the answer to issue key for person at now.
func (s ComplaintSolutions) Solution(ctx context.Context, key string, parsed complainttext.Parsed,
	person directory.Person, now time.Time) (string, error) {
	a := &komplainAPI{KomplainDeps: KomplainDeps{Social: s.Social}}
	return a.solution(ctx, key, parsed, person, now)
}

package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

var _ projections.ClientPartition = (*ReadModel)(nil)

// ClientKinds implements projections.ClientPartition: a client's rows are
// its own row and its personnel's, built from those aggregates only.
func (*ReadModel) ClientKinds() []string {
	return []string{events.ClientSubjectPrefix, events.PersonSubjectPrefix}
}

// ForgetSubjects implements projections.ClientPartition: every row is one
// aggregate's, so forgetting a subject deletes its row.
func (d *ReadModel) ForgetSubjects(ctx context.Context, tx pgx.Tx, t projections.Tables, _ string, subjects []string) error {
	var clients, people []string
	for _, s := range subjects {
		i := strings.LastIndexByte(s, '.')
		if i < 0 {
			continue
		}
		id, err := events.DecodeToken(s[i+1:])
		if err != nil {
			return fmt.Errorf("subject %s: %w", s, err)
		}
		switch s[:i] {
		case events.ClientSubjectPrefix:
			clients = append(clients, id)
		case events.PersonSubjectPrefix:
			people = append(people, id)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM `+projections.Ident(t["clients"])+` WHERE client_id = ANY($1)`, clients); err != nil {
		return fmt.Errorf("forget clients: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM `+projections.Ident(t["personnel"])+` WHERE user_id = ANY($1)`, people); err != nil {
		return fmt.Errorf("forget personnel: %w", err)
	}
	d.Forget()
	return nil
}

// SettleSubjects implements projections.ClientPartition: no row of the
// directory sums over aggregates.
func (*ReadModel) SettleSubjects(context.Context, pgx.Tx, projections.Tables, []string) error {
	return nil
}

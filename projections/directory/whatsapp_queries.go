package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The WhatsApp router's look-ups: who a sender is (spec/ops.md §3.4, §3.8)
// and the choices its menus offer (spec/access.md §1.2, §1.9).

// PersonByWhatsApp returns the person whose stored WhatsApp number (digits,
// 62…) equals number — an active one first, as the legacy exact-match
// look-up found one row; ErrNotFound when nobody has it.
func (q *Queries) PersonByWhatsApp(ctx context.Context, number string) (Person, error) {
	if strings.TrimSpace(number) == "" {
		return Person{}, fmt.Errorf("person by whatsapp: %w", ErrNotFound)
	}
	// The second condition lets a generic plan use the partial index.
	p, err := scanPerson(q.db.QueryRow(ctx, personSelect+` WHERE p.whatsapp = $1 AND p.whatsapp <> ''
		ORDER BY p.status DESC, p.user_id LIMIT 1`, number))
	if errors.Is(err, pgx.ErrNoRows) {
		return Person{}, fmt.Errorf("person by whatsapp: %w", ErrNotFound)
	}
	if err != nil {
		return Person{}, fmt.Errorf("person by whatsapp: %w", err)
	}
	return p, nil
}

// ClientsByContact lists the clients whose operator number is number
// (exact, 62…) or whose super-admin field names it between non-digits, in
// its 62… or local 0… form (spec/ops.md §3.4), ordered by id.
func (q *Queries) ClientsByContact(ctx context.Context, number string) ([]Client, error) {
	if strings.TrimSpace(number) == "" {
		return nil, nil
	}
	local := ""
	if strings.HasPrefix(number, "62") {
		local = "0" + number[2:]
	}
	rows, err := q.db.Query(ctx, clientSelect+`
		WHERE c.client_operator = $1
		   OR c.client_super ~ ('(^|\D)' || $1 || '(\D|$)')
		   OR ($2 <> '' AND c.client_super ~ ('(^|\D)' || $2 || '(\D|$)'))
		ORDER BY c.client_id`, number, local)
	if err != nil {
		return nil, fmt.Errorf("clients by contact: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Client, error) { return scanClient(r) })
	if err != nil {
		return nil, fmt.Errorf("clients by contact: %w", err)
	}
	return out, nil
}

// Titles lists the distinct ranks (pangkat) personnel hold, ordered: the
// choices of the self-service rank update.
func (q *Queries) Titles(ctx context.Context) ([]string, error) {
	return q.strings(ctx, "titles", `SELECT DISTINCT title FROM personnel WHERE title <> '' ORDER BY title`)
}

// StaticSatfung are the units every client may choose besides its own.
var StaticSatfung = []string{"SUBBID MULTIMEDIA", "SUBBID PENMAS", "SUBBID PID", "SUB BAG RENMIN"}

// Satfung lists the distinct units (divisi) of a client's personnel
// (client_id compared case-insensitively; all clients when "") followed by
// StaticSatfung entries not already listed.
func (q *Queries) Satfung(ctx context.Context, clientID string) ([]string, error) {
	out, err := q.strings(ctx, "satfung", `SELECT DISTINCT divisi FROM personnel
		WHERE divisi <> '' AND ($1 = '' OR upper(client_id) = upper($1)) ORDER BY divisi`, clientID)
	if err != nil {
		return nil, err
	}
	for _, s := range StaticSatfung {
		found := false
		for _, o := range out {
			found = found || o == s
		}
		if !found {
			out = append(out, s)
		}
	}
	return out, nil
}

func (q *Queries) strings(ctx context.Context, what, sql string, args ...any) ([]string, error) {
	rows, err := q.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

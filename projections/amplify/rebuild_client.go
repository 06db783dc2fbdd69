package amplify

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

var _ projections.ClientPartition = (*Reports)(nil)

// ClientKinds implements projections.ClientPartition: a client's rows come
// from its personnel's reports, one aggregate per kind, post and person.
func (*Reports) ClientKinds() []string {
	return []string{events.LinkReportSubjectPrefix + ".>", events.LinkReportKhususSubjectPrefix + ".>"}
}

// ForgetSubjects implements projections.ClientPartition. A report row is
// its aggregate's; a khusus post row of the client was registered by one
// of the client's khusus reports (a report names its client), so every
// such row goes and the replay registers it again, with the same first
// submission time. Rows of the client that no listed report explains
// (left by a bug) go too.
func (*Reports) ForgetSubjects(ctx context.Context, tx pgx.Tx, t projections.Tables, client string, subjects []string) error {
	var kinds, codes, users []string
	for _, s := range subjects {
		kind := events.LinkReportRegular
		rest, ok := strings.CutPrefix(s, events.LinkReportSubjectPrefix+".")
		if !ok {
			if rest, ok = strings.CutPrefix(s, events.LinkReportKhususSubjectPrefix+"."); !ok {
				continue
			}
			kind = events.LinkReportKhusus
		}
		codeTok, userTok, ok := strings.Cut(rest, ".")
		if !ok {
			return fmt.Errorf("subject %s: not <kind>.<shortcode>.<nrp>", s)
		}
		code, err := events.DecodeToken(codeTok)
		if err != nil {
			return fmt.Errorf("subject %s: %w", s, err)
		}
		user, err := events.DecodeToken(userTok)
		if err != nil {
			return fmt.Errorf("subject %s: %w", s, err)
		}
		kinds, codes, users = append(kinds, kind), append(codes, code), append(users, user)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM `+projections.Ident(t["amplify_reports"])+` r
		WHERE upper(r.client_id) = upper($1)
		   OR (r.kind, r.shortcode, r.user_id) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))`,
		client, kinds, codes, users); err != nil {
		return fmt.Errorf("forget amplify reports: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM `+projections.Ident(t["amplify_khusus_posts"])+` WHERE upper(client_id) = upper($1)`,
		client); err != nil {
		return fmt.Errorf("forget khusus posts: %w", err)
	}
	return nil
}

// SettleSubjects implements projections.ClientPartition: no row sums over
// reports (the recaps count them when read).
func (*Reports) SettleSubjects(context.Context, pgx.Tx, projections.Tables, []string) error {
	return nil
}

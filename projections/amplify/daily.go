package amplify

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/internal/amplifytext"
)

// Day reads what the WhatsApp amplification recaps of one client and
// Jakarta date day need: the client's name, its posts of the day (in
// publication order, withdrawn ones left out), its active personnel —
// only those holding role when role is not "" — and their regular
// reports on those posts.
func (q *Queries) Day(ctx context.Context, clientID, day, role string) (amplifytext.Absensi, error) {
	a := amplifytext.Absensi{ClientID: clientID}
	if err := q.db.QueryRow(ctx, `SELECT COALESCE((SELECT nama FROM clients WHERE upper(client_id) = upper($1)), '')`,
		clientID).Scan(&a.ClientNama); err != nil {
		return a, fmt.Errorf("amplify day of %s: %w", clientID, err)
	}
	rows, err := q.db.Query(ctx, `SELECT post_id FROM social_post_clients
		WHERE upper(client_id) = upper($1) AND platform = 'instagram' AND jakarta_date = $2::date AND NOT withdrawn
		ORDER BY published_at, post_id`, clientID, day)
	if err != nil {
		return a, fmt.Errorf("amplify day posts of %s: %w", clientID, err)
	}
	if a.Posts, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return a, fmt.Errorf("amplify day posts of %s: %w", clientID, err)
	}
	rows, err = q.db.Query(ctx, `SELECT user_id, title, nama, divisi, exception FROM personnel
		WHERE status AND upper(client_id) = upper($1) AND ($2 = '' OR $2 = ANY (roles)) ORDER BY upper(nama), user_id`, clientID, role)
	if err != nil {
		return a, fmt.Errorf("amplify day people of %s: %w", clientID, err)
	}
	a.People, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (amplifytext.Person, error) {
		var p amplifytext.Person
		err := row.Scan(&p.UserID, &p.Title, &p.Nama, &p.Divisi, &p.Exception)
		return p, err
	})
	if err != nil {
		return a, fmt.Errorf("amplify day people of %s: %w", clientID, err)
	}
	ids := make([]string, len(a.People))
	for i, p := range a.People {
		ids[i] = p.UserID
	}
	rows, err = q.db.Query(ctx, `SELECT user_id, shortcode, COALESCE(instagram_link, ''), COALESCE(facebook_link, ''),
		COALESCE(twitter_link, ''), COALESCE(tiktok_link, ''), COALESCE(youtube_link, '')
		FROM amplify_reports WHERE kind = 'regular' AND shortcode = ANY ($1) AND user_id = ANY ($2)
		ORDER BY submitted_at, user_id, shortcode`, a.Posts, ids)
	if err != nil {
		return a, fmt.Errorf("amplify day reports of %s: %w", clientID, err)
	}
	a.Reports, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (amplifytext.Report, error) {
		var r amplifytext.Report
		err := row.Scan(&r.UserID, &r.Shortcode, &r.Instagram, &r.Facebook, &r.Twitter, &r.Tiktok, &r.Youtube)
		return r, err
	})
	if err != nil {
		return a, fmt.Errorf("amplify day reports of %s: %w", clientID, err)
	}
	return a, nil
}

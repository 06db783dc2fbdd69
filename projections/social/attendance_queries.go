package social

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// AttendanceQuery asks, for one task set and period, how many task posts
// each member of a personnel set engaged with.
type AttendanceQuery struct {
	Platform string // instagram (likes) or tiktok (comments)
	// Task is the task set: ClientTask(id) or RoleTask(role).
	Task string
	// From and To bound the posts' Jakarta dates (inclusive, YYYY-MM-DD);
	// All takes every date.
	From, To string
	All      bool
	People   PeopleFilter
}

// PeopleFilter picks active personnel (spec/social.md §1.2, §4.2).
type PeopleFilter struct {
	// Client, when set, keeps the members of the client: client_id equal
	// (any case) or holding the role named like the client, lower-cased.
	// For a directorate client (DirectorateClient) the members are the
	// holders of Role, else of the client's lower-cased id.
	Client            string
	DirectorateClient bool
	// Role, when set, keeps only holders of the role; with Client set
	// (and not a directorate client) it applies only to ditbinmas,
	// ditlantas, bidhumas, ditsamapta and operator, as in the legacy
	// membership clause.
	Role string
	// RegionalID keeps only personnel whose client is in the region.
	RegionalID string
}

// AttendanceRow is one person's figure.
type AttendanceRow struct {
	UserID     string  `json:"user_id"`
	Title      string  `json:"title"`
	Nama       string  `json:"nama"`
	Username   string  `json:"username"` // the handle as typed (insta or tiktok)
	Handle     string  `json:"-"`        // normalised; "" = no username
	Divisi     string  `json:"divisi"`
	Exception  bool    `json:"exception"`
	ClientID   string  `json:"client_id"`
	ClientName string  `json:"client_name"`
	RegionalID *string `json:"regional_id"`
	// Done is how many distinct task posts the person engaged with; an
	// exempt person counts as done for every task post (SPEC.md §5.2).
	Done int `json:"-"`
}

// Attendance is the answer: the task posts' count and one row per person,
// ordered by name and NRP.
type Attendance struct {
	TotalPosts int
	Rows       []AttendanceRow
}

func kindOf(platform string) string {
	if platform == "tiktok" {
		return KindComment
	}
	return KindLike
}

// peopleSQL is the personnel set alone ($1 platform, $2 client, $3 role,
// $4 directorate client, $5 region).
const peopleSQL = `	SELECT p.user_id, p.title, p.nama, p.divisi, p.exception, coalesce(p.client_id, '') AS client_id,
		coalesce(c.nama, '') AS client_name, c.regional_id,
		CASE WHEN $1 = 'tiktok' THEN p.tiktok ELSE p.insta END AS username,
		CASE WHEN $1 = 'tiktok' THEN p.tiktok_norm ELSE p.insta_norm END AS handle
	FROM personnel p LEFT JOIN clients c ON upper(c.client_id) = upper(p.client_id)
	WHERE p.status
	  AND CASE
		WHEN $2 = '' THEN $3 = ANY(p.roles)
		WHEN $4 THEN coalesce(nullif($3, ''), lower($2)) = ANY(p.roles)
		ELSE (upper(p.client_id) = upper($2) OR lower($2) = ANY(p.roles))
			AND ($3 NOT IN ('ditbinmas', 'ditlantas', 'bidhumas', 'ditsamapta', 'operator') OR $3 = ANY(p.roles))
	  END
	  AND ($5 = '' OR upper(c.regional_id) = upper($5))`

// attendanceSQL: the personnel set, the materialised per-day counts of the
// task set summed for that set's handles, and the task posts' count. The
// period is always a date range ("all" is 0001-01-01…9999-12-31): an
// "$all OR date BETWEEN" condition would leave a prepared statement's
// generic plan scanning every day of the task set. The daily rows are
// joined to the people's distinct handles before they are summed: most
// engagers are strangers (an org month on the full demo set: 45,509 daily
// rows, 10,374 of them the org's people), and summing every stranger's
// rows cost more than reading them. It is a join, not the "username IN
// (people)" semi-join this query once had: that one, planned before
// ANALYZE, became a nested loop comparing every daily row with every
// handle (8.6 million comparisons, 0.86 s for one org day); the join hashes
// the handles with or without statistics (checked with the statistics of
// social_daily_attendance, personnel and clients removed, custom and
// generic plans). The counts are an index-only read of the primary key,
// which includes posts (migration 00014).
const attendanceSQL = `WITH people AS (
` + peopleSQL + `
), done AS (
	SELECT d.username, sum(d.posts)::int AS n
	FROM social_daily_attendance d JOIN (SELECT DISTINCT handle FROM people) h ON h.handle = d.username
	WHERE d.platform = $1 AND d.kind = $6 AND d.task = $7 AND d.jakarta_date BETWEEN $8::date AND $9::date
	GROUP BY d.username
)
SELECT p.user_id, p.title, p.nama, p.username, p.handle, p.divisi, p.exception, p.client_id, p.client_name,
	p.regional_id, coalesce(d.n, 0),
	(SELECT count(*)::int FROM social_attendance_tasks t
		WHERE t.platform = $1 AND t.task = $7 AND t.jakarta_date BETWEEN $8::date AND $9::date)
FROM people p LEFT JOIN done d ON d.username = p.handle
ORDER BY p.nama, p.user_id`

// Attendance counts, per person of q.People, the distinct posts of q.Task
// in the period that the person's normalised handle liked (Instagram) or
// commented on (TikTok). A person without a handle has 0 unless exempt.
func (q *Queries) Attendance(ctx context.Context, a AttendanceQuery) (Attendance, error) {
	from, to := dateBounds(a.From, a.To, a.All)
	args := append(peopleArgs(a.Platform, a.People), kindOf(a.Platform), a.Task, from, to)
	rows, err := q.db.Query(ctx, attendanceSQL, args...)
	if err != nil {
		return Attendance{}, fmt.Errorf("attendance %s %s: %w", a.Platform, a.Task, err)
	}
	var out Attendance
	out.Rows, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (AttendanceRow, error) {
		var x AttendanceRow
		err := r.Scan(&x.UserID, &x.Title, &x.Nama, &x.Username, &x.Handle, &x.Divisi, &x.Exception, &x.ClientID,
			&x.ClientName, &x.RegionalID, &x.Done, &out.TotalPosts)
		return x, err
	})
	if err != nil {
		return Attendance{}, fmt.Errorf("attendance %s %s: %w", a.Platform, a.Task, err)
	}
	if out.Rows == nil {
		out.Rows = []AttendanceRow{}
	}
	if out.TotalPosts == 0 {
		// No people, or the count came with none: ask for it alone.
		if out.TotalPosts, err = q.TaskPostCount(ctx, a.Platform, a.Task, from, to, false); err != nil {
			return Attendance{}, err
		}
	}
	for i := range out.Rows {
		if out.Rows[i].Exception {
			out.Rows[i].Done = out.TotalPosts
		}
	}
	return out, nil
}

// peopleArgs are peopleSQL's parameters $1–$5 for platform and f.
func peopleArgs(platform string, f PeopleFilter) []any {
	return []any{platform, strings.TrimSpace(f.Client), strings.ToLower(strings.TrimSpace(f.Role)), f.DirectorateClient,
		strings.TrimSpace(f.RegionalID)}
}

// dateBounds is the inclusive date range of a period; all (or no start)
// is every date, still as a range (a generic plan can use the index).
func dateBounds(from, to string, all bool) (string, string) {
	if all || from == "" {
		return "0001-01-01", "9999-12-31"
	}
	return from, to
}

// TaskPostCount counts the posts of a task set in the period.
func (q *Queries) TaskPostCount(ctx context.Context, platform, task, from, to string, all bool) (int, error) {
	from, to = dateBounds(from, to, all)
	var n int
	err := q.db.QueryRow(ctx, `SELECT count(*)::int FROM social_attendance_tasks t
		WHERE t.platform = $1 AND t.task = $2 AND t.jakarta_date BETWEEN $3::date AND $4::date`, platform, task, from, to).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("task posts %s %s: %w", platform, task, err)
	}
	return n, nil
}

// PeopleCount counts the active personnel of f.
func (q *Queries) PeopleCount(ctx context.Context, f PeopleFilter) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `SELECT count(*)::int FROM (`+peopleSQL+`) x`, peopleArgs("instagram", f)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("people count: %w", err)
	}
	return n, nil
}

// ClientCount counts every client.
func (q *Queries) ClientCount(ctx context.Context) (int, error) {
	var n int
	if err := q.db.QueryRow(ctx, `SELECT count(*)::int FROM clients`).Scan(&n); err != nil {
		return 0, fmt.Errorf("client count: %w", err)
	}
	return n, nil
}

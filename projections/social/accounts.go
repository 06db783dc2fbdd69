package social

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// AccountsName is the accounts projection's name.
const AccountsName = "social_accounts"

// Accounts is the read model of the official accounts: social_profiles
// (each account's profile as last observed) and social_fetch_runs (one row
// per fetch run).
type Accounts struct {
	reg *events.Registry
}

var _ projections.Projection = (*Accounts)(nil)

// NewAccounts builds the projection; reg decodes event bodies.
func NewAccounts(reg *events.Registry) *Accounts { return &Accounts{reg: reg} }

// Name implements projections.Projection.
func (*Accounts) Name() string { return AccountsName }

// Streams implements projections.Projection.
func (*Accounts) Streams() []string { return []string{"SOCIAL"} }

// Tables implements projections.Projection.
func (*Accounts) Tables() []string { return []string{"social_profiles", "social_fetch_runs"} }

// EventTypes implements projections.Projection.
func (*Accounts) EventTypes() []string {
	return events.Types(events.ProfileObserved{}, events.FetchRunCompleted{})
}

type profileKey struct{ platform, username string }

type profileRow struct {
	e       *events.ProfileObserved
	version int64
}

// Apply implements projections.Projection.
func (a *Accounts) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	profiles := map[profileKey]profileRow{}
	var runs []*events.FetchRunCompleted
	var runVersions []int64
	for i := range batch {
		env := &batch[i]
		if env.Type != "ProfileObserved" && env.Type != "FetchRunCompleted" {
			continue
		}
		ev, err := a.reg.Decode(env)
		if err != nil {
			return fmt.Errorf("%s: %w", AccountsName, err)
		}
		switch e := ev.(type) {
		case *events.ProfileObserved:
			profiles[profileKey{e.Platform, e.Username}] = profileRow{e: e, version: int64(env.Position)}
		case *events.FetchRunCompleted:
			runs, runVersions = append(runs, e), append(runVersions, int64(env.Position))
		}
	}
	if err := writeProfiles(ctx, tx, t["social_profiles"], profiles); err != nil {
		return err
	}
	return writeFetchRuns(ctx, tx, t["social_fetch_runs"], runs, runVersions)
}

func writeProfiles(ctx context.Context, tx pgx.Tx, table string, rows map[profileKey]profileRow) error {
	if len(rows) == 0 {
		return nil
	}
	keys := sortedKeys(rows, func(a, b profileKey) int {
		if a.platform != b.platform {
			return cmpStr(a.platform, b.platform)
		}
		return cmpStr(a.username, b.username)
	})
	n := len(keys)
	plat, user, name, bio, avatar, ext := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	fol, fing, posts := make([]int32, n), make([]int32, n), make([]int32, n)
	ver, at, verified := make([]int64, n), make([]time.Time, n), make([]bool, n)
	for i, k := range keys {
		r := rows[k]
		e := r.e
		plat[i], user[i], name[i], bio[i], avatar[i], ext[i] = e.Platform, e.Username, e.FullName, e.Bio, e.AvatarURL, e.ExternalID
		fol[i], fing[i], posts[i], ver[i], at[i], verified[i] = int32(e.Followers), int32(e.Following), int32(e.Posts), r.version, e.ObservedAt, e.Verified
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (platform, username, full_name, bio, followers,
			following, posts, avatar_url, verified, external_id, observed_at, version)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::text[],
			$9::bool[], $10::text[], $11::timestamptz[], $12::bigint[])
		ON CONFLICT (platform, username) DO UPDATE SET full_name = EXCLUDED.full_name, bio = EXCLUDED.bio,
			followers = EXCLUDED.followers, following = EXCLUDED.following, posts = EXCLUDED.posts,
			avatar_url = EXCLUDED.avatar_url, verified = EXCLUDED.verified, external_id = EXCLUDED.external_id,
			observed_at = EXCLUDED.observed_at, version = EXCLUDED.version`,
		plat, user, name, bio, fol, fing, posts, avatar, verified, ext, at, ver)
	if err != nil {
		return fmt.Errorf("upsert %s: %w", table, err)
	}
	return nil
}

func writeFetchRuns(ctx context.Context, tx pgx.Tx, table string, runs []*events.FetchRunCompleted, versions []int64) error {
	if len(runs) == 0 {
		return nil
	}
	n := len(runs)
	id, cl, plat, host, errs := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	posts, ing, wd, likes, comments, fails := make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
	ok, start, end := make([]bool, n), make([]time.Time, n), make([]time.Time, n)
	for i, r := range runs {
		b, err := json.Marshal(append([]string{}, r.Errors...))
		if err != nil {
			return fmt.Errorf("encode errors of run %s: %w", r.RunID, err)
		}
		id[i], cl[i], plat[i], host[i], errs[i] = r.RunID, r.ClientID, r.Platform, r.HostUsed, string(b)
		posts[i], ing[i], wd[i], likes[i], comments[i], fails[i] = int32(r.Posts), int32(r.Ingested), int32(r.Withdrawn), int32(r.Likes), int32(r.Comments), int32(r.Failures)
		ok[i], start[i], end[i] = r.Succeeded, r.StartedAt, r.FinishedAt
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (run_id, client_id, platform, host_used, posts, ingested,
			withdrawn, likes, comments, failures, errors, succeeded, started_at, finished_at, version)
		SELECT u.id, u.cl, u.plat, u.host, u.posts, u.ing, u.wd, u.likes, u.comments, u.fails, u.errs::jsonb, u.ok, u.s, u.e, u.v
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[],
			$10::int[], $11::text[], $12::bool[], $13::timestamptz[], $14::timestamptz[], $15::bigint[])
			AS u(id, cl, plat, host, posts, ing, wd, likes, comments, fails, errs, ok, s, e, v)
		ON CONFLICT (run_id) DO NOTHING`,
		id, cl, plat, host, posts, ing, wd, likes, comments, fails, errs, ok, start, end, versions)
	if err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}

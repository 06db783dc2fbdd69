package projections

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cicero/cicero/events"
)

// ErrRebuildRunning: another process is rebuilding the same projection.
var ErrRebuildRunning = errors.New("a rebuild of this projection is already running")

const (
	shadowSuffix = "__rebuild"
	oldSuffix    = "__old"
	// rebuildBatch is the most events one replay transaction applies.
	rebuildBatch = 5000
	// swapGap is how far the shadow may trail the stream head before the
	// swap; the rest is caught up inside the swap transaction, while the
	// live runner waits.
	swapGap = 2000
)

// Rebuild replays a projection's whole history into fresh shadow tables
// (<table>__rebuild, created LIKE the live ones INCLUDING ALL) with the
// projection's own Apply, while the live tables keep serving reads and the
// live runner keeps applying. It then swaps them in one transaction: it
// locks the checkpoint rows (a live runner's next commit waits and, seeing
// the checkpoint moved, restarts from it), catches the shadow up to the
// live checkpoint or the stream head, whichever is further, renames live →
// <table>__old and shadow → live, drops the old tables, gives the indexes
// back their live names and sets the checkpoint to the shadow's position.
//
// progress, when not nil, is called after each batch with stream positions
// replayed so far and the stream heads. Projection tables must not own
// sequences (serial columns): the old table's sequence would be dropped.
func Rebuild(ctx context.Context, pool *pgxpool.Pool, store *events.Store, p Projection, progress func(done, total uint64)) error {
	name := p.Name()
	lock, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig)
	if err != nil {
		return fmt.Errorf("rebuild %s: connect: %w", name, err)
	}
	defer lock.Close(context.WithoutCancel(ctx))
	var ok bool
	if err := lock.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, "cicero.rebuild:"+name).Scan(&ok); err != nil {
		return fmt.Errorf("rebuild %s: lock: %w", name, err)
	}
	if !ok {
		return fmt.Errorf("rebuild %s: %w", name, ErrRebuildRunning)
	}
	// The shadow tables are new: nothing remembered about earlier ones holds.
	forget(p)
	defer forget(p)
	rb := &rebuilder{pool: pool, store: store, p: p, progress: progress,
		pos: map[string]uint64{}, heads: map[string]uint64{}, shadow: Tables{}}
	if err := ensureCheckpoints(ctx, pool, name, p.Streams()); err != nil {
		return err
	}
	renames, err := rb.createShadows(ctx)
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", name, err)
	}
	if err := rb.replayToHead(ctx); err != nil {
		rb.dropShadows(context.WithoutCancel(ctx))
		return fmt.Errorf("rebuild %s: %w", name, err)
	}
	if err := rb.swap(ctx, renames); err != nil {
		rb.dropShadows(context.WithoutCancel(ctx))
		return fmt.Errorf("rebuild %s: %w", name, err)
	}
	return nil
}

type rebuilder struct {
	pool     *pgxpool.Pool
	store    *events.Store
	p        Projection
	progress func(done, total uint64)
	shadow   Tables
	pos      map[string]uint64 // shadow's position per stream
	heads    map[string]uint64
}

// createShadows makes empty copies of the live tables and works out which
// shadow index takes which live index name after the swap.
func (rb *rebuilder) createShadows(ctx context.Context) (map[string]string, error) {
	renames := map[string]string{}
	for _, t := range rb.p.Tables() {
		s := t + shadowSuffix
		rb.shadow[t] = s
		live, err := tableIndexes(ctx, rb.pool, t)
		if err != nil {
			return nil, err
		}
		if _, err := rb.pool.Exec(ctx, `DROP TABLE IF EXISTS `+Ident(s)); err != nil {
			return nil, fmt.Errorf("drop stale shadow %s: %w", s, err)
		}
		if _, err := rb.pool.Exec(ctx, `CREATE TABLE `+Ident(s)+` (LIKE `+Ident(t)+` INCLUDING ALL)`); err != nil {
			return nil, fmt.Errorf("create shadow %s: %w", s, err)
		}
		if err := copyStorageOptions(ctx, rb.pool, t, s); err != nil {
			return nil, err
		}
		shadow, err := tableIndexes(ctx, rb.pool, s)
		if err != nil {
			return nil, err
		}
		for def, names := range shadow {
			for i, n := range names {
				if i < len(live[def]) {
					renames[n] = live[def][i]
				}
			}
		}
	}
	return renames, nil
}

func (rb *rebuilder) dropShadows(ctx context.Context) {
	for _, s := range rb.shadow {
		_, _ = rb.pool.Exec(ctx, `DROP TABLE IF EXISTS `+Ident(s))
	}
}

// copyStorageOptions gives the shadow the live table's storage parameters
// (fillfactor, autovacuum settings), which LIKE does not copy.
func copyStorageOptions(ctx context.Context, q db, live, shadow string) error {
	var opts []string
	if err := q.QueryRow(ctx, `SELECT coalesce(reloptions, '{}') FROM pg_class WHERE oid = $1::regclass`, Ident(live)).Scan(&opts); err != nil {
		return fmt.Errorf("storage options of %s: %w", live, err)
	}
	if len(opts) == 0 {
		return nil
	}
	if _, err := q.Exec(ctx, `ALTER TABLE `+Ident(shadow)+` SET (`+strings.Join(opts, ", ")+`)`); err != nil {
		return fmt.Errorf("storage options of %s: %w", shadow, err)
	}
	return nil
}

var indexDefHead = regexp.MustCompile(`^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ `)

// tableIndexes maps an index definition, without its name and table, to
// the names of the table's indexes with that definition.
func tableIndexes(ctx context.Context, q db, table string) (map[string][]string, error) {
	rows, err := q.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes
		WHERE schemaname = current_schema() AND tablename = $1 ORDER BY indexname`, table)
	if err != nil {
		return nil, fmt.Errorf("indexes of %s: %w", table, err)
	}
	out := map[string][]string{}
	for rows.Next() {
		var n, def string
		if err := rows.Scan(&n, &def); err != nil {
			return nil, fmt.Errorf("indexes of %s: %w", table, err)
		}
		key := indexDefHead.ReplaceAllString(def, "$1")
		out[key] = append(out[key], n)
	}
	return out, rows.Err()
}

// replayToHead fills the shadows up to the stream heads, then follows the
// heads until the gap is small enough to close inside the swap.
func (rb *rebuilder) replayToHead(ctx context.Context) error {
	for round := 0; ; round++ {
		behind := uint64(0)
		for _, s := range rb.p.Streams() {
			head, err := rb.store.StreamHead(ctx, s)
			if err != nil {
				return err
			}
			rb.heads[s] = max(rb.heads[s], head)
			behind += head - min(head, rb.pos[s])
		}
		if behind <= swapGap || round >= 5 {
			break
		}
		for _, s := range rb.p.Streams() {
			if err := rb.replay(ctx, nil, s, rb.heads[s]); err != nil {
				return err
			}
		}
	}
	for _, s := range rb.shadow {
		if _, err := rb.pool.Exec(ctx, `ANALYZE `+Ident(s)); err != nil {
			return fmt.Errorf("analyze %s: %w", s, err)
		}
	}
	return nil
}

// replay applies stream events after the shadow's position up to until into
// the shadows: in tx when given, else one transaction per batch.
func (rb *rebuilder) replay(ctx context.Context, tx pgx.Tx, stream string, until uint64) error {
	from := rb.pos[stream] + 1
	if until < from {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	in := make(chan message, rebuildBatch)
	var feedErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(in)
		feedErr = feed(ctx, rb.store.JetStream(), rb.store.Registry(), stream, from, until, rebuildBatch, in)
	})
	defer func() {
		cancel()
		wg.Wait()
	}()
	for {
		batch, err := collect(ctx, in, rebuildBatch, 20*time.Millisecond)
		if errors.Is(err, errFeedDone) {
			break
		}
		if err != nil {
			return err
		}
		if err := rb.applyBatch(ctx, tx, batch); err != nil {
			return err
		}
	}
	cancel()
	wg.Wait()
	if feedErr != nil {
		return feedErr
	}
	if rb.pos[stream] < until {
		return fmt.Errorf("replay %s stopped at %d before %d", stream, rb.pos[stream], until)
	}
	return nil
}

func (rb *rebuilder) applyBatch(ctx context.Context, tx pgx.Tx, batch []message) error {
	envs, last, _ := flatten(batch)
	own := tx == nil
	if own {
		var err error
		if tx, err = rb.pool.Begin(ctx); err != nil {
			return fmt.Errorf("begin replay batch: %w", err)
		}
		defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
		// A crash mid-rebuild throws the shadow away, so nothing here needs
		// to survive one.
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return fmt.Errorf("begin replay batch: %w", err)
		}
	}
	if len(envs) > 0 {
		if err := rb.p.Apply(ctx, tx, rb.shadow, envs); err != nil {
			return fmt.Errorf("replay %v: %w", last, err)
		}
	}
	if own {
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("commit replay batch: %w", err)
		}
		if rt, ok := rb.p.(Retainer); ok {
			rt.Committed()
		}
	}
	for s, p := range last {
		rb.pos[s] = p
		rb.heads[s] = max(rb.heads[s], p)
	}
	rb.report()
	return nil
}

func (rb *rebuilder) report() {
	if rb.progress == nil {
		return
	}
	var done, total uint64
	for _, s := range rb.p.Streams() {
		done += rb.pos[s]
		total += rb.heads[s]
	}
	rb.progress(done, total)
}

// swap closes the last gap and puts the shadows in place of the live tables.
func (rb *rebuilder) swap(ctx context.Context, renames map[string]string) error {
	name, streams := rb.p.Name(), rb.p.Streams()
	tx, err := rb.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin swap: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
	// Readers queue behind the renames; do not wait forever on a long one.
	if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '30s'`); err != nil {
		return fmt.Errorf("swap: %w", err)
	}
	live, err := readCheckpoints(ctx, tx, name, streams, true)
	if err != nil {
		return err
	}
	for _, s := range streams {
		head, err := rb.store.StreamHead(ctx, s)
		if err != nil {
			return err
		}
		target := max(live[s].pos, head)
		rb.heads[s] = max(rb.heads[s], target)
		if err := rb.replay(ctx, tx, s, target); err != nil {
			return fmt.Errorf("swap catch-up: %w", err)
		}
	}
	for _, t := range rb.p.Tables() {
		s, old := rb.shadow[t], t+oldSuffix
		for _, stmt := range []string{
			`ALTER TABLE ` + Ident(t) + ` RENAME TO ` + Ident(old),
			`ALTER TABLE ` + Ident(s) + ` RENAME TO ` + Ident(t),
			`DROP TABLE ` + Ident(old),
		} {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("swap %s: %w", t, err)
			}
		}
	}
	for from, to := range renames {
		if _, err := tx.Exec(ctx, `ALTER INDEX `+Ident(from)+` RENAME TO `+Ident(to)); err != nil {
			return fmt.Errorf("swap: rename index %s: %w", from, err)
		}
	}
	if _, err := writeCheckpoints(ctx, tx, name, rb.pos); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit swap: %w", err)
	}
	return nil
}

package importv2

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
)

// stream scans rows one by one and hands them to the importer's workers
// while the next ones are read: a large table (millions of likes) is
// never held in memory whole. The first failure stops the rest.
func stream[T any](ctx context.Context, im *Importer, rows pgx.Rows, scan func(pgx.Rows) (T, error), fn func(context.Context, T) error) error {
	defer rows.Close()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan T, im.opts.Concurrency*2)
	var wg sync.WaitGroup
	for range im.opts.Concurrency {
		wg.Go(func() {
			for item := range work {
				if ctx.Err() != nil {
					continue // drain
				}
				if err := fn(ctx, item); err != nil {
					cancel(err)
					continue
				}
				im.progress.Add(1)
			}
		})
	}
	var scanErr error
	for ctx.Err() == nil && rows.Next() {
		item, err := scan(rows)
		if err != nil {
			scanErr = err
			break
		}
		select {
		case work <- item:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	im.progress.Finish()
	switch {
	case context.Cause(ctx) != nil && ctx.Err() != nil:
		return context.Cause(ctx)
	case scanErr != nil:
		return scanErr
	}
	return rows.Err()
}

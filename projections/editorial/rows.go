package editorial

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

type eventRow struct {
	ID                   int64
	Fields               events.EditorialFields
	Status               string
	CreatedBy, UpdatedBy string
	CreatedAt            time.Time
	LastUpdate           time.Time
	Version              int64
}

type releaseRow struct {
	EventID   int64
	Fields    events.PressReleaseFields
	UpdatedBy string
	Version   int64
}

type approvalRow struct {
	ID, EventID          int64
	RequestedBy, Status  string
	Note, DecidedBy      string
	CreatedAt, UpdatedAt time.Time
	Version              int64
}

type logRow struct {
	ID, EventID    int64
	UserID, Status string
	Changes        string
	LoggedAt       time.Time
}

// load reads the rows a batch touches, once per table.
func load(ctx context.Context, tx pgx.Tx, t projections.Tables, eventIDs, requestIDs []int64) (*batch, error) {
	b := &batch{events: map[int64]*eventRow{}, releases: map[int64]*releaseRow{}, approvals: map[int64]*approvalRow{}}
	if err := b.loadEvents(ctx, tx, t[tEvents], eventIDs); err != nil {
		return nil, err
	}
	if err := b.loadApprovals(ctx, tx, t[tApprovals], requestIDs); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *batch) loadEvents(ctx context.Context, tx pgx.Tx, table string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT event_id, event_date, topic, coalesce(judul_berita, ''), coalesce(assignee, ''),
			status, coalesce(content, ''), coalesce(summary, ''), coalesce(image_path, ''), coalesce(tag, ''),
			coalesce(kategori, ''), created_by, updated_by, created_at, last_update, version
		FROM `+projections.Ident(table)+` WHERE event_id = ANY($1)`, uniq(ids))
	if err != nil {
		return fmt.Errorf("editorial: read events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r eventRow
		f := &r.Fields
		if err := rows.Scan(&r.ID, &f.EventDate, &f.Topic, &f.JudulBerita, &f.Assignee, &r.Status, &f.Content, &f.Summary,
			&f.ImagePath, &f.Tag, &f.Kategori, &r.CreatedBy, &r.UpdatedBy, &r.CreatedAt, &r.LastUpdate, &r.Version); err != nil {
			return fmt.Errorf("editorial: read events: %w", err)
		}
		b.events[r.ID] = &r
	}
	return rows.Err()
}

func (b *batch) loadApprovals(ctx context.Context, tx pgx.Tx, table string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT request_id, event_id, requested_by, status, coalesce(note, ''), coalesce(decided_by, ''),
			created_at, updated_at, version
		FROM `+projections.Ident(table)+` WHERE request_id = ANY($1)`, uniq(ids))
	if err != nil {
		return fmt.Errorf("editorial: read approvals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a approvalRow
		if err := rows.Scan(&a.ID, &a.EventID, &a.RequestedBy, &a.Status, &a.Note, &a.DecidedBy, &a.CreatedAt, &a.UpdatedAt, &a.Version); err != nil {
			return fmt.Errorf("editorial: read approvals: %w", err)
		}
		b.approvals[a.ID] = &a
	}
	return rows.Err()
}

func uniq(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// write stores the batch: one upsert per table, then the deletions.
func (b *batch) write(ctx context.Context, tx pgx.Tx, t projections.Tables) error {
	if err := b.writeEvents(ctx, tx, t[tEvents]); err != nil {
		return err
	}
	if err := b.writeReleases(ctx, tx, t[tReleases]); err != nil {
		return err
	}
	if err := b.writeApprovals(ctx, tx, t[tApprovals]); err != nil {
		return err
	}
	if err := b.writeLogs(ctx, tx, t[tLogs]); err != nil {
		return err
	}
	if len(b.deleted) == 0 {
		return nil
	}
	for _, table := range []string{t[tEvents], t[tReleases], t[tApprovals], t[tLogs]} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+projections.Ident(table)+` WHERE event_id = ANY($1)`, uniq(b.deleted)); err != nil {
			return fmt.Errorf("editorial: delete from %s: %w", table, err)
		}
	}
	return nil
}

func (b *batch) writeEvents(ctx context.Context, tx pgx.Tx, table string) error {
	ids := sortedKeys(b.events)
	if len(ids) == 0 {
		return nil
	}
	n := len(ids)
	var (
		date, created, last                     = make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
		topic, judul, assignee, status, content = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		summary, image, tag, kategori, cby, uby = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		version                                 = make([]int64, n)
	)
	for i, id := range ids {
		r := b.events[id]
		f := r.Fields
		date[i], created[i], last[i] = f.EventDate, r.CreatedAt, r.LastUpdate
		topic[i], judul[i], assignee[i], status[i], content[i] = f.Topic, f.JudulBerita, f.Assignee, r.Status, f.Content
		summary[i], image[i], tag[i], kategori[i], cby[i], uby[i] = f.Summary, f.ImagePath, f.Tag, f.Kategori, r.CreatedBy, r.UpdatedBy
		version[i] = r.Version
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (event_id, event_date, topic, judul_berita, assignee, status,
			content, summary, image_path, tag, kategori, created_by, updated_by, created_at, last_update, version)
		SELECT u.id, u.date, u.topic, NULLIF(u.judul, ''), NULLIF(u.assignee, ''), u.status, NULLIF(u.content, ''),
			NULLIF(u.summary, ''), NULLIF(u.image, ''), NULLIF(u.tag, ''), NULLIF(u.kategori, ''), u.cby, u.uby, u.created, u.last, u.version
		FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[], $15::timestamptz[], $16::bigint[])
			AS u(id, date, topic, judul, assignee, status, content, summary, image, tag, kategori, cby, uby, created, last, version)
		ON CONFLICT (event_id) DO UPDATE SET event_date = EXCLUDED.event_date, topic = EXCLUDED.topic,
			judul_berita = EXCLUDED.judul_berita, assignee = EXCLUDED.assignee, status = EXCLUDED.status,
			content = EXCLUDED.content, summary = EXCLUDED.summary, image_path = EXCLUDED.image_path, tag = EXCLUDED.tag,
			kategori = EXCLUDED.kategori, created_by = EXCLUDED.created_by, updated_by = EXCLUDED.updated_by,
			created_at = EXCLUDED.created_at, last_update = EXCLUDED.last_update, version = EXCLUDED.version`,
		ids, date, topic, judul, assignee, status, content, summary, image, tag, kategori, cby, uby, created, last, version)
	if err != nil {
		return fmt.Errorf("editorial: upsert %s: %w", table, err)
	}
	return nil
}

func (b *batch) writeReleases(ctx context.Context, tx pgx.Tx, table string) error {
	ids := sortedKeys(b.releases)
	if len(ids) == 0 {
		return nil
	}
	n := len(ids)
	cols := make([][]string, 11)
	for i := range cols {
		cols[i] = make([]string, n)
	}
	version := make([]int64, n)
	for i, id := range ids {
		r := b.releases[id]
		f := r.Fields
		for j, v := range []string{f.Judul, f.Dasar, f.Tersangka, f.TKP, f.Kronologi, f.Modus, f.BarangBukti, f.Pasal,
			f.Ancaman, f.Catatan, r.UpdatedBy} {
			cols[j][i] = v
		}
		version[i] = r.Version
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (event_id, judul, dasar, tersangka, tkp, kronologi,
			modus, barang_bukti, pasal, ancaman, catatan, updated_by, version)
		SELECT u.id, NULLIF(u.judul, ''), NULLIF(u.dasar, ''), NULLIF(u.tersangka, ''), NULLIF(u.tkp, ''),
			NULLIF(u.kronologi, ''), NULLIF(u.modus, ''), NULLIF(u.bb, ''), NULLIF(u.pasal, ''), NULLIF(u.ancaman, ''),
			NULLIF(u.catatan, ''), u.uby, u.version
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::text[], $12::text[], $13::bigint[])
			AS u(id, judul, dasar, tersangka, tkp, kronologi, modus, bb, pasal, ancaman, catatan, uby, version)
		ON CONFLICT (event_id) DO UPDATE SET judul = EXCLUDED.judul, dasar = EXCLUDED.dasar, tersangka = EXCLUDED.tersangka,
			tkp = EXCLUDED.tkp, kronologi = EXCLUDED.kronologi, modus = EXCLUDED.modus, barang_bukti = EXCLUDED.barang_bukti,
			pasal = EXCLUDED.pasal, ancaman = EXCLUDED.ancaman, catatan = EXCLUDED.catatan, updated_by = EXCLUDED.updated_by,
			version = EXCLUDED.version`,
		ids, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8], cols[9], cols[10], version)
	if err != nil {
		return fmt.Errorf("editorial: upsert %s: %w", table, err)
	}
	return nil
}

func (b *batch) writeApprovals(ctx context.Context, tx pgx.Tx, table string) error {
	ids := sortedKeys(b.approvals)
	if len(ids) == 0 {
		return nil
	}
	n := len(ids)
	var (
		event, version              = make([]int64, n), make([]int64, n)
		by, status, note, decidedBy = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		created, updated            = make([]time.Time, n), make([]time.Time, n)
	)
	for i, id := range ids {
		a := b.approvals[id]
		event[i], version[i], by[i], status[i], note[i], decidedBy[i] = a.EventID, a.Version, a.RequestedBy, a.Status, a.Note, a.DecidedBy
		created[i], updated[i] = a.CreatedAt, a.UpdatedAt
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (request_id, event_id, requested_by, status, note,
			decided_by, created_at, updated_at, version)
		SELECT u.id, u.event, u.by, u.status, NULLIF(u.note, ''), NULLIF(u.decided_by, ''), u.created, u.updated, u.version
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
			$8::timestamptz[], $9::bigint[]) AS u(id, event, by, status, note, decided_by, created, updated, version)
		ON CONFLICT (request_id) DO UPDATE SET event_id = EXCLUDED.event_id, requested_by = EXCLUDED.requested_by,
			status = EXCLUDED.status, note = EXCLUDED.note, decided_by = EXCLUDED.decided_by,
			created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, version = EXCLUDED.version`,
		ids, event, by, status, note, decidedBy, created, updated, version)
	if err != nil {
		return fmt.Errorf("editorial: upsert %s: %w", table, err)
	}
	return nil
}

func (b *batch) writeLogs(ctx context.Context, tx pgx.Tx, table string) error {
	if len(b.logs) == 0 {
		return nil
	}
	n := len(b.logs)
	var (
		id, event             = make([]int64, n), make([]int64, n)
		user, status, changes = make([]string, n), make([]string, n), make([]string, n)
		at                    = make([]time.Time, n)
	)
	for i, l := range b.logs {
		id[i], event[i], user[i], status[i], changes[i], at[i] = l.ID, l.EventID, l.UserID, l.Status, l.Changes, l.LoggedAt
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+projections.Ident(table)+` (log_id, event_id, user_id, status, changes, logged_at)
		SELECT u.id, u.event, u.user_id, NULLIF(u.status, ''), NULLIF(u.changes, ''), u.at
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
			AS u(id, event, user_id, status, changes, at)
		ON CONFLICT (log_id) DO NOTHING`, id, event, user, status, changes, at)
	if err != nil {
		return fmt.Errorf("editorial: insert %s: %w", table, err)
	}
	return nil
}

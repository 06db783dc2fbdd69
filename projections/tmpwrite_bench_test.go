package projections

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/internal/testkit"
)

func writePersonnelCopy(ctx context.Context, tx pgx.Tx, table string, set *rowSet[personRow]) error {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS personnel_stage (LIKE personnel) ON COMMIT DELETE ROWS`); err != nil {
		return err
	}
	rows := make([][]any, 0, len(set.order))
	for _, k := range set.order {
		r := set.rows[k]
		rows = append(rows, []any{r.UserID, r.Nama, r.Title, r.Divisi, r.Jabatan, r.Desa, r.ClientID, r.Insta, r.Tiktok, handleNorm(r.Insta), handleNorm(r.Tiktok),
			r.WhatsApp, r.Email, r.Status, r.Exception, r.OptIn, r.Roles, r.Version, r.CreatedAt, r.UpdatedAt})
	}
	cols := []string{"user_id", "nama", "title", "divisi", "jabatan", "desa", "client_id", "insta", "tiktok", "insta_norm", "tiktok_norm", "whatsapp", "email",
		"status", "exception", "wa_notification_opt_in", "roles", "version", "created_at", "updated_at"}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"personnel_stage"}, cols, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+ident(table)+` SELECT * FROM personnel_stage
		ON CONFLICT (user_id) DO UPDATE SET
			nama = EXCLUDED.nama, title = EXCLUDED.title, divisi = EXCLUDED.divisi, jabatan = EXCLUDED.jabatan,
			desa = EXCLUDED.desa, client_id = EXCLUDED.client_id, insta = EXCLUDED.insta, tiktok = EXCLUDED.tiktok,
			insta_norm = EXCLUDED.insta_norm, tiktok_norm = EXCLUDED.tiktok_norm, whatsapp = EXCLUDED.whatsapp,
			email = EXCLUDED.email, status = EXCLUDED.status, exception = EXCLUDED.exception,
			wa_notification_opt_in = EXCLUDED.wa_notification_opt_in, roles = EXCLUDED.roles,
			version = EXCLUDED.version, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`)
	return err
}

func BenchmarkTmpWritePersonnel(b *testing.B) {
	pool, _ := testkit.NewDatabase(b)
	ctx := context.Background()
	mk := func(round int) *rowSet[personRow] {
		set := newRowSetSized[personRow](5000)
		for i := range 5000 {
			k := fmt.Sprint(80000000 + (i*7+round*13)%20000)
			c := "POLRES_01"
			set.touch(k, true)
			set.rows[k] = &personRow{UserID: k, Nama: "PERSON " + k, Title: "BRIPDA", Divisi: "SAT", Jabatan: fmt.Sprint("J", round),
				ClientID: &c, Insta: fmt.Sprint("ig", i, "_", round%3), WhatsApp: "62812" + k, Status: true, Roles: []string{"operator"},
				Version: int64(round), CreatedAt: time.Now(), UpdatedAt: time.Now()}
		}
		return set
	}
	var tot [2]time.Duration
	for round := range 16 {
		set := mk(round)
		tx, _ := pool.Begin(ctx)
		tx.Exec(ctx, "SET LOCAL synchronous_commit = off")
		start := time.Now()
		var err error
		if round%2 == 0 {
			err = writePersonnel(ctx, tx, "personnel", set)
		} else {
			err = writePersonnelCopy(ctx, tx, "personnel", set)
		}
		if err != nil {
			b.Fatal(err)
		}
		tx.Commit(ctx)
		el := time.Since(start)
		if round >= 4 {
			tot[round%2] += el
		}
		b.Logf("round %d (%s): %v", round, []string{"unnest", "copy"}[round%2], el)
	}
	b.Logf("unnest %v copy %v", tot[0], tot[1])
}

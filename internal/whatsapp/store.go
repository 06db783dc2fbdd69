package whatsapp

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
)

// storeDialect is go.mau.fi/util/dbutil's name for Postgres (it accepts
// "postgres" and "pgx"); the connections are pgx's through database/sql.
const storeDialect = "postgres"

// Store is where the sessions' devices live: whatsmeow's own tables
// (whatsmeow_device, its signal sessions and keys) and whatsapp_devices,
// which says which device id holds which paired device.
type Store struct {
	pool      *pgxpool.Pool
	db        *sql.DB
	container *sqlstore.Container
}

// OpenStore opens the device store over pool and brings whatsmeow's tables
// to the library's version (whatsmeow's versioned upgrades, recorded in
// whatsmeow_version, as goose records ours: whatsmeow owns that schema).
func OpenStore(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (*Store, error) {
	db := stdlib.OpenDBFromPool(pool)
	c := sqlstore.NewWithDB(db, storeDialect, newLogger(log, "store"))
	if err := c.Upgrade(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("whatsapp device store: upgrade whatsmeow's tables: %w", err)
	}
	return &Store{pool: pool, db: db, container: c}, nil
}

// Close releases the database/sql handle (the pool stays open).
func (s *Store) Close() error { return s.db.Close() }

// Container is whatsmeow's device container.
func (s *Store) Container() *sqlstore.Container { return s.container }

// DeviceRow is a row of whatsapp_devices.
type DeviceRow struct {
	DeviceID, Session, State, LastDisconnectReason string
	JID                                            types.JID // empty: unpaired
	LastAuthFailureAt, PairedAt                    *time.Time
}

// Device returns the row of deviceID (ok false: never seen).
func (s *Store) Device(ctx context.Context, deviceID string) (DeviceRow, bool, error) {
	var r DeviceRow
	var jid *string
	err := s.pool.QueryRow(ctx, `SELECT device_id, session, jid, state, last_disconnect_reason, last_auth_failure_at, paired_at
		FROM whatsapp_devices WHERE device_id = $1`, deviceID).
		Scan(&r.DeviceID, &r.Session, &jid, &r.State, &r.LastDisconnectReason, &r.LastAuthFailureAt, &r.PairedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return DeviceRow{}, false, nil
	}
	if err != nil {
		return DeviceRow{}, false, fmt.Errorf("whatsapp device %s: %w", deviceID, err)
	}
	if jid != nil && *jid != "" {
		if r.JID, err = types.ParseJID(*jid); err != nil {
			return DeviceRow{}, false, fmt.Errorf("whatsapp device %s: stored jid: %w", deviceID, err)
		}
	}
	return r, true, nil
}

// SetPaired records that deviceID holds the paired device jid.
func (s *Store) SetPaired(ctx context.Context, deviceID, session string, jid types.JID, at time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO whatsapp_devices (device_id, session, jid, state, paired_at, updated_at)
		VALUES ($1, $2, $3, 'paired', $4, now())
		ON CONFLICT (device_id) DO UPDATE SET session = $2, jid = $3, state = 'paired', paired_at = $4, updated_at = now()`,
		deviceID, session, jid.String(), at)
	if err != nil {
		return fmt.Errorf("whatsapp device %s: save pairing: %w", deviceID, err)
	}
	return nil
}

// SetLoggedOut forgets deviceID's device (whatsmeow deleted it already).
func (s *Store) SetLoggedOut(ctx context.Context, deviceID, session, reason string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO whatsapp_devices (device_id, session, jid, state, last_disconnect_reason, last_auth_failure_at, updated_at)
		VALUES ($1, $2, NULL, 'logged_out', $3, $4, now())
		ON CONFLICT (device_id) DO UPDATE SET session = $2, jid = NULL, state = 'logged_out',
			last_disconnect_reason = $3, last_auth_failure_at = $4, updated_at = now()`,
		deviceID, session, reason, at)
	if err != nil {
		return fmt.Errorf("whatsapp device %s: save logout: %w", deviceID, err)
	}
	return nil
}

// SetState keeps the last state seen (ready, down) for a device row that
// exists; an unknown device id is left alone.
func (s *Store) SetState(ctx context.Context, deviceID, session, state, reason string, authFailureAt time.Time) error {
	var at *time.Time
	if !authFailureAt.IsZero() {
		at = &authFailureAt
	}
	_, err := s.pool.Exec(ctx, `UPDATE whatsapp_devices SET session = $2, state = $3, last_disconnect_reason = $4,
		last_auth_failure_at = COALESCE($5, last_auth_failure_at), updated_at = now() WHERE device_id = $1`,
		deviceID, session, state, reason, at)
	if err != nil {
		return fmt.Errorf("whatsapp device %s: save state: %w", deviceID, err)
	}
	return nil
}

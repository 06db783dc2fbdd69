package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/redis/go-redis/v9"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/config"
	"github.com/cicero/cicero/internal/natsembed"
	"github.com/cicero/cicero/internal/pgdb"
)

// deps are the connections a command needs. Close releases them in reverse.
type deps struct {
	nc     *nats.Conn
	server *natsembed.Server // nil when an external or already running server is used
	store  *events.Store
	pool   *pgxpool.Pool
	redis  *redis.Client
}

func (d *deps) Close() {
	if d.redis != nil {
		_ = d.redis.Close()
	}
	if d.pool != nil {
		d.pool.Close()
	}
	if d.nc != nil {
		// Flush then close (not Drain, which is asynchronous and would race
		// the embedded server's shutdown below).
		_ = d.nc.Flush()
		d.nc.Close()
	}
	if d.server != nil {
		d.server.Close()
	}
}

// openNATS connects to NATS_URL when set. Otherwise `serve` starts the
// embedded server listening on NATS_LISTEN, and other commands first try that
// address (a running serve) and only start an in-process server on DATA_DIR
// when nothing answers, so every CLI command works with or without serve.
// The embedded server admits only the user in DATA_DIR/nats.nk (created on
// first start), so CLI commands must share serve's DATA_DIR.
func openNATS(cfg config.Config, log *slog.Logger, serving bool) (*nats.Conn, *natsembed.Server, error) {
	if cfg.NATSURL != "" {
		nc, err := nats.Connect(cfg.NATSURL, nats.Name("cicero"), nats.MaxReconnects(-1), natsembed.LogErrors(log))
		if err != nil {
			return nil, nil, fmt.Errorf("connect NATS_URL: %w", err)
		}
		return nc, nil, nil
	}
	creds, err := natsembed.LoadOrCreateCredentials(cfg.DataDir)
	if err != nil {
		return nil, nil, err
	}
	if !serving {
		nc, err := nats.Connect("nats://"+cfg.NATSListen, nats.Name("cicero-cli"), nats.Timeout(time.Second), nats.NoReconnect(),
			creds.ConnectOption(), natsembed.LogErrors(log))
		if err == nil {
			log.Debug("using running cicero server", "addr", cfg.NATSListen)
			return nc, nil, nil
		}
		// Something answers but refuses us: starting a second server on
		// what may be the same DATA_DIR would be worse than stopping here.
		if errors.Is(err, nats.ErrAuthorization) {
			return nil, nil, fmt.Errorf("the server on NATS_LISTEN=%s refused the credentials in %s: run this command with the DATA_DIR of the running serve: %w",
				cfg.NATSListen, creds.Path(), err)
		}
	}
	listen := ""
	if serving {
		listen = cfg.NATSListen
	}
	srv, err := natsembed.Start(natsembed.Options{
		Name:         "cicero",
		Listen:       listen,
		StoreDir:     filepath.Join(cfg.DataDir, "jetstream"),
		SyncInterval: cfg.NATSSyncInterval,
		Credentials:  creds,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("embedded NATS (DATA_DIR=%s, NATS_LISTEN=%s): %w", cfg.DataDir, cfg.NATSListen, err)
	}
	nc, err := srv.Connect("cicero", natsembed.LogErrors(log))
	if err != nil {
		srv.Close()
		return nil, nil, fmt.Errorf("connect embedded NATS: %w", err)
	}
	return nc, srv, nil
}

// openDeps connects NATS (creating missing streams, refusing to start when
// existing ones differ from the configuration) and Postgres (creating the
// database and applying migrations); Redis only when withRedis.
func openDeps(ctx context.Context, cfg config.Config, log *slog.Logger, serving, withRedis bool) (*deps, error) {
	d := &deps{}
	var err error
	if d.nc, d.server, err = openNATS(cfg, log, serving); err != nil {
		return nil, err
	}
	if d.store, err = events.NewStore(d.nc, events.NewRegistry(), log, events.WithLoadCache(cfg.EventCache)); err != nil {
		d.Close()
		return nil, err
	}
	if err = ensureStreams(ctx, d.store.JetStream(), cfg, log); err != nil {
		d.Close()
		return nil, err
	}
	if err = pgdb.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		d.Close()
		return nil, err
	}
	if d.pool, err = pgdb.Open(ctx, cfg.DatabaseURL); err != nil {
		d.Close()
		return nil, err
	}
	if err = pgdb.Migrate(ctx, d.pool, log); err != nil {
		d.Close()
		return nil, err
	}
	if withRedis {
		opt, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("parse REDIS_URL: %w", err)
		}
		d.redis = redis.NewClient(opt)
		if err := d.redis.Ping(ctx).Err(); err != nil {
			d.Close()
			return nil, fmt.Errorf("connect redis: %w", err)
		}
	}
	return d, nil
}

#!/usr/bin/env bash
# Makes sure what Cicero needs on this machine is installed and running:
# PostgreSQL on 127.0.0.1:5432 (user postgres, trust on loopback) and Redis on
# 127.0.0.1:6379. Installs them with apt when missing, starts them when
# stopped. Idempotent; safe to run before every `make run` / `make test`.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

log() { printf 'services: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_up() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }

ensure_postgres() {
  if command -v pg_isready >/dev/null && pg_up; then
    return
  fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    log "installing PostgreSQL"
    apt_install postgresql postgresql-client
    # A fresh cluster asks for passwords on TCP; the local development
    # database trusts loopback, as the README documents.
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
      as_root sed -i -E 's/^(local\s+all\s+postgres\s+)\S+/\1trust/' "$hba"
    done
  fi
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  log "starting PostgreSQL $ver"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start || as_root pg_ctlcluster "$ver" main start || true
  for _ in $(seq 1 60); do pg_up && return; sleep 0.5; done
  log "PostgreSQL did not come up on $PGHOST:$PGPORT"; exit 1
}

redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

ensure_redis() {
  if command -v redis-cli >/dev/null && redis_up; then
    return
  fi
  if ! command -v redis-server >/dev/null; then
    log "installing Redis"
    apt_install redis-server
  fi
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/cicero.log
  for _ in $(seq 1 40); do redis_up && return; sleep 0.25; done
  log "Redis did not come up on 127.0.0.1:$REDIS_PORT"; exit 1
}

ensure_go() {
  if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
    export PATH=$PATH:/usr/local/go/bin
  fi
  command -v go >/dev/null || { log "Go is not installed (need 1.26+): https://go.dev/doc/install"; exit 1; }
}

# The test suite runs two packages at once, each with several servers and
# pools, plus an import that opens two databases: Debian's default of 100
# connections runs out under that load. Raised once (a restart), only on a
# local server the script manages.
PG_MIN_CONNECTIONS=${PG_MIN_CONNECTIONS:-300}
ensure_pg_connections() {
  [ "$PGHOST" = 127.0.0.1 ] || return 0
  cur=$(psql -qAt -h "$PGHOST" -p "$PGPORT" -U postgres -c 'SHOW max_connections' 2>/dev/null || echo 0)
  [ "${cur:-0}" -ge "$PG_MIN_CONNECTIONS" ] && return 0
  ls /etc/postgresql/*/main >/dev/null 2>&1 || return 0
  log "raising PostgreSQL max_connections from $cur to $PG_MIN_CONNECTIONS (restart)"
  psql -q -h "$PGHOST" -p "$PGPORT" -U postgres -c "ALTER SYSTEM SET max_connections = $PG_MIN_CONNECTIONS" >/dev/null
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main restart || as_root pg_ctlcluster "$ver" main restart || true
  for _ in $(seq 1 60); do pg_up && return; sleep 0.5; done
  log "PostgreSQL did not come back on $PGHOST:$PGPORT"; exit 1
}

ensure_go
ensure_postgres
ensure_pg_connections
ensure_redis
log "PostgreSQL and Redis are up"

#!/usr/bin/env bash
# Measures `cicero seed-demo` against the `make run` setup: the embedded
# JetStream, local Postgres and Redis, with serve running so the read models
# are built as the seed goes (seed-demo waits for them). A fresh DATA_DIR and
# database are made for the run and removed afterwards.
#
#   scripts/bench-seed.sh                      # full size: 10000 personnel, 3000 posts, 3M engagements
#   scripts/bench-seed.sh --posts 100 --engagements 50000 --personnel 500
#
# Prints seed-demo's summary, its wall time and peak RSS (/usr/bin/time -v),
# and serve's peak RSS (VmHWM) at the end. RERUN=1 runs the same seed a
# second time (it must append nothing) and times that too.
set -euo pipefail
cd "$(dirname "$0")/.."

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--personnel 10000 --posts 3000 --engagements 3000000 --concurrency 16)
fi

export PATH=$PATH:/usr/local/go/bin
go build -o bin/cicero ./cmd/cicero

run_id="bench_seed_$(date +%s)_$$"
data=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
export DATA_DIR=$data
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${run_id}?sslmode=disable"
export NATS_LISTEN="127.0.0.1:$((port + 1))"
export PORT=$port
export JWT_SECRET=bench-seed-secret
export LOG_LEVEL=${LOG_LEVEL:-warn}

serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ]; then
    kill "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS ${run_id} WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

./bin/cicero serve >"$data/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "serve did not become ready:"; cat "$data/serve.log"; exit 1; }

seed() {
  echo "seed-demo ${args[*]}"
  /usr/bin/time -v ./bin/cicero seed-demo -q --wait 30m "${args[@]}" 2>"$data/time.txt"
  wall=$(grep 'Elapsed (wall clock)' "$data/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$data/time.txt" | awk '{print $NF}')
  echo "seed-demo wall time ${wall} (seeding and waiting for the read models), peak RSS $((rss / 1024)) MiB"
}
seed
if [ "${RERUN:-0}" = 1 ]; then
  echo "--- again, same seed"
  seed
fi
serve_rss=$(awk '/VmHWM/ {print $2}' "/proc/$serve_pid/status")
echo "serve peak RSS $((serve_rss / 1024)) MiB (embedded JetStream, projections)"

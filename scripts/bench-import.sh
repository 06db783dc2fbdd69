#!/usr/bin/env bash
# Measures `cicero import-v2` on an old Cicero_V2 database at the scale of
# SPEC.md §8 (10,000 personnel, 3,000 Instagram posts with 3,000,000 likes,
# 1,000 TikTok posts with 500,000 comments), built with SQL in a fresh
# database, into a fresh Cicero (embedded JetStream, fresh database).
# Prints the import's summary, wall time, events/s and peak RSS, then times
# a second and a third run over the unchanged database (they must append
# nothing).
#
#   scripts/bench-import.sh                          # full size
#   PERSONNEL=500 POSTS=100 LIKES=100 TIKTOK=50 COMMENTS=50 scripts/bench-import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
go build -o bin/cicero ./cmd/cicero

run_id="bench_import_$(date +%s)_$$"
old_db="${run_id}_old"
data=$(mktemp -d)
export DATA_DIR=$data
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${run_id}?sslmode=disable"
export NATS_LISTEN="127.0.0.1:$((20000 + RANDOM % 10000))"
export JWT_SECRET=bench-import-secret
export LOG_LEVEL=${LOG_LEVEL:-warn}
cleanup() {
  for db in "$run_id" "$old_db"; do
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS ${db} WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$data"
}
trap cleanup EXIT

psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE ${old_db}" >/dev/null
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE ${run_id}" >/dev/null
echo "building the old database …"
start=$(date +%s)
psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d "$old_db" -f internal/importv2/v2fixture/schema.sql >/dev/null
psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d "$old_db" \
  -v personnel="${PERSONNEL:-10000}" -v posts="${POSTS:-3000}" -v likes="${LIKES:-1000}" \
  -v tiktok="${TIKTOK:-1000}" -v comments="${COMMENTS:-500}" -f internal/importv2/v2fixture/scale.sql >/dev/null
echo "old database built in $(( $(date +%s) - start )) s"
./bin/cicero migrate >/dev/null

from="postgres://postgres@127.0.0.1:5432/${old_db}?sslmode=disable"
import() {
  /usr/bin/time -v ./bin/cicero import-v2 -q --wait 0 --concurrency "${CONCURRENCY:-16}" --from "$from" 2>"$data/time.txt"
  wall=$(grep 'Elapsed (wall clock)' "$data/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$data/time.txt" | awk '{print $NF}')
  echo "import-v2 $1: wall time ${wall}, peak RSS $((rss / 1024)) MiB"
}
import "first run"
import "second run (no change)"
# The second run re-decides each post's role tags once (the likes the
# first run recorded moved the post's version, which names that command);
# a third shows a rerun in the steady state of a cut-over.
import "third run (no change)"

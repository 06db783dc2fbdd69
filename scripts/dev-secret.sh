#!/usr/bin/env bash
# Prints a JWT secret for local `make run`: made once from /dev/urandom and
# kept (mode 600) under DATA_DIR, so sessions survive restarts. Production
# sets JWT_SECRET in the environment instead.
set -euo pipefail
dir=${DATA_DIR:-./data}
f="$dir/dev-jwt-secret"
if [ ! -s "$f" ]; then
  mkdir -p "$dir"
  umask 077
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$f"
fi
cat "$f"

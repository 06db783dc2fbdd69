#!/usr/bin/env bash
# Makes sure a headless browser for the browser tests (cmd/cicero
# TestOpsPage, driven by chromedp) is installed: Debian's chromium, with apt
# when missing. Idempotent; `make test` runs it.
set -euo pipefail
log() { printf 'browser: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null; then exit 0; fi
done
log "installing chromium"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null || { log "chromium did not install"; exit 1; }

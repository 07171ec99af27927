#!/usr/bin/env bash
# Serves Renkei for the end-to-end tests: a fresh SQLite database with reference
# and demo data, on the port given as $1. Needs RENKEI_BIN (the built binary) and
# RENKEI_SITE_ROOT (the built site with pkg/).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3100}"
dir="$(mktemp -d "${TMPDIR:-/tmp}/renkei-e2e.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
export RENKEI_DATA_DIR="$dir"
unset RENKEI_DATABASE_URL
export RENKEI_ADDR="127.0.0.1:${port}"
"${RENKEI_BIN:?RENKEI_BIN must name the built renkei binary}" seed --demo >&2
"$RENKEI_BIN" serve

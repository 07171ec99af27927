#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the test suites and prints
# the URL to use as TEST_POSTGRES_URL. Installs Debian's postgresql if missing.
# Idempotent: a server already running in the data directory is reused.
set -euo pipefail

PGPORT="${RENKEI_TEST_PGPORT:-55432}"
PGDATA="${RENKEI_TEST_PGDATA:-/tmp/renkei-test-pg}"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ]; then
  echo "installing postgresql from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN="$(pg_bin)"

# PostgreSQL refuses to run as root; use the postgres account when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres: "$PGDATA"
  chmod 700 "$PGDATA"
fi

if [ ! -f "$PGDATA/PG_VERSION" ]; then
  as_pg "$BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

if ! as_pg "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  # fsync off: this server only ever holds test databases.
  as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start >/dev/null
fi

echo "postgres://postgres@127.0.0.1:${PGPORT}/postgres"

#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster and creates the costcast role and database, idempotently;
# installs PostgreSQL with apt-get when pg_ctlcluster is missing. Run as root. Prints the URL
# to use as TEST_DATABASE_URL / DATABASE_URL on its last line of standard output.
set -euo pipefail

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  log "installing postgresql with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  log "creating cluster $version main"
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  log "starting cluster $version main"
  pg_ctlcluster "$version" main start >&2
fi

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }

for _ in $(seq 1 30); do
  if su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432"; then break; fi
  sleep 1
done

if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = 'costcast'")" != "1" ]; then
  log "creating role costcast"
  psql_admin "CREATE ROLE costcast LOGIN SUPERUSER PASSWORD 'costcast'"
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = 'costcast'")" != "1" ]; then
  log "creating database costcast"
  su postgres -c "createdb -O costcast costcast"
fi

echo "postgres://costcast:costcast@127.0.0.1:5432/costcast"

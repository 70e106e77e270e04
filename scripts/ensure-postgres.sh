#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with a `postgres` role the tests can use.
# Starts the Debian cluster if it is installed but stopped; installs it if missing (root only). Fails loudly.
set -euo pipefail

answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 || ! answers; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "PostgreSQL is not installed; install postgresql and start it." >&2
      exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "Starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do answers && break; sleep 1; done
fi
if ! answers; then
  echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
  exit 1
fi
# Tests connect as postgres over TCP; make sure that works (trust auth on this machine, or PGPASSWORD).
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1; then
  echo "Cannot connect to PostgreSQL as postgres on 127.0.0.1 (set PG_URL in the environment)." >&2
  exit 1
fi
echo "PostgreSQL is up"

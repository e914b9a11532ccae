#!/usr/bin/env bash
# `make test`: install what the suite needs, then run it on SQLite and on PostgreSQL.
# Usage: scripts/test.sh [sqlite|postgres] [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

which_dbs="${1:-both}"
[ $# -gt 0 ] && shift

scripts/bootstrap.sh

# System packages: Debian's Chromium for the browser tests, Pango and fonts for WeasyPrint (Noto
# for the Arabic-script and Ethiopic letters to guardians), gettext for the translation check, Go
# and golang.org/x/mod for the independent log verifier (tests/interop). Installed only when
# missing.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
for pkg in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core golang-go \
           golang-golang-x-mod-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "test: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

PYTEST=(.venv/bin/python -m pytest -n 2 --dist loadfile -q)
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"
export LAGET_REQUIRE_GO=1  # the Go verifier test fails rather than skips without Go

run_sqlite() {
  echo "== tests on SQLite" >&2
  env -u DATABASE_URL "${PYTEST[@]}" -m "not postgres_only and not browser" "$@"
}

run_postgres() {
  echo "== tests on PostgreSQL" >&2
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  psql -q -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'laget') THEN
    CREATE ROLE laget LOGIN CREATEDB PASSWORD 'laget';
  ELSE
    ALTER ROLE laget LOGIN CREATEDB;
  END IF;
END $$;
SQL
  psql -q -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'laget'" \
    | grep -q 1 || psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE laget OWNER laget"
  DATABASE_URL="${TEST_DATABASE_URL:-postgres://laget:laget@127.0.0.1:5432/laget}" "${PYTEST[@]}" "$@"
}

case "$which_dbs" in
  sqlite) run_sqlite "$@" ;;
  postgres) run_postgres "$@" ;;
  # The second run repeats only the tests that touch the database (conftest.py): the others
  # cannot answer differently on PostgreSQL.
  both) run_sqlite "$@"; LAGET_DB_TESTS_ONLY=1 run_postgres "$@" ;;
  *) echo "test: unknown database '$which_dbs' (sqlite, postgres)" >&2; exit 2 ;;
esac

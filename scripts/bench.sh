#!/usr/bin/env bash
# `make bench`: run the benchmarks listed in bench/README.md against their own PostgreSQL database
# (`laget_bench`, created and migrated here; each benchmark seeds it with `seed_scale` when it is
# not already seeded at the size it needs, and keeps it for the next run). The notification
# benchmark has a database of its own (`laget_bench_notify`): it writes registrations, concerns
# and a task queue that must not land in the scale seed the others read.
# Usage: scripts/bench.sh [arguments for every benchmark, e.g. --iterations 50]
#        LAGET_BENCH_ONLY=audit scripts/bench.sh [its arguments]   (one benchmark: bench_audit.py)
#        LAGET_BENCH_ONLY=notify LAGET_BENCH_NOTIFY_SECONDS=10 scripts/bench.sh   (a short run)
set -euo pipefail
cd "$(dirname "$0")/.."

shopt -s nullglob
benches=(bench/bench_${LAGET_BENCH_ONLY:-*}.py)
if [ ${#benches[@]} -eq 0 ]; then
  echo "bench: no benchmarks yet (see bench/README.md)" >&2
  exit 1
fi

# PostgreSQL: the local cluster, the laget role (as scripts/test.sh), and the bench database.
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
bench_db() {
  case "$1" in
    bench/bench_notify.py) echo "${LAGET_BENCH_NOTIFY_DB:-laget_bench_notify}" ;;
    *) echo "${LAGET_BENCH_DB:-laget_bench}" ;;
  esac
}

# Synthetic data only, production settings otherwise (DEBUG off, reviewed-rules-only).
export LAGET_ALLOW_SYNTHETIC_IDS=1 DEBUG=0
export SECRET_KEY="${SECRET_KEY:-laget-bench-only-secret-key-not-for-any-deployment-0123456789}"
export LAGET_VAR_DIR="${LAGET_VAR_DIR:-$(mktemp -d -t laget-bench-var-XXXXXX)}"

migrated=" "
for bench in "${benches[@]}"; do
  BENCH_DB="$(bench_db "$bench")"
  if [[ "$migrated" != *" $BENCH_DB "* ]]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'" \
      | grep -q 1 || psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $BENCH_DB OWNER laget"
    DATABASE_URL="postgres://laget:laget@127.0.0.1:5432/$BENCH_DB" \
      .venv/bin/python manage.py migrate --no-input -v0
    migrated+="$BENCH_DB "
  fi
  echo "== $bench" >&2
  DATABASE_URL="postgres://laget:laget@127.0.0.1:5432/$BENCH_DB" .venv/bin/python "$bench" "$@"
done

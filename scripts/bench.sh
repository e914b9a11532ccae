#!/usr/bin/env bash
# `make bench`: run the benchmarks listed in bench/README.md against their own PostgreSQL database
# (`laget_bench`, created and migrated here; each benchmark seeds it with `seed_scale` when it is
# not already seeded at the size it needs, and keeps it for the next run).
# Usage: scripts/bench.sh [arguments for every benchmark, e.g. --iterations 50]
#        LAGET_BENCH_ONLY=audit scripts/bench.sh [its arguments]   (one benchmark: bench_audit.py)
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
BENCH_DB="${LAGET_BENCH_DB:-laget_bench}"
psql -q -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'" \
  | grep -q 1 || psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $BENCH_DB OWNER laget"

# Synthetic data only, production settings otherwise (DEBUG off, reviewed-rules-only).
export DATABASE_URL="postgres://laget:laget@127.0.0.1:5432/$BENCH_DB"
export LAGET_ALLOW_SYNTHETIC_IDS=1 DEBUG=0
export SECRET_KEY="${SECRET_KEY:-laget-bench-only-secret-key-not-for-any-deployment-0123456789}"
export LAGET_VAR_DIR="${LAGET_VAR_DIR:-$(mktemp -d -t laget-bench-var-XXXXXX)}"
.venv/bin/python manage.py migrate --no-input -v0

for bench in "${benches[@]}"; do
  echo "== $bench" >&2
  .venv/bin/python "$bench" "$@"
done

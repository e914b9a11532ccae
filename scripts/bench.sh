#!/usr/bin/env bash
# `make bench`: run the benchmarks listed in bench/README.md against their own PostgreSQL database
# (`laget_bench`, created and migrated here; each benchmark seeds it with `seed_scale` when it is
# not already seeded at the size it needs, and keeps it for the next run). The notification
# benchmark has a database of its own (`laget_bench_notify`): it writes registrations, concerns
# and a task queue that must not land in the scale seed the others read.
# Usage: scripts/bench.sh [arguments for every benchmark, e.g. --iterations 50]
#        scripts/bench.sh --quick   (make bench QUICK=1: every benchmark reduced, under 5 minutes,
#                                    on `laget_bench_quick` seeded with `seed_scale --small`;
#                                    figures to bench/results-quick.json, not the committed ones)
#        LAGET_BENCH_ONLY=audit scripts/bench.sh [its arguments]   (one benchmark: bench_audit.py)
#        LAGET_BENCH_ONLY=notify LAGET_BENCH_NOTIFY_SECONDS=10 scripts/bench.sh   (a short run)
#        LAGET_BENCH_ONLY=seed scripts/bench.sh   (time the full seed again, in a scratch database)
#        LAGET_BENCH_ONLY=sqlite scripts/bench.sh   (SQLite beside PostgreSQL at the small size:
#                                                   `laget_bench_small`, no city-scale template)
#        LAGET_BENCH_RESEED=1 scripts/bench.sh   (seed the template again; drop laget_bench first
#                                                  to have it cloned from the new one)
# The full data (seed_scale at city scale, the workflow, the services, 10 M audit events) is
# seeded once into `laget_bench_template` by bench/bench_seed.py (which records seed.full_s), and
# the bench database, when missing, is cloned from it (CREATE DATABASE … TEMPLATE, seconds).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
args=()
for arg in "$@"; do
  if [ "$arg" = --quick ]; then quick=1; else args+=("$arg"); fi
done

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
if [ "$quick" = 1 ]; then
  main_db="${LAGET_BENCH_DB:-laget_bench_quick}"
  notify_db="${LAGET_BENCH_NOTIFY_DB:-laget_bench_quick_notify}"
else
  main_db="${LAGET_BENCH_DB:-laget_bench}"
  notify_db="${LAGET_BENCH_NOTIFY_DB:-laget_bench_notify}"
fi
template_db="${LAGET_BENCH_TEMPLATE_DB:-laget_bench_template}"
seed_db="${LAGET_BENCH_SEED_DB:-laget_bench_seed}"
# SQLite beside PostgreSQL at the small seed's size (bench_sqlite.py): a small database of its
# own, kept; the quick run's database is small already.
small_db="${LAGET_BENCH_SMALL_DB:-${main_db}_small}"
if [ "$quick" = 1 ]; then small_db="$main_db"; fi
bench_db() {
  case "$1" in
    bench/bench_notify.py) echo "$notify_db" ;;
    bench/bench_seed.py) echo "$seed_db" ;;
    bench/bench_sqlite.py) echo "$small_db" ;;
    *) echo "$main_db" ;;
  esac
}

# Synthetic data only, production settings otherwise (DEBUG off, reviewed-rules-only).
export LAGET_ALLOW_SYNTHETIC_IDS=1 DEBUG=0
export SECRET_KEY="${SECRET_KEY:-laget-bench-only-secret-key-not-for-any-deployment-0123456789}"
export LAGET_VAR_DIR="${LAGET_VAR_DIR:-$(mktemp -d -t laget-bench-var-XXXXXX)}"

migrated=" "
migrate() {
  if [[ "$migrated" != *" $1 "* ]]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$1'" \
      | grep -q 1 || psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $1 OWNER laget"
    DATABASE_URL="postgres://laget:laget@127.0.0.1:5432/$1" \
      .venv/bin/python manage.py migrate --no-input -v0
    migrated+="$1 "
  fi
}

if [ "$quick" = 1 ]; then
  # The small seed with the cases' workflow, once (a second run finds it and changes nothing);
  # every benchmark then runs with --quick (its own reduced defaults, bench/results-quick.json).
  migrate "$main_db"
  # The SMS benchmark's database: a copy of the migrated one (a second migrate takes a minute).
  psql -q -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$notify_db'" \
    | grep -q 1 || psql -q -h 127.0.0.1 -U postgres -d postgres \
      -c "CREATE DATABASE $notify_db TEMPLATE $main_db OWNER laget"
  # No audit events from seed_scale (where it has --audit-events): the audit benchmark fills the
  # log itself, signed with its own key.
  seed=(--small --workflow)
  if grep -q -- '--audit-events' laget/demo/management/commands/seed_scale.py; then
    seed+=(--audit-events 0)
  fi
  echo "== seed_scale ${seed[*]} ($main_db)" >&2
  DATABASE_URL="postgres://laget:laget@127.0.0.1:5432/$main_db" \
    .venv/bin/python manage.py seed_scale "${seed[@]}" --skip-checks
  echo "== $main_db migrated and seeded: $SECONDS s" >&2
  args=(--quick "${args[@]}")
fi

db_exists() {
  psql -q -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$1'" \
    | grep -q 1
}
drop_db() {  # a template must stop being one before it can be dropped
  if db_exists "$1"; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "ALTER DATABASE $1 IS_TEMPLATE false" \
      -c "DROP DATABASE $1"
  fi
}
# The benchmarks that read the city-scale bench database; the others have databases of their own.
needs_city=0
for bench in "${benches[@]}"; do
  case "$bench" in bench/bench_seed.py|bench/bench_sqlite.py) ;; *) needs_city=1 ;; esac
done
if [ "$quick" = 0 ] && [ "$needs_city" = 1 ]; then
  # The template: seeded once (into a database of its own name + _building, renamed when done,
  # so that an interrupted seed is never taken for a template), then kept.
  if [ "${LAGET_BENCH_RESEED:-0}" = 1 ]; then drop_db "$template_db"; fi
  if ! db_exists "$template_db"; then
    drop_db "${template_db}_building"
    migrate "${template_db}_building"
    echo "== bench/bench_seed.py (building $template_db)" >&2
    DATABASE_URL="postgres://laget:laget@127.0.0.1:5432/${template_db}_building" \
      .venv/bin/python bench/bench_seed.py "${args[@]}"
    psql -q -h 127.0.0.1 -U postgres -d postgres \
      -c "ALTER DATABASE ${template_db}_building RENAME TO $template_db" \
      -c "ALTER DATABASE $template_db IS_TEMPLATE true"
  fi
  if ! db_exists "$main_db"; then
    echo "== $main_db: cloned from $template_db" >&2
    psql -q -h 127.0.0.1 -U postgres -d postgres \
      -c "CREATE DATABASE $main_db TEMPLATE $template_db STRATEGY FILE_COPY OWNER laget"
  fi
fi

for bench in "${benches[@]}"; do
  if [ "$bench" = bench/bench_seed.py ]; then
    if [ "${LAGET_BENCH_ONLY:-}" != seed ]; then
      echo "== $bench: runs when the template is built (LAGET_BENCH_ONLY=seed to time it again)" >&2
      continue
    fi
    drop_db "$seed_db"  # a scratch database: empty and migrated, dropped afterwards
  fi
  if [ "$quick" = 1 ] && [ "$bench" = bench/bench_sqlite.py ] && [ -z "${LAGET_BENCH_ONLY:-}" ]; then
    echo "== $bench: skipped in the quick run of every benchmark (about a minute more, two the" \
      "first time); LAGET_BENCH_ONLY=sqlite scripts/bench.sh --quick runs it" >&2
    continue
  fi
  if [ "$quick" = 1 ] && ! grep -qE -- 'parse_arguments\(|--quick' "$bench"; then
    echo "== $bench: skipped, it has no --quick mode" >&2
    continue
  fi
  BENCH_DB="$(bench_db "$bench")"
  migrate "$BENCH_DB"
  echo "== $bench" >&2
  started=$SECONDS
  DATABASE_URL="postgres://laget:laget@127.0.0.1:5432/$BENCH_DB" .venv/bin/python "$bench" "${args[@]}"
  echo "== $bench: $((SECONDS - started)) s" >&2
  if [ "$bench" = bench/bench_seed.py ]; then drop_db "$seed_db"; fi
done
echo "bench: $SECONDS s in all" >&2

# The figures as a table: into bench/README.md after a full run, on the terminal after a quick one.
if [ "$quick" = 1 ]; then
  .venv/bin/python bench/report.py --results bench/results-quick.json --print
else
  .venv/bin/python bench/report.py
fi

#!/usr/bin/env bash
# `make demo`: Laget with synthetic Oslo on SQLite — web server, task worker, scheduler and the
# audit log's sequencer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --no-dev

export DEBUG=1 LAGET_DEMO=1 LAGET_ALLOW_SYNTHETIC_IDS=1
export LAGET_VAR_DIR="${LAGET_VAR_DIR:-$PWD/var}"
PORT="${PORT:-8000}"
mkdir -p "$LAGET_VAR_DIR"
PY=.venv/bin/python

$PY manage.py migrate --no-input -v0
$PY manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Laget stopped."
}
trap cleanup INT TERM EXIT

$PY manage.py db_worker --no-reload --interval 1 -v0 & pids+=($!)
$PY manage.py scheduler -v0 & pids+=($!)
$PY manage.py audit -v 0 sequencer & pids+=($!)
$PY manage.py runserver "127.0.0.1:$PORT" --noreload --skip-checks & pids+=($!)

for _ in $(seq 1 50); do
  if $PY -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/tilgjengelighet/', timeout=1)" 2>/dev/null; then break; fi
  sleep 0.2
done
echo
echo "Laget is running at http://127.0.0.1:$PORT/  (log in as e.g. koordinator.stovner)"
echo "The audit log: http://127.0.0.1:$PORT/log/checkpoint (key at /log/key, tiles under /log/tile/)"
echo "Press Ctrl-C to stop the server, the worker, the scheduler and the log sequencer."
wait -n "${pids[@]}"

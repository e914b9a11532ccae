#!/usr/bin/env bash
# `make bench`: run the benchmarks listed in bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
benches=(bench/bench_*.py)
if [ ${#benches[@]} -eq 0 ]; then
  echo "bench: no benchmarks yet (see bench/README.md)" >&2
  exit 1
fi
for bench in "${benches[@]}"; do .venv/bin/python "$bench"; done

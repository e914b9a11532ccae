#!/usr/bin/env bash
# Create or update the virtual environment with uv from the committed uv.lock (Python 3.13,
# never downloaded). Safe to run again; prints nothing on success unless something changed.
set -euo pipefail
cd "$(dirname "$0")/.."

export UV_PYTHON_DOWNLOADS=never
export PYENV_VERSION="${PYENV_VERSION:-3.13.0:3.11.7}"

find_python() {
  for candidate in "${LAGET_PYTHON:-}" /root/.pyenv/versions/3.13.*/bin/python3.13 \
      "$(command -v python3.13 || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

PYTHON="$(find_python)" || { echo "bootstrap: Python 3.13 not found (set LAGET_PYTHON)" >&2; exit 2; }

if ! command -v uv >/dev/null 2>&1; then
  echo "bootstrap: installing uv with pip" >&2
  "$PYTHON" -m pip install --quiet --disable-pip-version-check uv || python3 -m pip install --quiet uv
  hash -r
fi
UV="$(command -v uv || true)"
for candidate in "$(dirname "$PYTHON")/uv" "$("$PYTHON" -m site --user-base)/bin/uv"; do
  if [ -z "$UV" ] && [ -x "$candidate" ]; then UV="$candidate"; fi
done
[ -n "$UV" ] || { echo "bootstrap: uv not found after installing it" >&2; exit 2; }

"$UV" sync --frozen --quiet --python "$PYTHON" "$@"

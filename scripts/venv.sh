#!/usr/bin/env bash
# Creates .venv with the pinned requirements (Python 3.10+). Idempotent: reinstalls only when
# requirements.txt or requirements-dev.txt changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${NORMLAB_VENV:-.venv}

python=""
for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11 python3.10 python; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
    python=$candidate; break
  fi
done
if [ -z "$python" ]; then
  echo "venv: NormLab needs Python 3.10 or newer (python3 on PATH is $(python3 --version 2>&1 || echo missing))." >&2
  echo "      Install one (apt-get install python3 python3-venv, conda, or pyenv), or set PYTHON=/path/to/python3." >&2
  exit 1
fi

stamp="$VENV/.normlab-requirements.sha256"
want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "venv: creating $VENV with $($python --version)"
  if ! "$python" -m venv "$VENV"; then
    echo "venv: '$python -m venv' failed; on Debian/Ubuntu install python3-venv (apt-get install python3-venv)." >&2
    exit 1
  fi
fi
echo "venv: installing requirements-dev.txt into $VENV"
"$VENV/bin/python" -m pip install --disable-pip-version-check -q -r requirements-dev.txt
echo "$want" > "$stamp"

#!/usr/bin/env bash
# Everything a fresh machine needs: Debian packages, the venv, uaap and its pinned dependencies.
#
#   scripts/setup.sh [VENV]     (default .venv)
#
# Idempotent and quick when nothing changed: a stamp records the hash of the files that
# define the install; apt runs only for missing packages.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${1:-.venv}
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3

stamp_input=$(cat pyproject.toml scripts/setup.sh scripts/install_sources.sh scripts/install_experts.sh scripts/install_browser.sh 2>/dev/null | sha256sum | cut -c1-16)
STAMP="$VENV/.uaap-installed-$stamp_input"
if [ -f "$STAMP" ]; then
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  "$PY" -m venv "$VENV"
fi
# torch first, from the local CPU wheel: any later resolver then keeps it.
flock /tmp/uaap-pip.lock "$VENV/bin/pip" install -q torch==2.13.0
bash scripts/install_sources.sh "$VENV"
bash scripts/install_experts.sh "$VENV"
bash scripts/install_browser.sh
flock /tmp/uaap-pip.lock "$VENV/bin/pip" install -q -e ".[test]"
rm -f "$VENV"/.uaap-installed-*
touch "$STAMP"
echo "setup: done ($VENV)"

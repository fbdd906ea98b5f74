#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for the report rendering test (tests/test_report_render.py).
#
#   scripts/install_browser.sh
#
# Idempotent: apt runs only when a package is missing (checked with dpkg -s). Needs root (or sudo).
# Debian's own chromium package only: no browser download from anywhere else.
set -euo pipefail

PACKAGES=(
  chromium              # headless --dump-dom / --screenshot of the static report
  fonts-dejavu-core     # readable text in screenshots
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install_browser: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install_browser: $(chromium --version 2>/dev/null | tail -1)"

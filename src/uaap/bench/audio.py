"""Reading, resampling and writing mono audio for the bench (soundfile + scipy).

Benches are mono float32 at 16 kHz: the rate the SoundScape-Bench recipe exports and
the rate every speech and sound-event expert here consumes, so nothing is resampled
again at annotation time, and a 60 s clip is 1.9 MB of PCM_16.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from math import gcd
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

__all__ = [
    "SAMPLE_RATE",
    "AudioReadError",
    "read_mono",
    "resample",
    "write_pcm16",
    "file_sha256",
]

#: Sample rate of every pool item and every bench clip.
SAMPLE_RATE = 16_000


class AudioReadError(RuntimeError):
    """A source file that cannot be decoded: names the file and the decoder's complaint."""


def resample(x: np.ndarray, sr_from: int, sr_to: int) -> np.ndarray:
    """Polyphase resampling (scipy), float32 out.

    >>> resample(np.ones(441, dtype=np.float32), 44100, 16000).shape
    (160,)
    """
    if sr_from == sr_to:
        return np.asarray(x, dtype=np.float32)
    g = gcd(int(sr_from), int(sr_to))
    return resample_poly(np.asarray(x, dtype=np.float64), sr_to // g, sr_from // g).astype(np.float32)


def _read_with_sox(path: Path) -> tuple[np.ndarray, int]:
    with tempfile.TemporaryDirectory(prefix="uaap-sox-") as tmp:
        out = Path(tmp) / "x.wav"
        proc = subprocess.run(["sox", str(path), "-b", "16", str(out)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise AudioReadError(f"{path}: sox could not decode it ({proc.stderr.strip()[:200]})")
        data, sr = sf.read(str(out), dtype="float32", always_2d=True)
    return data, sr


def read_mono(path: str | Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Decode any file libsndfile (or, failing that, sox) reads; mono mean; resampled.

    Raises:
        AudioReadError: the file is missing, empty or not decodable.
    """
    path = Path(path)
    if not path.is_file():
        raise AudioReadError(f"{path}: no such file")
    try:
        data, sr = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        try:
            data, sr = _read_with_sox(path)
        except (OSError, AudioReadError):
            raise AudioReadError(f"{path}: not decodable audio ({exc})") from None
    if data.size == 0:
        raise AudioReadError(f"{path}: decodes to zero samples")
    mono = data.mean(axis=1)
    if not np.all(np.isfinite(mono)):
        raise AudioReadError(f"{path}: decodes to non-finite samples")
    return resample(mono, sr, sample_rate)


def write_pcm16(path: str | Path, x: np.ndarray, sample_rate: int = SAMPLE_RATE) -> Path:
    """Write mono 16-bit PCM WAV; same samples give the same bytes (no timestamps)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = np.clip(np.round(np.asarray(x, dtype=np.float64) * 32768.0), -32768, 32767).astype("<i2")
    sf.write(str(path), pcm, sample_rate, subtype="PCM_16", format="WAV")
    return path


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()

"""Reading any audio file into the one form every expert takes: mono float32 at 16 kHz.

soundfile (libsndfile) reads WAV, FLAC, OGG/Opus and MP3; anything else (M4A/AAC, WMA, ...)
goes through the ``ffmpeg`` command line. Stereo is averaged to mono; other sample rates are
resampled with :func:`scipy.signal.resample_poly`. The sha256 is of the file's bytes, so it is
the content key of every cached expert output.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import subprocess
from dataclasses import dataclass, field
from math import gcd
from pathlib import Path

import numpy as np

__all__ = [
    "SAMPLE_RATE",
    "AudioInput",
    "AudioError",
    "AudioDecodeError",
    "EmptyAudioError",
    "load_audio",
    "audio_from_array",
    "to_mono_16k",
]

SAMPLE_RATE = 16_000


class AudioError(ValueError):
    """A clip that cannot be annotated: names the file, what was expected and what was found."""


class AudioDecodeError(AudioError):
    """The file is missing, corrupt, or in a format neither soundfile nor ffmpeg can decode."""


class EmptyAudioError(AudioError):
    """The file decodes to zero samples."""


@dataclass(frozen=True, eq=False)
class AudioInput:
    """One clip, decoded: mono float32 samples at :data:`SAMPLE_RATE`.

    ``sha256`` is of the source bytes (or of the samples, for arrays made in memory).
    """

    samples: np.ndarray = field(repr=False)
    sha256: str
    sample_rate: int = SAMPLE_RATE
    source_sample_rate: int = SAMPLE_RATE
    source_channels: int = 1
    path: str | None = None

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def peak(self) -> float:
        return float(np.max(np.abs(self.samples))) if len(self.samples) else 0.0

    @property
    def rms_dbfs(self) -> float:
        if not len(self.samples):
            return -math.inf
        rms = float(np.sqrt(np.mean(np.square(self.samples, dtype=np.float64))))
        return 20 * math.log10(rms) if rms > 0 else -math.inf

    def is_silent(self, threshold_dbfs: float = -60.0) -> bool:
        """True when the peak is below ``threshold_dbfs`` (digital silence or near it)."""
        peak = self.peak
        return peak <= 0 or 20 * math.log10(peak) < threshold_dbfs

    def segment(self, start_s: float, end_s: float) -> np.ndarray:
        """The samples between two times (clamped to the clip)."""
        lo = max(0, int(round(start_s * self.sample_rate)))
        hi = min(len(self.samples), int(round(end_s * self.sample_rate)))
        return self.samples[lo:max(lo, hi)]


def to_mono_16k(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Average channels (frames × channels → frames) and resample to 16 kHz, as float32."""
    data = np.asarray(samples, dtype=np.float32)
    if data.ndim == 2:
        data = data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]
    elif data.ndim != 1:
        raise AudioDecodeError(f"expected 1-D or 2-D (frames × channels) samples, found shape {data.shape}")
    if sample_rate != SAMPLE_RATE and len(data):
        from scipy.signal import resample_poly

        divisor = gcd(int(sample_rate), SAMPLE_RATE)
        data = resample_poly(data, SAMPLE_RATE // divisor, int(sample_rate) // divisor).astype(np.float32)
    return np.ascontiguousarray(data, dtype=np.float32)


def audio_from_array(samples: np.ndarray, sample_rate: int, *, name: str | None = None) -> AudioInput:
    """An :class:`AudioInput` from samples in memory (tests, streams); sha256 of the samples."""
    raw = np.asarray(samples)
    channels = 1 if raw.ndim == 1 else int(raw.shape[1])
    data = to_mono_16k(raw, sample_rate)
    _check_samples(data, name or "<array>")
    digest = hashlib.sha256(np.ascontiguousarray(raw).tobytes() + str(sample_rate).encode()).hexdigest()
    return AudioInput(data, digest, SAMPLE_RATE, int(sample_rate), channels, name)


def load_audio(path: str | Path) -> AudioInput:
    """Decode a file of any common format to mono 16 kHz float32.

    Raises:
        AudioDecodeError: the file is missing, unreadable or corrupt.
        EmptyAudioError: it holds no samples.
    """
    path = Path(path)
    digest, size = _file_digest(path)
    if size == 0:
        raise EmptyAudioError(f"audio file {path} is empty (0 bytes): expected an audio file, found nothing")
    samples, sample_rate, channels = _decode(path)
    data = to_mono_16k(samples, sample_rate)
    _check_samples(data, str(path))
    return AudioInput(data, digest, SAMPLE_RATE, int(sample_rate), channels, str(path))


def _file_digest(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
    except OSError as exc:
        raise AudioDecodeError(f"cannot read audio file {path}: {exc.strerror or exc}") from exc
    return digest.hexdigest(), size


def _check_samples(data: np.ndarray, where: str) -> None:
    if len(data) == 0:
        raise EmptyAudioError(f"audio {where} decodes to 0 samples: expected at least one sample")
    if not np.all(np.isfinite(data)):
        raise AudioDecodeError(f"audio {where} holds NaN or infinite samples: the file is corrupt")


def _decode(path: Path) -> tuple[np.ndarray, int, int]:
    """(mono samples at the source rate, source rate, source channels)."""
    import soundfile as sf

    try:
        with sf.SoundFile(str(path)) as handle:
            rate, channels = int(handle.samplerate), int(handle.channels)
            blocks = []
            while True:  # block by block, averaged to mono at once: long multichannel files stay small
                block = handle.read(1 << 18, dtype="float32", always_2d=True)
                if not len(block):
                    break
                blocks.append(block.mean(axis=1, dtype=np.float32) if channels > 1 else block[:, 0].copy())
        mono = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
        return mono, rate, channels
    except Exception as sf_error:  # libsndfile raises LibsndfileError / RuntimeError / TypeError
        first = f"soundfile: {sf_error}"
    return _decode_ffmpeg(path, first)


def _decode_ffmpeg(path: Path, first_error: str) -> tuple[np.ndarray, int, int]:
    """ffmpeg decodes and downmixes to mono (its stereo downmix is the channel mean)."""
    ffmpeg, ffprobe = shutil.which("ffmpeg"), shutil.which("ffprobe")
    if ffmpeg is None or ffprobe is None:
        raise AudioDecodeError(
            f"cannot decode {path}: {first_error}; ffmpeg/ffprobe (needed for this format) are not on "
            f"PATH — install them with: apt-get install ffmpeg"
        )
    probe = subprocess.run(
        [ffprobe, "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=sample_rate,channels",
         "-of", "json", str(path)],
        capture_output=True, text=True, timeout=120,
    )
    try:
        stream = json.loads(probe.stdout)["streams"][0]
        sample_rate, channels = int(stream["sample_rate"]), int(stream["channels"])
    except (ValueError, KeyError, IndexError, TypeError):
        detail = probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else "no audio stream"
        raise AudioDecodeError(
            f"cannot decode {path}: expected an audio file, found {detail!r} ({first_error})"
        ) from None
    if sample_rate <= 0 or channels <= 0:
        raise AudioDecodeError(f"cannot decode {path}: ffprobe reports {sample_rate} Hz, {channels} channels")
    run = subprocess.run(
        [ffmpeg, "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0", "-f", "f32le",
         "-acodec", "pcm_f32le", "-ac", "1", "-"],
        capture_output=True, timeout=3600,
    )
    if run.returncode != 0:
        detail = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioDecodeError(f"ffmpeg cannot decode {path}: {detail[-1] if detail else 'unknown error'}")
    return np.frombuffer(run.stdout, dtype="<f4").copy(), sample_rate, channels

"""Levels and extents: RMS, dB, the non-silent extent of a signal, and a peak limiter.

The answer key is measured, not assumed: an event's span is the non-silent extent of
the audio that was really placed, and its level is the RMS over that span.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from uaap.bench.audio import SAMPLE_RATE

__all__ = [
    "LOUDNESS_LADDER",
    "SILENCE_DB",
    "rms",
    "to_db",
    "from_db",
    "active_extent",
    "trim_silence",
    "fit_rms",
    "limiter_gain",
    "loudness_label",
]

#: Frames quieter than this, relative to the loudest 10 ms frame, count as silence.
SILENCE_DB = -45.0
_ABS_FLOOR = 3e-5  # about one PCM_16 step: nothing below it is audible or even stored
_FRAME_S = 0.010

#: The bench's loudness words and their RMS anchors (SoundScape-Bench datagen ladder).
LOUDNESS_LADDER: tuple[tuple[str, float], ...] = (
    ("very_quiet", 0.020),
    ("quiet", 0.040),
    ("moderate", 0.075),
    ("loud", 0.12),
    ("very_loud", 0.18),
)


def rms(x: np.ndarray) -> float:
    """Root mean square (0.0 for an empty array).

    >>> round(rms(np.array([0.5, -0.5])), 3)
    0.5
    """
    if x.size == 0:
        return 0.0
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def to_db(value: float) -> float:
    """20·log10 of an amplitude; -inf for 0.

    >>> round(to_db(0.1), 1)
    -20.0
    """
    return 20.0 * math.log10(value) if value > 0 else float("-inf")


def from_db(db: float) -> float:
    """Amplitude factor of a dB value.

    >>> from_db(0.0)
    1.0
    """
    return 10.0 ** (db / 20.0)


def active_extent(
    x: np.ndarray, sample_rate: int = SAMPLE_RATE, silence_db: float = SILENCE_DB
) -> tuple[int, int] | None:
    """``(first, end)`` sample indices of the non-silent part of ``x``, or None if silent.

    A 10 ms frame is active when its RMS is within ``silence_db`` of the loudest frame
    (and above one PCM_16 step); the edges are then refined to the first and last sample
    inside the edge frames whose magnitude reaches that threshold.

    >>> x = np.zeros(16000, dtype=np.float32); x[4000:8000] = 0.3
    >>> active_extent(x)
    (4000, 8000)
    """
    n = x.size
    if n == 0:
        return None
    frame = max(1, int(round(_FRAME_S * sample_rate)))
    n_frames = -(-n // frame)
    padded = np.zeros(n_frames * frame, dtype=np.float64)
    padded[:n] = x
    counts = np.full(n_frames, frame, dtype=np.float64)
    counts[-1] = n - (n_frames - 1) * frame  # a short last frame is averaged over what it has
    frames = np.sqrt(np.sum(np.square(padded.reshape(n_frames, frame)), axis=1) / counts)
    peak = float(frames.max())
    if peak <= _ABS_FLOOR:
        return None
    threshold = max(peak * from_db(silence_db), _ABS_FLOOR)
    active = np.flatnonzero(frames >= threshold)
    first_f, last_f = int(active[0]), int(active[-1])
    head = np.abs(x[first_f * frame : min(n, (first_f + 1) * frame)])
    tail = np.abs(x[last_f * frame : min(n, (last_f + 1) * frame)])
    head_hits = np.flatnonzero(head >= threshold)
    tail_hits = np.flatnonzero(tail >= threshold)
    first = first_f * frame + (int(head_hits[0]) if head_hits.size else 0)
    end = last_f * frame + (int(tail_hits[-1]) + 1 if tail_hits.size else tail.size)
    return first, end


def trim_silence(x: np.ndarray, sample_rate: int = SAMPLE_RATE, fade_s: float = 0.003) -> np.ndarray:
    """Cut leading and trailing silence (see :func:`active_extent`), with tiny edge fades."""
    extent = active_extent(x, sample_rate)
    if extent is None:
        return np.zeros(0, dtype=np.float32)
    y = np.array(x[extent[0] : extent[1]], dtype=np.float32)
    n_fade = min(int(fade_s * sample_rate), y.size // 4)
    if n_fade > 1:
        ramp = np.linspace(0.0, 1.0, n_fade, endpoint=False, dtype=np.float32)
        y[:n_fade] *= np.maximum(ramp, 0.25)
        y[-n_fade:] *= np.maximum(ramp[::-1], 0.25)
    return y


def limiter_gain(x: np.ndarray, ceiling: float, sample_rate: int = SAMPLE_RATE, window_s: float = 0.005) -> np.ndarray:
    """Per-sample gain (<= 1) that keeps ``|x * gain| <= ceiling``, smoothed, look-ahead.

    The needed gain is min-filtered over two windows, then averaged over one window:
    every averaged value is a mean of minima that each cover the sample, so it never
    exceeds the gain that sample needs. Only the few milliseconds around a peak change.
    """
    need = np.minimum(1.0, ceiling / np.maximum(np.abs(x.astype(np.float64)), 1e-12))
    if need.min() >= 1.0:
        return np.ones_like(x, dtype=np.float32)
    w = max(3, int(window_s * sample_rate) | 1)
    floor = minimum_filter1d(need, size=2 * w + 1, mode="nearest")
    gain = uniform_filter1d(floor, size=w, mode="nearest")
    gain = np.minimum(gain, need)  # numerical safety at the array edges
    return gain.astype(np.float32)


def fit_rms(x: np.ndarray, target_rms: float, ceiling: float, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Scale ``x`` to ``target_rms``; if that would peak above ``ceiling``, limit and rescale.

    Three rounds bring both within 0.05 dB for real sources. A source whose energy sits
    almost entirely in its peaks (a click train) keeps the ceiling and ends up quieter
    than the target; the mixer keys the level it measures, not the target.
    """
    y = np.asarray(x, dtype=np.float32)
    level = rms(y)
    if level <= 0:
        return y.copy()
    y = y * np.float32(target_rms / level)
    for _ in range(3):
        if float(np.max(np.abs(y))) <= ceiling:
            break
        y = y * limiter_gain(y, ceiling * 0.98, sample_rate)
        y = y * np.float32(target_rms / rms(y))
    if float(np.max(np.abs(y))) > ceiling:
        y = y * limiter_gain(y, ceiling, sample_rate)
    return y.astype(np.float32)


def loudness_label(level_rms: float) -> str:
    """The nearest loudness word (in dB) for an RMS level.

    >>> loudness_label(0.045), loudness_label(0.075), loudness_label(0.2)
    ('quiet', 'moderate', 'very_loud')
    """
    if level_rms <= 0:
        return "very_quiet"
    level_db = to_db(level_rms)
    return min(LOUDNESS_LADDER, key=lambda item: abs(to_db(item[1]) - level_db))[0]

"""YAMNet's log-mel front end in numpy (no TensorFlow, no torchaudio).

It follows YAMNet's ``features.py``: 16 kHz mono, 25 ms periodic-Hann frames every 10 ms,
FFT of 512 points, magnitude spectrum, 64 HTK mel bands from 125 to 7500 Hz with triangles
built in mel space (TensorFlow's ``linear_to_mel_weight_matrix``, DC bin dropped),
``log(mel + 0.001)``, then 96-frame (0.96 s) patches every 48 frames (0.48 s).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = [
    "SAMPLE_RATE",
    "WINDOW_SAMPLES",
    "HOP_SAMPLES",
    "FFT_SIZE",
    "MEL_BANDS",
    "PATCH_FRAMES",
    "PATCH_HOP_FRAMES",
    "PATCH_HOP_S",
    "PATCH_WINDOW_S",
    "LOG_OFFSET",
    "hz_to_mel",
    "mel_matrix",
    "log_mel",
    "patches",
    "pad_for_patches",
]

SAMPLE_RATE = 16_000
WINDOW_SAMPLES = 400  # 25 ms
HOP_SAMPLES = 160  # 10 ms
FFT_SIZE = 512
MEL_BANDS = 64
MEL_MIN_HZ = 125.0
MEL_MAX_HZ = 7500.0
LOG_OFFSET = 0.001
PATCH_FRAMES = 96  # 0.96 s
PATCH_HOP_FRAMES = 48  # 0.48 s
PATCH_WINDOW_S = PATCH_FRAMES * HOP_SAMPLES / SAMPLE_RATE
PATCH_HOP_S = PATCH_HOP_FRAMES * HOP_SAMPLES / SAMPLE_RATE
_PATCH_SAMPLES = (PATCH_FRAMES - 1) * HOP_SAMPLES + WINDOW_SAMPLES
_PATCH_HOP_SAMPLES = PATCH_HOP_FRAMES * HOP_SAMPLES


def hz_to_mel(hz: np.ndarray | float) -> np.ndarray:
    """HTK mel scale: ``1127 ln(1 + f / 700)``.

    >>> round(float(hz_to_mel(1000.0)), 1)
    1000.0
    """
    return 1127.0 * np.log1p(np.asarray(hz, dtype=np.float64) / 700.0)


@lru_cache(maxsize=4)
def mel_matrix(
    bands: int = MEL_BANDS, fft_size: int = FFT_SIZE, sample_rate: int = SAMPLE_RATE,
    low_hz: float = MEL_MIN_HZ, high_hz: float = MEL_MAX_HZ,
) -> np.ndarray:
    """(fft_size // 2 + 1, bands) triangular weights, TensorFlow's construction (DC bin zero)."""
    bins = fft_size // 2 + 1
    bin_mel = hz_to_mel(np.linspace(0.0, sample_rate / 2, bins))[1:, None]
    edges = np.linspace(hz_to_mel(low_hz), hz_to_mel(high_hz), bands + 2)
    lower, center, upper = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    rising = (bin_mel - lower) / (center - lower)
    falling = (upper - bin_mel) / (upper - center)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights = np.concatenate([np.zeros((1, bands)), weights], axis=0)
    weights.setflags(write=False)
    return weights


@lru_cache(maxsize=2)
def _window() -> np.ndarray:
    n = np.arange(WINDOW_SAMPLES)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * n / WINDOW_SAMPLES)  # periodic Hann
    window.setflags(write=False)
    return window


def log_mel(samples: np.ndarray, log_offset: float = LOG_OFFSET) -> np.ndarray:
    """(frames, 64) float32 log-mel magnitudes of 16 kHz mono samples; 0 frames if too short."""
    x = np.asarray(samples, dtype=np.float32)
    n_frames = 1 + (len(x) - WINDOW_SAMPLES) // HOP_SAMPLES if len(x) >= WINDOW_SAMPLES else 0
    if n_frames <= 0:
        return np.zeros((0, MEL_BANDS), dtype=np.float32)
    index = np.arange(WINDOW_SAMPLES)[None, :] + HOP_SAMPLES * np.arange(n_frames)[:, None]
    frames = x[index] * _window()
    magnitude = np.abs(np.fft.rfft(frames, n=FFT_SIZE, axis=1))
    return np.log(magnitude @ mel_matrix() + log_offset).astype(np.float32)


def pad_for_patches(samples: np.ndarray) -> np.ndarray:
    """Zero-pad at the end so whole patches cover every sample (at least one patch)."""
    n = len(samples)
    n_patches = 1 if n <= _PATCH_SAMPLES else 1 + int(np.ceil((n - _PATCH_SAMPLES) / _PATCH_HOP_SAMPLES))
    target = (n_patches - 1) * _PATCH_HOP_SAMPLES + _PATCH_SAMPLES
    return np.pad(np.asarray(samples, dtype=np.float32), (0, target - n))


def patches(features: np.ndarray) -> np.ndarray:
    """(n_patches, 96, 64) views of 96-frame patches every 48 frames."""
    n = 0 if len(features) < PATCH_FRAMES else 1 + (len(features) - PATCH_FRAMES) // PATCH_HOP_FRAMES
    if n == 0:
        return np.zeros((0, PATCH_FRAMES, features.shape[1]), dtype=features.dtype)
    index = np.arange(PATCH_FRAMES)[None, :] + PATCH_HOP_FRAMES * np.arange(n)[:, None]
    return features[index]

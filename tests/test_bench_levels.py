"""Levels, extents and the limiter (pure functions)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from uaap.bench.levels import active_extent, fit_rms, limiter_gain, loudness_label, rms


@settings(max_examples=60, deadline=None)
@given(start=st.integers(0, 8000), length=st.integers(200, 8000), amp=st.floats(0.01, 0.9))
def test_active_extent_finds_a_burst_to_the_sample(start, length, amp):
    x = np.zeros(20000, dtype=np.float32)
    t = np.arange(length)
    x[start : start + length] = amp * np.sin(2 * np.pi * 440 * t / 16000 + 0.3).astype(np.float32)
    first, end = active_extent(x)
    assert abs(first - start) <= 2 and abs(end - (start + length)) <= 2


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.5, 8.0))
def test_the_limiter_never_lets_a_sample_past_the_ceiling(seed, scale):
    x = (np.random.default_rng(seed).standard_normal(4000) * scale).astype(np.float32)
    y = x * limiter_gain(x, 0.97)
    assert float(np.max(np.abs(y))) <= 0.97 + 1e-6


def test_fit_rms_hits_the_target_and_respects_the_peak_limit():
    rng = np.random.default_rng(0)
    t = np.arange(16000) / 16000
    x = (rng.standard_normal(16000) * np.exp(-8 * (t % 0.25))).astype(np.float32)  # four decaying hits
    x[4000] = 12.0  # one sharp spike far above what the target allows
    y = fit_rms(x, 0.2, 0.97)
    assert abs(20 * np.log10(rms(y) / 0.2)) < 0.05 and float(np.max(np.abs(y))) <= 0.97


def test_fit_rms_keeps_the_ceiling_even_when_the_target_cannot_be_met():
    x = np.zeros(16000, dtype=np.float32)
    x[::400] = 1.0  # a click train: all of its energy is in its peaks
    y = fit_rms(x, 0.2, 0.97)
    assert float(np.max(np.abs(y))) <= 0.97 + 1e-6 and rms(y) < 0.2


def test_silence_has_no_extent_and_loudness_words_follow_the_ladder():
    assert active_extent(np.zeros(1000, dtype=np.float32)) is None
    assert [loudness_label(v) for v in (0.01, 0.045, 0.075, 0.11, 0.3)] == [
        "very_quiet",
        "quiet",
        "moderate",
        "loud",
        "very_loud",
    ]

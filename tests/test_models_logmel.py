"""YAMNet's numpy log-mel front end: known properties of its output."""

from __future__ import annotations

import numpy as np
import pytest

from uaap.models.sed import logmel
from uaap.models.sed.yamnet import AUDIO_SCALE, AUDIO_ZERO_POINT, dequantize_scores, quantize_patch


def _sine(hz: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(seconds * 16000)) / 16000
    return (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_frame_count_is_25ms_windows_every_10ms():
    assert logmel.log_mel(np.zeros(16000)).shape == (1 + (16000 - 400) // 160, 64)
    assert logmel.log_mel(np.zeros(399)).shape == (0, 64)


def test_silence_gives_log_of_the_offset():
    features = logmel.log_mel(np.zeros(4000))
    np.testing.assert_allclose(features, np.log(logmel.LOG_OFFSET), rtol=1e-6)


@pytest.mark.parametrize("hz", [250.0, 1000.0, 4000.0])
def test_a_sine_peaks_in_the_mel_band_centred_nearest_its_frequency(hz):
    features = logmel.log_mel(_sine(hz))
    band = int(np.argmax(features.mean(axis=0)))
    edges = np.linspace(logmel.hz_to_mel(125.0), logmel.hz_to_mel(7500.0), 66)
    centres = edges[1:-1]
    expected = int(np.argmin(np.abs(centres - logmel.hz_to_mel(hz))))
    assert abs(band - expected) <= 1


def test_louder_input_raises_every_band_by_the_log_gain():
    quiet, loud = logmel.log_mel(_sine(1000.0) * 0.1), logmel.log_mel(_sine(1000.0))
    peak = int(np.argmax(loud.mean(axis=0)))
    assert loud[:, peak].mean() - quiet[:, peak].mean() == pytest.approx(np.log(10.0), abs=0.01)


def test_mel_matrix_has_no_dc_and_every_band_has_weight():
    weights = logmel.mel_matrix()
    assert weights.shape == (257, 64)
    assert np.all(weights[0] == 0)
    assert np.all(weights.sum(axis=0) > 0)
    assert weights.max() <= 1.0 + 1e-9


def test_patches_are_96_frames_every_48():
    features = np.arange(200 * 64, dtype=np.float32).reshape(200, 64)
    patches = logmel.patches(features)
    assert patches.shape == (1 + (200 - 96) // 48, 96, 64)
    np.testing.assert_array_equal(patches[1, 0], features[48])
    assert logmel.PATCH_WINDOW_S == pytest.approx(0.96) and logmel.PATCH_HOP_S == pytest.approx(0.48)


@pytest.mark.parametrize("seconds", [0.1, 0.96, 1.0, 3.3, 10.0])
def test_padding_covers_every_sample_with_whole_patches(seconds):
    samples = np.ones(int(seconds * 16000), dtype=np.float32)
    padded = logmel.pad_for_patches(samples)
    n = len(logmel.patches(logmel.log_mel(padded)))
    assert n >= 1
    assert (n - 1) * logmel.PATCH_HOP_S + logmel.PATCH_WINDOW_S >= seconds - 0.02
    assert len(padded) == (n - 1) * 48 * 160 + 95 * 160 + 400
    assert n == 1 or len(padded) - len(samples) < 48 * 160


def test_quantization_round_trips_within_one_step_and_clips():
    patch = np.linspace(-6.0, 5.0, 96 * 64, dtype=np.float32).reshape(96, 64)
    q = quantize_patch(patch)
    assert q.dtype == np.uint8 and q.shape == (1, 1, 96, 64)
    back = (q[0, 0].astype(np.float32) - AUDIO_ZERO_POINT) * AUDIO_SCALE
    assert np.max(np.abs(back - patch)) <= AUDIO_SCALE / 2 + 1e-6
    assert quantize_patch(np.full((96, 64), -50.0))[0, 0].max() == 0
    scores = dequantize_scores(np.array([0, 190, 255], dtype=np.uint8))
    assert scores[0] < 0.01 and scores[1] == pytest.approx(0.5) and scores[2] > 0.99

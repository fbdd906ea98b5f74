"""The source pool: what goes in, what is skipped and reported, and the cache."""

from __future__ import annotations

import json
import shutil

import pytest
from _bench_pool import shared_tiny_pool

from uaap.bench import PoolConfig, SourceItem, build_pool, load_pool
from uaap.bench.catalog import PackagedSound, packaged_candidates
from uaap.bench.pool import SourceProblem


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory):
    return shared_tiny_pool(tmp_path_factory)[0]


@pytest.fixture(scope="module")
def tiny_pool(tmp_path_factory):
    return shared_tiny_pool(tmp_path_factory)[1]


def test_tiny_pool_has_speech_in_two_languages_and_every_other_kind(tiny_build):
    counts = tiny_build.counts
    assert counts["speech/en"] == 6 and counts["speech/fr"] == 6
    assert counts["sound_event"] == 3 and counts["music"] == 1
    assert counts["vocal_burst"] == 2 and counts["ambience"] == 2


def test_corrupt_and_missing_local_files_are_reported_by_name_and_skipped(tiny_build):
    messages = [p.message for p in tiny_build.problems]
    assert any("broken.ogg" in m and "skipped" in m for m in messages), messages
    assert any("missing.wav" in m and "not found" in m for m in messages), messages
    ids = {it.item_id for it in tiny_build.items}
    assert "sound_event.local.broken" not in ids and "sound_event.local.missing" not in ids
    manifest = json.loads(tiny_build.manifest_path.read_text(encoding="utf-8"))
    assert any("broken.ogg" in p["source"] for p in manifest["problems"])


def test_a_package_that_is_not_installed_is_reported_with_the_install_command():
    problems: list[SourceProblem] = []
    table = (PackagedSound("uaap-no-such-package", "/x.ogg", "x", "An x.", "none"),)
    assert list(packaged_candidates(table, "sound_event", problems)) == []
    assert problems and problems[0].source == "uaap-no-such-package"
    assert "not installed" in problems[0].message and "apt-get install -y uaap-no-such-package" in problems[0].message


def test_speech_items_carry_the_exact_text_and_the_delivery_that_was_applied(tiny_pool):
    speech = tiny_pool.of_kind("speech")
    assert {it.language for it in speech} == {"en", "fr"}
    assert len({it.speaker_id for it in speech if it.language == "en"}) == 6
    for it in speech:
        assert it.text and it.human is False and it.gender in ("male", "female")
        assert it.facts["rate_wpm"] in (130, 170, 225)
        rate_words = {"slow": "slowly", "normal": "at a normal pace", "fast": "quickly"}
        assert rate_words[it.speaking_rate] in it.caption
        if it.facts["emphasis"]:
            assert it.facts["emphasis"] in it.text and f'"{it.facts["emphasis"]}"' in it.caption


def test_pool_items_are_trimmed_mono_16k_and_match_their_hash(tiny_pool):
    from uaap.bench.levels import active_extent

    for it in tiny_pool.items:
        x = tiny_pool.read(it.item_id)
        assert x.ndim == 1 and x.size == it.n_samples and it.sample_rate == 16000
        first, end = active_extent(x)
        assert first <= 160 and end >= x.size - 160, it.item_id


def test_rebuilding_the_pool_reuses_every_item_and_writes_the_same_manifest(tiny_build, tmp_path):
    root = tiny_build.manifest_path.parent
    before = tiny_build.manifest_path.read_bytes()
    again = build_pool(root, PoolConfig.offline_minimal(local=_local_sources(tiny_build)))
    assert again.manifest_path.read_bytes() == before
    assert again.elapsed_s < 5.0


def test_a_pool_file_that_changed_after_the_build_is_reported_and_left_out(tiny_build, tmp_path):
    copy = tmp_path / "pool"
    shutil.copytree(tiny_build.manifest_path.parent, copy)
    victim = sorted(copy.glob("sound_event/*.wav"))[0]
    victim.write_bytes(victim.read_bytes()[:100])
    pool = load_pool(copy)
    assert victim.stem not in {it.item_id for it in pool.items}
    assert any(victim.stem in p.source for p in pool.problems)


def test_source_items_round_trip_through_json(tiny_pool):
    for it in tiny_pool.items:
        assert SourceItem.from_json(json.loads(json.dumps(it.to_json()))) == it


def _local_sources(build):
    from _bench_pool import _CACHE

    return _CACHE["pool"][1]

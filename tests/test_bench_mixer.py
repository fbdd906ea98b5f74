"""Rendered soundscapes: every keyed event is in its stem where the key says, at the recipe level."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np
import pytest
from _bench_pool import shared_tiny_pool

from uaap.bench import RecipeParams, build_clips, plan_clip, render_clip, write_clip
from uaap.bench.levels import from_db, rms, to_db
from uaap.uaap_json import read_answer_key


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory):
    return shared_tiny_pool(tmp_path_factory)[0]


@pytest.fixture(scope="module")
def tiny_pool(tmp_path_factory):
    return shared_tiny_pool(tmp_path_factory)[1]


SR = 16000
N_CLIPS = 8
_ROLE_OF_LAYER = {
    "speech": "speech",
    "vocal_burst": "vocal_burst",
    "foreground": "sound_event",
    "ambience bed": "ambience",
    "music bed": "music",
}


@pytest.fixture(scope="module")
def rendered(tiny_pool):
    return [render_clip(plan_clip(RecipeParams(), 11, i, tiny_pool), tiny_pool) for i in range(N_CLIPS)]


@pytest.fixture(scope="module")
def overlapping(tiny_pool):
    params = replace(RecipeParams(), overlap_prob=1.0, burst_prob=1.0)
    return [render_clip(plan_clip(params, 5, i, tiny_pool), tiny_pool) for i in range(4)]


def _spans(clip, role):
    return [
        (round(ev.start_s * SR), round(ev.end_s * SR))
        for ev in clip.key.events
        if _ROLE_OF_LAYER[ev.extras["layer"]] == role
    ]


def test_every_key_event_has_energy_inside_its_span_and_none_outside_it(rendered, overlapping):
    for clip in rendered + overlapping:
        for ev, (start, audio) in zip(clip.key.events, clip.event_audio, strict=True):
            full = np.zeros(clip.audio.size, dtype=np.float32)
            full[start : start + audio.size] = audio
            s, e = round(ev.start_s * SR), round(ev.end_s * SR)
            level = from_db(ev.extras["level_dbfs"])
            assert abs(to_db(rms(full[s:e])) - ev.extras["level_dbfs"]) < 0.05
            edge = int(0.02 * SR)
            assert rms(full[s : s + edge]) > level * from_db(-50), (clip.clip_id, ev.type, "onset")
            assert rms(full[e - edge : e]) > level * from_db(-50), (clip.clip_id, ev.type, "offset")
            # just outside the span: no more than a faint tail (40 dB under the loudest
            # 10 ms of the event; the extent rule cuts at 45 dB); 30 ms or more away: nothing
            loudest = max(rms(full[i : i + 160]) for i in range(s, e, 160))
            for near in (full[max(0, s - 480) : s], full[e : e + 480]):
                assert rms(near) < loudest * from_db(-40), (clip.clip_id, ev.type, "outside")
            far = np.concatenate([full[: max(0, s - 480)], full[e + 480 :]])
            assert not np.any(far)


def test_each_layer_stem_is_silent_away_from_the_spans_of_its_events(rendered, overlapping):
    for clip in rendered + overlapping:
        for role, stem in clip.stems.items():
            away = np.ones(stem.size, dtype=bool)
            for s, e in _spans(clip, role):
                away[max(0, s - 480) : e + 480] = False
            assert not np.any(stem[away]), (clip.clip_id, role)


def test_stems_add_up_to_the_mix_and_the_mix_peaks_under_the_limit(rendered):
    for clip in rendered:
        total = sum(clip.stems.values())
        assert np.allclose(total, clip.audio, atol=1e-5)
        assert float(np.max(np.abs(clip.audio))) <= 0.97 + 1e-6


def test_keyed_levels_are_within_half_a_db_of_the_recipe(rendered):
    params = RecipeParams()
    loud = {name: gain for name, gain, _ in params.speech_loudness}
    for clip in rendered:
        for ev in clip.key.events:
            role = _ROLE_OF_LAYER[ev.extras["layer"]]
            target = params.target_rms(role)
            if role == "speech":
                target *= from_db(loud[ev.extras["loudness_style"]])
            assert abs(ev.extras["level_dbfs"] - to_db(target)) < 0.5, (clip.clip_id, ev.type, ev.extras)


def test_keyed_snr_is_speech_against_background_within_half_a_db(rendered):
    checked = 0
    for clip in rendered:
        speech = _spans(clip, "speech")
        mask = np.zeros(clip.audio.size, dtype=bool)
        for s, e in speech:
            mask[s:e] = True
        background = sum(
            (clip.stems[r] for r in ("music", "ambience", "sound_event") if r in clip.stems),
            np.zeros(clip.audio.size, dtype=np.float32),
        )
        p_b = float(np.mean(np.square(background[mask], dtype=np.float64)))
        if clip.key.meta["snr_db"] is None:
            assert p_b < 1e-10
            continue
        snr = 10 * np.log10(float(np.mean(np.square(clip.stems["speech"][mask], dtype=np.float64))) / p_b)
        assert abs(snr - clip.key.meta["snr_db"]) < 0.5
        checked += 1
    assert checked >= 3


def test_overlapping_turns_really_overlap_in_the_audio(overlapping):
    for clip in overlapping:
        assert clip.key.meta["overlap"] is True and clip.key.meta["overlap_s"] > 0.1
        speech = [
            (ev, start, audio)
            for ev, (start, audio) in zip(clip.key.events, clip.event_audio, strict=True)
            if ev.type == "speech"
        ]
        (a, sa, xa), (b, sb, xb) = speech[0], speech[1]
        lo, hi = max(a.start_s, b.start_s), min(a.end_s, b.end_s)
        assert hi - lo > 0.1 and a.speaker_id != b.speaker_id
        i0, i1 = round(lo * SR), round(hi * SR)
        assert rms(xa[max(0, i0 - sa) : i1 - sa]) > 0.01 and rms(xb[max(0, i0 - sb) : i1 - sb]) > 0.01


def test_key_round_trips_through_the_uaap_json_reader(rendered, tmp_path):
    clip = write_clip(rendered[0], tmp_path)
    key = read_answer_key(clip.meta["answer_key_path"])
    assert key.to_json() == rendered[0].key.to_json()
    assert key.num_speakers == rendered[0].key.num_speakers and key.languages == rendered[0].key.languages


def test_clip_records_name_sources_with_licences_and_the_clip_facts(rendered):
    for clip in rendered:
        meta = clip.key.meta
        assert meta["sources"] and all(s["licence"] and s["package"] for s in meta["sources"])
        assert meta["n_events"] == len(clip.key.events)
        assert clip.key.languages == tuple(sorted({e.language for e in clip.key.events if e.type == "speech"}))
        assert 10.0 <= clip.key.duration_s <= 60.0 + 1e-6
        assert 1 <= sum(e.type == "speech" for e in clip.key.events) <= 3
        assert 1 <= sum(e.extras["layer"] == "foreground" for e in clip.key.events) <= 3


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_wav_and_json(tiny_pool, tmp_path):
    build_clips(tmp_path / "a", 3, seed=3, pool=tiny_pool)
    build_clips(tmp_path / "b", 3, seed=3, pool=tiny_pool)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert len(a) == 6 and a == b


def test_a_different_seed_gives_a_different_bench(tiny_pool, tmp_path):
    build_clips(tmp_path / "a", 3, seed=3, pool=tiny_pool)
    build_clips(tmp_path / "b", 3, seed=4, pool=tiny_pool)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert all(a[name] != b[name] for name in a)


def test_growing_n_leaves_the_clips_already_built_identical(tiny_pool, tmp_path):
    build_clips(tmp_path / "small", 2, seed=9, pool=tiny_pool)
    build_clips(tmp_path / "large", 4, seed=9, pool=tiny_pool)
    small, large = _digests(tmp_path / "small"), _digests(tmp_path / "large")
    assert len(large) == 8 and all(large[name] == digest for name, digest in small.items())


def test_a_pool_item_that_disappears_skips_that_clip_by_name(tiny_pool, tmp_path):
    used_by_clip_1 = {p.item_id for p in plan_clip(RecipeParams(), 1, 1, tiny_pool).placements}
    plan = plan_clip(RecipeParams(), 1, 0, tiny_pool)
    victim = tiny_pool.get(next(p.item_id for p in plan.placements if p.item_id not in used_by_clip_1))
    path = tiny_pool.root / victim.path
    saved = path.read_bytes()
    try:
        path.unlink()
        report = build_clips(tmp_path / "bench", 2, seed=1, pool=tiny_pool)
    finally:
        path.write_bytes(saved)
    assert any(victim.item_id in p and "clip 0" in p for p in report.problems)
    assert {c.clip_id for c in report.clips} >= {"clip-00001"}

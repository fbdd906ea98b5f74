"""The SNR ladder: each variant keyed, at its SNR, with the right layers."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from _bench_pool import shared_tiny_pool

from uaap.bench import SNR_LADDER_DB, build_clips, plan_snr_base, render_snr_ladder


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory):
    return shared_tiny_pool(tmp_path_factory)[0]


@pytest.fixture(scope="module")
def tiny_pool(tmp_path_factory):
    return shared_tiny_pool(tmp_path_factory)[1]


SR = 16000


@pytest.fixture(scope="module")
def ladders(tiny_pool):
    return [render_snr_ladder(plan_snr_base(21, i, tiny_pool), tiny_pool) for i in range(3)]


def _measured_snr(clip):
    mask = np.zeros(clip.audio.size, dtype=bool)
    for ev in clip.key.events:
        if ev.type == "speech":
            mask[round(ev.start_s * SR) : round(ev.end_s * SR)] = True
    background = sum(clip.stems[r] for r in ("music", "ambience", "sound_event") if r in clip.stems)
    p_s = float(np.mean(np.square(clip.stems["speech"][mask], dtype=np.float64)))
    p_b = float(np.mean(np.square(background[mask], dtype=np.float64)))
    return 10 * np.log10(p_s / p_b)


def test_each_ladder_rung_is_keyed_and_measured_within_half_a_db_of_its_target(ladders):
    for ladder in ladders:
        for clip, target in zip(ladder, SNR_LADDER_DB, strict=False):
            assert clip.key.meta["snr_target_db"] == target
            assert abs(clip.key.meta["snr_db"] - target) < 0.5
            assert abs(_measured_snr(clip) - target) < 0.5
            assert float(np.max(np.abs(clip.audio))) <= 0.97 + 1e-6


def test_speech_only_keeps_speech_and_bursts_and_background_only_has_no_voice(ladders):
    for ladder in ladders:
        speech_only, background_only = ladder[-2], ladder[-1]
        assert speech_only.variant == "speech-only" and background_only.variant == "background-only"
        assert {e.type for e in speech_only.key.events} <= {"speech", "vocal_burst"}
        assert any(e.type == "speech" for e in speech_only.key.events)
        assert not any(e.type in ("speech", "vocal_burst") for e in background_only.key.events)
        assert background_only.key.events and background_only.key.num_speakers == 0


def test_every_variant_keeps_the_base_clip_timeline(ladders):
    for ladder in ladders:
        base = [(e.type, e.start_s, e.end_s, e.transcription) for e in ladder[0].key.events]
        for clip in ladder[1:5]:
            assert [(e.type, e.start_s, e.end_s, e.transcription) for e in clip.key.events] == base
        voice = [t for t in base if t[0] in ("speech", "vocal_burst")]
        assert [(e.type, e.start_s, e.end_s, e.transcription) for e in ladder[-2].key.events] == voice


def test_ladder_clip_ids_name_the_variant(ladders):
    ids = [clip.clip_id for clip in ladders[1]]
    assert ids == [
        "clip-00001-snr+10",
        "clip-00001-snr+05",
        "clip-00001-snr+00",
        "clip-00001-snr-05",
        "clip-00001-snr-10",
        "clip-00001-speech-only",
        "clip-00001-background-only",
    ]


def test_snr_bench_files_are_byte_identical_for_the_same_seed(tiny_pool, tmp_path):
    def digests(folder):
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}

    a = build_clips(tmp_path / "a", 1, seed=2, recipe="snr", pool=tiny_pool)
    build_clips(tmp_path / "b", 1, seed=2, recipe="snr", pool=tiny_pool)
    assert len(a.clips) == 7 and digests(tmp_path / "a") == digests(tmp_path / "b")

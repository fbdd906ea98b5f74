"""Bench statistics from written keys."""

from __future__ import annotations

import io

import pytest
from _bench_pool import shared_tiny_pool
from rich.console import Console

from uaap.bench import bench_stats, build_clips, print_stats, read_bench_keys


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory):
    return shared_tiny_pool(tmp_path_factory)[0]


@pytest.fixture(scope="module")
def tiny_pool(tmp_path_factory):
    return shared_tiny_pool(tmp_path_factory)[1]


def test_stats_count_clips_events_languages_speakers_overlap_and_snr(tiny_pool, tmp_path):
    report = build_clips(tmp_path, 6, seed=8, pool=tiny_pool)
    keys = read_bench_keys(tmp_path)
    stats = bench_stats(keys)
    assert stats["clips"] == len(report.clips) == 6
    assert sum(stats["events_per_type"].values()) == sum(len(k["events"]) for k in keys)
    assert set(stats["speech_events_per_language"]) <= {"en", "fr"}
    assert sum(stats["speakers_per_clip"].values()) == 6
    assert abs(stats["overlap_rate"] - sum(bool(k["overlap"]) for k in keys) / 6) < 1e-3
    snrs = [k["snr_db"] for k in keys if k["snr_db"] is not None]
    assert stats["snr_db"]["n"] == len(snrs)
    assert sum(stats["snr_db"]["buckets"].values()) == 6
    assert abs(stats["duration_s"]["total"] - sum(k["duration"] for k in keys)) < 0.01


def test_stats_print_as_rich_tables(tiny_pool, tmp_path):
    build_clips(tmp_path, 2, seed=8, pool=tiny_pool, recipe="snr")
    out = io.StringIO()
    print_stats(bench_stats(read_bench_keys(tmp_path)), Console(file=out, width=100))
    text = out.getvalue()
    assert "14 clips" in text and "SNR" in text and "speech-only" in text

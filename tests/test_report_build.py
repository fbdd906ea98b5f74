"""The report file itself: self-contained, offline, audio referenced (not inlined), data complete."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest

from uaap.report import write_report
from uaap.stats import COLUMNS
from uaap.warehouse import open_warehouse

from _history_data import make_bench, nightly_snapshot, score_system


@pytest.fixture
def report_home(uaap_home, tmp_path):
    with open_warehouse() as con:
        items = make_bench(con, "rb", n_clips=8, audio_dir=tmp_path / "audio")
        for system, skill in (("alpha", 0.3), ("beta", 0.8), ("gamma", 0.6)):
            score_system(con, "rb", items, system, skill)
        nightly_snapshot(con, "run-1", date(2026, 5, 1), "rb", ["alpha", "beta", "gamma"], resamples=50)
        score_system(con, "rb", items, "alpha", 0.95, seed=9)
        nightly_snapshot(con, "run-2", date(2026, 5, 2), "rb", ["alpha", "beta", "gamma"], resamples=50)
    return uaap_home


def _data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="uaap-data">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_page_is_self_contained_and_fetches_nothing(report_home, tmp_path):
    result = write_report("rb", tmp_path / "out", resamples=100)
    html = Path(result["out"]).read_text()
    assert result["clips"] == 8 and result["systems"] == 3
    assert not re.search(r"""(src|href)=["']?https?:""", html) and "<link" not in html and "<script src" not in html
    assert "<audio" not in html  # the player is made by the script, from the data
    assert html.count('<svg class="plot"') >= 6  # two interval plots, four breakdowns, history


def test_audio_is_referenced_relative_to_the_page(report_home, tmp_path):
    out = tmp_path / "deep" / "report"
    write_report("rb", out, resamples=20)
    clips = _data((out / "index.html").read_text())["clips"]
    for href in clips["audio"]:
        assert not href.startswith(("/", "file:")) and (out / unquote(href)).resolve().is_file()
    write_report("rb", out, resamples=20, copy_audio=True)
    copied = _data((out / "index.html").read_text())["clips"]["audio"]
    assert all(h.startswith("audio/") and (out / h).is_file() for h in copied)


def test_the_data_holds_leaderboards_intervals_history_diff_and_clips(report_home, tmp_path):
    data = _data(Path(write_report("rb", tmp_path / "r", resamples=100)["out"]).read_text())
    overall = data["leaderboards"]["overall"]
    assert [r["system"] for r in overall][0] == "alpha" and set(COLUMNS) <= set(overall[0])
    assert all(r["ci"]["reward"][0] <= r["reward"] <= r["ci"]["reward"][1] for r in overall)
    assert {"type", "language", "snr", "overlap"} <= set(data["leaderboards"])
    assert data["history"]["nights"] == ["2026-05-01", "2026-05-02"]
    assert data["diff"]["meta"]["after"]["night"] == "2026-05-02" and data["diff"]["rows"]
    clips = data["clips"]
    assert len(clips["ids"]) == 8 and len(clips["key"][0]) > 0 and len(clips["pred"][0]) == 3
    assert clips["texts"][clips["key"][0][0][3]] is not None and data["last_run"]["status"] == "completed"

"""The report as a person sees it: headless Chromium opens it from the file system.

Checks the script-rendered DOM (leaderboard rows, a plot, a clip timeline with events and the
audio player) and keeps a screenshot in ``tests/artifacts/report.png``. Needs Debian's
``chromium`` (scripts/install_browser.sh).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from uaap.report import write_report
from uaap.warehouse import open_warehouse

from _history_data import make_bench, nightly_snapshot, score_system

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed: run scripts/install_browser.sh")


def chromium(url: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         f"--user-data-dir={profile}", *args, url],
        capture_output=True, text=True, timeout=90,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UAAP_HOME", str(root / "home"))
        with open_warehouse() as con:
            items = make_bench(con, "render", n_clips=12, audio_dir=root / "audio")
            for system, skill in (("weak-system", 0.25), ("strong-system", 0.9), ("middle-system", 0.6)):
                score_system(con, "render", items, system, skill)
            nightly_snapshot(con, "run-1", date(2026, 5, 1), "render", ["weak-system", "strong-system", "middle-system"])
            score_system(con, "render", items, "weak-system", 0.7, seed=4)
            nightly_snapshot(con, "run-2", date(2026, 5, 2), "render", ["weak-system", "strong-system", "middle-system"])
        write_report("render", root / "site", resamples=200)
    return root / "site" / "index.html", root


def test_a_person_sees_the_leaderboard_plots_and_a_clip_timeline(report):
    index, root = report
    out = chromium(index.as_uri(), root / "profile-dom", "--dump-dom")
    assert out.returncode == 0, out.stderr[-2000:]
    dom = out.stdout
    assert 'data-rendered="true"' in dom, "the page script did not finish"
    board = re.search(r'<table class="data" id="leaderboard">.*?</table>', dom, re.S).group(0)
    rows = re.findall(r'<tr data-key="([^"]+)">', board)
    assert sorted(rows) == ["middle-system", "strong-system", "weak-system"]
    assert rows[0] == "strong-system"                                      # best Reward first
    assert re.search(r'<svg class="plot"[^>]*aria-label="Reward with 95 % interval"', dom)
    assert re.search(r'<rect class="bar"', dom)
    timeline = re.search(r'<svg class="timeline" id="timeline"[^>]*data-clip="clip-00000".*?</svg>', dom, re.S)
    assert timeline, "no clip timeline rendered"
    assert len(re.findall(r'<rect class="ev ev-', timeline.group(0))) >= 4
    assert re.search(r'<audio id="clip-audio" controls="" preload="metadata" src="[^"]*clip-00000\.wav"', dom)
    assert re.search(r'<table class="data" id="diff">', dom)                # what changed overnight


def test_a_screenshot_is_kept_as_an_artifact(report):
    index, root = report
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    out = chromium(index.as_uri() + "#clip=clip-00003", root / "profile-shot", "--window-size=1400,3200",
                   f"--screenshot={shot}")
    assert out.returncode == 0, out.stderr[-2000:]
    assert shot.is_file() and shot.stat().st_size > 20_000
    print(f"report screenshot: {shot}")

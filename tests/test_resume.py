"""A scoring run killed with SIGKILL and started again ends with the warehouse of an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from uaap.synthetic import synthetic_keys, synthetic_prediction
from uaap.warehouse import connect
from uaap.warehouse.writer import write_bench, write_clips, write_predictions, write_system

N_CLIPS = 240
SYSTEMS = ("s-low", "s-mid", "s-high")
COMPARED = ("benches", "clips", "answer_events", "systems", "prediction_sets", "predictions", "profiles",
            "embeddings", "event_matches", "pred_outcomes", "clip_scores")


def _seed_home(home: Path) -> None:
    con = connect(path=home / "uaap.duckdb")
    try:
        items = synthetic_keys(N_CLIPS, seed=11, bench="resume")
        write_bench(con, "resume", recipe="synthetic", params={}, source_dir=None)
        write_clips(con, "resume", items)
        for i, system in enumerate(SYSTEMS):
            preds = [synthetic_prediction(k, system, skill=i / 2) for _, k in items]
            write_system(con, system, kind="imported")
            write_predictions(con, "resume", preds, {p.clip_id: [e.to_json() for e in p.events] for p in preds})
    finally:
        con.close()


def _snapshot(home: Path) -> dict[str, list]:
    con = connect(path=home / "uaap.duckdb", read_only=True)
    try:
        out = {}
        for table in COMPARED:
            cols = [r[0] for r in con.execute(f"describe {table}").fetchall() if r[0] != "created_at"]
            out[table] = con.execute(f"select {', '.join(cols)} from {table} order by all").fetchall()
        return out
    finally:
        con.close()


def _score_cmd(home: Path, prefect_home: Path) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ, UAAP_HOME=str(home), PREFECT_HOME=str(prefect_home))
    return [sys.executable, "-m", "uaap.cli", "score", "--system", "all", "--bench", "resume"], env


def _run(home: Path, prefect_home: Path) -> str:
    cmd, env = _score_cmd(home, prefect_home)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def _summary_counts(stdout: str) -> dict[str, int]:
    fields = dict(part.split(": ", 1) for part in stdout.strip().splitlines()[-1].split(" · "))
    return {k: int(fields[k]) for k in ("cached", "computed", "failed", "tasks")}


def test_kill_9_mid_run_then_rerun_equals_an_uninterrupted_run(tmp_path):
    prefect_home = tmp_path / "prefect"
    reference, resumed = tmp_path / "reference", tmp_path / "resumed"
    for home in (reference, resumed):
        home.mkdir()
        _seed_home(home)

    _run(reference, prefect_home)

    cmd, env = _score_cmd(resumed, prefect_home)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    results = resumed / "results"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if results.is_dir() and sum(1 for _ in results.iterdir()) >= N_CLIPS // 4:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed: make the bench larger"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    done_at_kill = sum(1 for _ in results.iterdir())
    assert 0 < done_at_kill < N_CLIPS

    counts = _summary_counts(_run(resumed, prefect_home))
    assert counts["failed"] == 0 and counts["tasks"] == N_CLIPS
    # results being written by the (up to 6) worker threads at the kill may be incomplete
    assert counts["cached"] >= done_at_kill - 8 > 0
    assert counts["computed"] == N_CLIPS - counts["cached"]

    assert _snapshot(resumed) == _snapshot(reference)

    again = _summary_counts(_run(resumed, prefect_home))
    assert again["computed"] == 0 and again["cached"] == N_CLIPS
    assert _snapshot(resumed) == _snapshot(reference)

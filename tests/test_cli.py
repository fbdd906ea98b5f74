"""The CLI contract other tools rely on, and read commands that never start Prefect."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time

import pytest

from uaap.synthetic import synthetic_keys, synthetic_prediction
from uaap.scoring import load_profile, score_clip
from uaap.warehouse import open_warehouse
from uaap.warehouse.leaderboards import COLUMNS
from uaap.warehouse.writer import (
    write_bench, write_clip_results, write_clips, write_predictions, write_profile, write_system,
)


@pytest.fixture
def scored_home(uaap_home):
    items = synthetic_keys(20, seed=5, bench="cli")
    profile = load_profile("soundscape-v1")
    with open_warehouse() as con:
        write_bench(con, "cli", recipe="synthetic", params={}, source_dir=None)
        write_clips(con, "cli", items)
        write_profile(con, "soundscape-v1:test:fake", name="soundscape-v1", params={}, embedder_id="fake")
        for i, system in enumerate(("weak", "strong")):
            preds = [synthetic_prediction(k, system, skill=0.2 + 0.7 * i) for _, k in items]
            write_system(con, system, kind="imported")
            write_predictions(con, "cli", preds, {p.clip_id: [e.to_json() for e in p.events] for p in preds})
            results = [score_clip(k, p, profile, lambda a, b: float(a == b)) for (_, k), p in zip(items, preds)]
            write_clip_results(con, "soundscape-v1:test:fake", "cli", [(system, r.clip_id, "k", "p", r) for r in results])
    return uaap_home


def _uaap(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    code = (
        "import sys; from uaap.cli import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "finally:\n    assert 'prefect' not in sys.modules, 'a read command imported prefect'\n"
    )
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=dict(os.environ), timeout=60)
    return out, time.perf_counter() - t0


def test_leaderboard_json_is_the_stable_contract(scored_home):
    out, seconds = _uaap("leaderboard", "--bench", "cli", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["system"] for r in rows] == ["strong", "weak"]
    assert all(list(r) == list(COLUMNS) for r in rows)
    assert all(0 <= r[c] <= 1 for r in rows for c in ("reward", "f1", "recall", "halluc", "iou") if r[c] is not None)
    assert seconds < 5, f"leaderboard took {seconds:.1f} s"


@pytest.mark.parametrize("by,column", [("type", "type"), ("language", "language"), ("snr", "snr"), ("overlap", "overlap")])
def test_leaderboard_breakdowns_add_their_column(scored_home, by, column):
    out, _ = _uaap("leaderboard", "--bench", "cli", "--by", by, "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows and all(list(r) == ["system", column, *COLUMNS[1:]] for r in rows)


def test_leaderboard_table_and_csv(scored_home):
    table, _ = _uaap("leaderboard", "--bench", "cli")
    assert "strong" in table.stdout and "reward" in table.stdout
    out, _ = _uaap("leaderboard", "--bench", "cli", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["system"] for r in rows] == ["strong", "weak"] and list(rows[0]) == list(COLUMNS)


def test_sql_answers_json_rows(scored_home):
    out, seconds = _uaap("sql", "select system_id, count(*) as n from clip_scores group by 1 order by 1", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [{"system_id": "strong", "n": 20}, {"system_id": "weak", "n": 20}]
    assert seconds < 5


def test_errors_say_what_to_do(scored_home):
    out, _ = _uaap("leaderboard", "--bench", "nope")
    assert out.returncode == 2 and "has no scores yet" in out.stderr
    out, _ = _uaap("sql", "select * from no_such_table")
    assert out.returncode == 2 and "no_such_table" in out.stderr


def test_reading_without_a_warehouse_explains_how_to_start(uaap_home):
    out, _ = _uaap("leaderboard", "--bench", "x")
    assert out.returncode == 2 and "uaap bench import" in out.stderr

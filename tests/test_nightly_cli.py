"""The nightly CLI: read commands answer without Prefect; nightly/schedule fail early with one clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
import yaml

from uaap.stats import COLUMNS
from uaap.warehouse import open_warehouse

from _history_data import make_bench, nightly_snapshot, score_system

_NO_PREFECT = (
    "import sys; from uaap.cli import main\n"
    "try:\n    main(sys.argv[1:])\n"
    "finally:\n    assert 'prefect' not in sys.modules, 'a read command imported prefect'\n"
)


def uaap(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _NO_PREFECT, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.fixture
def history_home(uaap_home, tmp_path, monkeypatch):
    with open_warehouse() as con:
        items = make_bench(con, "nb", n_clips=16, audio_dir=tmp_path / "audio")
        for system, skill in (("alpha", 0.3), ("beta", 0.85)):
            score_system(con, "nb", items, system, skill)
        nightly_snapshot(con, "run-1", date(2026, 5, 1), "nb", ["alpha", "beta"], resamples=100)
        score_system(con, "nb", items, "alpha", 0.9, seed=3)
        nightly_snapshot(con, "run-2", date(2026, 5, 2), "nb", ["alpha", "beta"], resamples=100)
    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "nightly.yaml").write_text(yaml.safe_dump(
        {"benches": [{"name": "nb", "import": str(tmp_path / "audio")}], "systems": [{"name": "oracle", "builtin": "oracle"}]}))
    monkeypatch.setenv("UAAP_CONFIGS", str(configs))
    return uaap_home


def test_leaderboard_ci_adds_lo_and_hi_keys_and_nothing_else(history_home):
    out = uaap("leaderboard", "--bench", "nb", "--ci", "--resamples", "200", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    expected = ["system", *COLUMNS] + [f"{c}_{end}" for c in COLUMNS for end in ("lo", "hi")]
    assert all(list(r) == expected for r in rows)
    assert all(r["reward_lo"] <= r["reward"] <= r["reward_hi"] for r in rows)
    by_type = json.loads(uaap("leaderboard", "--bench", "nb", "--by", "type", "--ci", "--resamples", "50",
                              "--format", "json").stdout)
    assert all("type" in r and "f1_lo" in r for r in by_type)


def test_diff_defaults_to_the_last_two_nights_of_the_plans_bench(history_home):
    out = uaap("diff", "--format", "json", "--resamples", "300")
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["meta"]["before"]["run_id"] == "run-1" and found["meta"]["after"]["run_id"] == "run-2"
    assert {r["system"] for r in found["rows"]} == {"alpha"}
    assert any(r["column"] == "reward" and r["grouping"] == "overall" and r["change"] == "better" for r in found["rows"])
    table = uaap("diff", "--bench", "nb", "--runs", "run-2", "run-1", "--resamples", "100")
    assert table.returncode == 0 and "worse" in table.stdout and "run-2" in table.stderr


def test_compare_and_its_errors(history_home):
    out = uaap("compare", "--bench", "nb", "--a", "alpha", "--b", "beta", "--format", "json", "--resamples", "200")
    assert out.returncode == 0, out.stderr
    rows = {r["column"]: r for r in json.loads(out.stdout)}
    assert set(rows) == set(COLUMNS) and {"delta", "ci_lo", "ci_hi", "p_value", "prob_a_better", "verdict"} <= set(rows["f1"])
    bad = uaap("compare", "--bench", "nb", "--a", "alpha", "--b", "gamma")
    assert bad.returncode == 2 and "system 'gamma' has no scores" in bad.stderr


def test_report_and_export_run_without_prefect(history_home, tmp_path):
    out = uaap("report", "--out", str(tmp_path / "report"), "--resamples", "100")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "report" / "index.html").is_file() and "16 clips × 2 systems" in out.stdout
    out = uaap("export", "--out", str(tmp_path / "export"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "export" / "clip_scores").is_dir() and "read_parquet" in out.stdout


def test_nightly_check_validates_the_plan_without_running_it(history_home, tmp_path):
    out = uaap("nightly", "--check")
    assert out.returncode == 0 and "is valid: 1 bench(es) (nb)" in out.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("benches: [{name: x}]\nsystems: [{name: oracle, builtin: oracle}]\n")
    out = uaap("nightly", "--plan", str(bad))
    assert out.returncode == 2 and "expected exactly one of import, recipe" in out.stderr


def test_schedule_without_a_server_says_how_to_start_one(history_home):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    out = subprocess.run([sys.executable, "-c", _NO_PREFECT, "schedule"], capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.returncode == 2 and "prefect server start --host 127.0.0.1" in out.stderr
    out = uaap("schedule", env={"PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert out.returncode == 2 and "no Prefect server answers" in out.stderr

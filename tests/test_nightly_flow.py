"""The nightly flow end to end on the example bench, two nights (real Prefect, DuckDB and scoring).

The bench builder and the expert pipeline are made unavailable, so their steps must fail with a
clear error row while every other step goes on.
"""

from __future__ import annotations

import json
import shutil
import sys

import duckdb
import pytest
import yaml

from uaap.warehouse import fetch_dicts, open_warehouse
from uaap.warehouse.confidence import diff_runs

from conftest import EXAMPLES


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory):
    root = tmp_path_factory.mktemp("nightly")
    bench = root / "bench"
    preds = root / "predictions"
    shutil.copytree(EXAMPLES / "bench", bench)
    shutil.copytree(EXAMPLES / "predictions", preds)
    plan = root / "plan.yaml"
    plan.write_text(yaml.safe_dump({
        "benches": [{"name": "example", "import": "bench"},
                    {"name": "soundscape-x", "recipe": "soundscape", "n": 2, "seed": 1}],
        "systems": [{"name": "careful", "predictions": "predictions/careful", "benches": ["example"]},
                    {"name": "sloppy", "predictions": "predictions/sloppy", "benches": ["example"]},
                    {"name": "oracle", "builtin": "oracle"},
                    {"name": "empty", "builtin": "empty", "benches": ["example"]},
                    {"name": "cpu-default", "pipeline": True, "benches": ["example"]}],
        "resamples": 200,
    }))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UAAP_HOME", str(root / "home"))
        mp.setitem(sys.modules, "uaap.flows.build_bench", None)   # "not installed"
        mp.setitem(sys.modules, "uaap.flows.annotate", None)
        from uaap.flows.nightly import nightly

        first = nightly(str(plan), "2026-05-01")
        for f in (preds / "sloppy").iterdir():                     # overnight, sloppy learns to be careful
            f.unlink()
        for f in (preds / "careful").iterdir():
            shutil.copy(f, preds / "sloppy" / f.name)
        second = nightly(str(plan), "2026-05-02")
        yield {"home": root / "home", "first": first, "second": second, "plan": plan}


def _home(two_nights, monkeypatch):
    monkeypatch.setenv("UAAP_HOME", str(two_nights["home"]))


def test_each_night_is_one_runs_row_with_timed_steps(two_nights, monkeypatch):
    _home(two_nights, monkeypatch)
    with open_warehouse() as con:
        runs = fetch_dicts(con, "select run_id, status, git_commit, package_versions, parameters, summary, "
                                "finished_at from runs where flow = 'nightly' order by started_at")
    assert [r["status"] for r in runs] == ["partial", "partial"]
    summary = json.loads(runs[0]["summary"])
    assert summary["run_id"] == two_nights["first"]["run_id"] and summary["status"] == "partial"
    steps = {(s["step"], s["bench"], s["system"]): s for s in summary["steps"]}
    for key in [("ensure_bench", "example", ""), ("import_predictions", "example", "careful"), ("builtin", "example", "oracle"),
                ("score", "example", ""), ("compile_leaderboards", "example", ""), ("snapshot", "example", ""),
                ("report", "example", ""), ("export", "", "")]:
        assert steps[key]["status"] == "completed" and steps[key]["seconds"] >= 0, key
    assert steps[("ensure_bench", "soundscape-x", "")]["status"] == "failed"
    assert steps[("annotate", "example", "cpu-default")]["status"] == "failed"
    assert steps[("system", "soundscape-x", "oracle")]["status"] == "skipped"
    assert runs[0]["finished_at"] is not None and "duckdb" in json.loads(runs[0]["package_versions"])
    assert json.loads(runs[0]["parameters"])["plan"]["resamples"] == 200


def test_a_missing_component_is_an_error_row_and_the_other_steps_go_on(two_nights, monkeypatch):
    _home(two_nights, monkeypatch)
    run_id = two_nights["first"]["run_id"]
    with open_warehouse() as con:
        errors = fetch_dicts(con, "select step, bench_id, system_id, message from errors where run_id = ? order by step",
                             [run_id])
        board = fetch_dicts(con, "select system_id from lb_overall where bench_id = 'example' order by reward desc")
    assert [(e["step"], e["bench_id"], e["system_id"]) for e in errors] == [
        ("nightly.annotate", "example", "cpu-default"), ("nightly.ensure_bench", "soundscape-x", "")]
    assert "uaap.flows.annotate.annotate_bench" in errors[0]["message"] and "the other steps went on" in errors[0]["message"]
    assert "uaap.flows.build_bench.build_bench" in errors[1]["message"]
    assert [b["system_id"] for b in board][0] == "oracle" and {b["system_id"] for b in board} == {
        "oracle", "careful", "sloppy", "empty"}


def test_history_has_one_row_per_night_and_system(two_nights, monkeypatch):
    _home(two_nights, monkeypatch)
    with open_warehouse() as con:
        history = fetch_dicts(con, "select night, system_id, reward, reward_change from lb_history "
                                   "where bench_id = 'example' order by system_id, night")
    assert len(history) == 8 and {h["system_id"] for h in history} == {"careful", "sloppy", "oracle", "empty"}
    sloppy = [h for h in history if h["system_id"] == "sloppy"]
    assert sloppy[1]["reward"] > sloppy[0]["reward"] and sloppy[1]["reward_change"] > 0


def test_diff_of_the_last_two_nights_says_sloppy_got_better(two_nights, monkeypatch):
    _home(two_nights, monkeypatch)
    with open_warehouse() as con:
        meta, rows = diff_runs(con, "example", resamples=500)
    assert meta["before"]["night"] == "2026-05-01" and meta["after"]["night"] == "2026-05-02"
    assert {r["system"] for r in rows} == {"sloppy"}
    overall = {r["column"]: r["change"] for r in rows if r["grouping"] == "overall"}
    assert overall["reward"] == "better" and overall["f1"] == "better"


def test_the_export_and_the_report_are_there_in_the_morning(two_nights, monkeypatch):
    _home(two_nights, monkeypatch)
    export = two_nights["home"] / "export"
    nights = duckdb.connect().execute(
        f"select distinct night from read_parquet('{export}/lb_snapshots/**/*.parquet', hive_partitioning = true) "
        "order by 1").fetchall()
    assert [str(n[0]) for n in nights] == ["2026-05-01", "2026-05-02"]
    runs = duckdb.connect().execute(
        f"select status from read_parquet('{export}/runs/**/*.parquet') where flow = 'nightly'").fetchall()
    assert sorted(r[0] for r in runs) == ["partial", "partial"]
    report = two_nights["home"] / "reports" / "example" / "index.html"
    assert two_nights["second"]["benches"][0]["report"] == str(report)
    html = report.read_text()
    assert "uaap report — example" in html and 'class="plot"' in html and "2026-05-02" in html


def test_a_plan_whose_every_bench_fails_is_a_failed_run(tmp_path, monkeypatch):
    from uaap.flows.nightly import NightlyFailed, nightly

    monkeypatch.setenv("UAAP_HOME", str(tmp_path / "home"))
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump({"benches": [{"name": "gone", "import": "no-such-folder"}],
                                    "systems": [{"name": "oracle", "builtin": "oracle"}], "export": False}))
    with pytest.raises(NightlyFailed, match="ensure_bench of bench 'gone' failed: bench folder .*no-such-folder") as err:
        nightly(str(plan), "2026-05-03")
    assert err.value.summary["status"] == "failed"
    with open_warehouse() as con:
        runs = fetch_dicts(con, "select status from runs where flow = 'nightly'")
        errors = fetch_dicts(con, "select step, bench_id from errors")
    assert runs == [{"status": "failed"}] and errors == [{"step": "nightly.ensure_bench", "bench_id": "gone"}]

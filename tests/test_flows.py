"""The Prefect flows end to end on the repository's example bench (real DuckDB, real caching)."""

from __future__ import annotations

import json

import pytest

from uaap.flows import add_builtin_system, compile_leaderboards, import_bench, import_predictions, score_system
from uaap.warehouse import fetch_dicts, open_warehouse
from uaap.warehouse.leaderboards import COLUMNS, leaderboard

PERFECT = {"reward": 1.0, "iou_cos": 1.0, "iou": 1.0, "f1": 1.0, "recall": 1.0, "wer": 0.0, "how_cos": 1.0,
           "snd_cos": 1.0, "spk_acc": 1.0, "halluc": 0.0}


@pytest.fixture
def scored(uaap_home, example_bench, example_predictions):
    import_bench(str(example_bench), "example")
    for system in ("careful", "sloppy"):
        import_predictions(str(example_predictions / system), system, "example")
    add_builtin_system("oracle", "example")
    add_builtin_system("empty", "example")
    summary = score_system("example", ["all"], show_progress=False)
    return summary, example_bench, example_predictions


def test_demo_pipeline_ranks_oracle_first_and_empty_last(scored):
    summary, _, _ = scored
    assert summary["computed"] == 3 and summary["failed"] == 0
    with open_warehouse() as con:
        rows = leaderboard(con, "example")
    assert [r["system"] for r in rows][0] == "oracle" and rows[-1]["system"] == "empty"
    oracle = rows[0]
    for column, value in PERFECT.items():
        assert oracle[column] == pytest.approx(value), column
    assert rows[-1]["reward"] == 0 and rows[-1]["f1"] == 0
    careful = next(r for r in rows if r["system"] == "careful")
    sloppy = next(r for r in rows if r["system"] == "sloppy")
    assert 0 < sloppy["reward"] < careful["reward"] < 1
    assert set(rows[0]) == set(COLUMNS)


def test_rerun_with_nothing_changed_recomputes_nothing(scored):
    first, _, _ = scored
    with open_warehouse() as con:
        before = fetch_dicts(con, "select * from clip_scores order by all")
    again = score_system("example", ["all"], show_progress=False)
    assert again["cached"] == first["computed"] == 3 and again["computed"] == 0 and again["embedded"] == 0
    with open_warehouse() as con:
        assert fetch_dicts(con, "select * from clip_scores order by all") == before


def test_changing_one_prediction_file_recomputes_only_that_clip(scored):
    _, _, preds = scored
    path = preds / "careful" / "ex-0002.json"
    events = json.loads(path.read_text())
    events[0]["end_time"] = events[0]["end_time"] - 1.0
    path.write_text(json.dumps(events))
    import_predictions(str(preds / "careful"), "careful", "example")
    again = score_system("example", ["all"], show_progress=False)
    assert again["computed"] == 1 and again["cached"] == 2


def test_bad_predictions_become_error_rows_and_never_vanish(scored):
    with open_warehouse() as con:
        errors = fetch_dicts(con, "select clip_id, item, message from errors where system_id = 'sloppy' order by clip_id, item")
        stored = fetch_dicts(con, "select clip_id, count(*) n, count(*) filter (where not valid) bad "
                                  "from predictions where system_id = 'sloppy' group by all order by 1")
        outcome = fetch_dicts(con, "select count(*) n from pred_outcomes where system_id = 'sloppy' and not valid")
    messages = [e["message"] for e in errors]
    assert any("ex-0001.json: event 4: field 'start_time' expected a finite number" in m and "found 'abc'" in m for m in messages)
    assert any("ex-0001.json: event 5: field 'type'" in m and "'laugh'" in m for m in messages)
    assert any(e["clip_id"] == "ex-0003" and "not readable as JSON" in e["message"] for e in errors)
    assert stored == [{"clip_id": "ex-0001", "n": 6, "bad": 2}, {"clip_id": "ex-0002", "n": 6, "bad": 2}]
    assert outcome == [{"n": 4}]  # invalid events count as (hallucinated) predictions


def test_corrupt_audio_is_reported_and_the_other_clips_are_imported(uaap_home, example_bench):
    (example_bench / "ex-0002.wav").write_bytes(b"RIFF not really a wave file")
    (example_bench / "lonely.json").write_text((example_bench / "ex-0001.json").read_text())
    summary = import_bench(str(example_bench), "broken")
    assert summary["clips"] == 2
    with open_warehouse() as con:
        errors = fetch_dicts(con, "select clip_id, message from errors where bench_id = 'broken' order by clip_id")
    assert [e["clip_id"] for e in errors] == ["ex-0002", "lonely"]
    assert "not readable as audio" in errors[0]["message"] and "without audio" in errors[1]["message"]


def test_audio_is_hashed_once_per_file_version(uaap_home, example_bench, monkeypatch):
    import uaap.tasks.imports as imports

    calls = []
    real = imports.file_sha256
    monkeypatch.setattr(imports, "file_sha256", lambda p, *a: calls.append(p) or real(p, *a))
    import_bench(str(example_bench), "example")
    import_bench(str(example_bench), "example")
    assert len(calls) == 3


def test_compile_leaderboards_rebuilds_views(scored):
    out = compile_leaderboards("example")
    assert {"lb_overall", "lb_by_type", "lb_by_language"} <= set(out["views"])
    assert out["rows"][0]["system"] == "oracle"


def test_runs_are_recorded(scored):
    with open_warehouse() as con:
        runs = fetch_dicts(con, "select flow, status, summary from runs order by started_at")
    assert [r["flow"] for r in runs] == ["import_bench", "import_predictions", "import_predictions", "score_system"]
    assert all(r["status"] == "completed" for r in runs)
    assert json.loads(runs[-1]["summary"])["computed"] == 3

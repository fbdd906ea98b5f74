"""The DuckDB warehouse: migrations, idempotent upserts, round trips and the views."""

from __future__ import annotations

import json

import duckdb
import pytest

from uaap.records import ClipScore
from uaap.scoring import load_profile, score_clip
from uaap.synthetic import synthetic_keys, synthetic_prediction
from uaap.warehouse import connect, open_warehouse
from uaap.warehouse.leaderboards import COLUMNS, leaderboard
from uaap.warehouse.read import load_answer_keys, load_predictions
from uaap.warehouse.writer import write_bench, write_clip_results, write_clips, write_predictions, write_system


def _table_counts(con) -> dict[str, int]:
    tables = [r[0] for r in con.execute("select table_name from information_schema.tables where table_type = 'BASE TABLE'").fetchall()]
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in tables}


def _seed(con, n=12, systems=("a", "b")):
    items = synthetic_keys(n, seed=3, bench="b1")
    write_bench(con, "b1", recipe="synthetic", params={}, source_dir=None)
    write_clips(con, "b1", items)
    preds = {}
    for i, s in enumerate(systems):
        ps = [synthetic_prediction(k, s, skill=0.3 + 0.5 * i) for _, k in items]
        write_system(con, s, kind="imported")
        write_predictions(con, "b1", ps, {p.clip_id: [e.to_json() for e in p.events] for p in ps})
        preds[s] = ps
    return items, preds


def test_migrations_apply_once(uaap_home):
    with open_warehouse() as con:
        first = con.execute("select count(*) from schema_migrations").fetchall()[0][0]
    with open_warehouse() as con:
        assert con.execute("select count(*) from schema_migrations").fetchall()[0][0] == first >= 1
        views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert {"lb_overall", "lb_by_type", "lb_by_language", "lb_by_snr", "lb_by_overlap", "prep_clip_dims"} <= views


def test_keys_and_predictions_round_trip_through_the_warehouse(uaap_home):
    with open_warehouse() as con:
        items, preds = _seed(con)
        keys = load_answer_keys(con, "b1")
        assert [keys[c.clip_id] for c, _ in items] == [k for _, k in items]
        assert all(keys[c.clip_id].sha256 == k.sha256 for c, k in items)
        loaded = load_predictions(con, "a", "b1", [c.clip_id for c, _ in items])
        for p in preds["a"]:
            assert loaded[p.clip_id].events == p.events and loaded[p.clip_id].sha256 == p.sha256


def test_writes_are_idempotent(uaap_home):
    with open_warehouse() as con:
        _seed(con)
        before = _table_counts(con)
        _seed(con)
        assert _table_counts(con) == before


def test_rewriting_a_prediction_with_fewer_events_leaves_no_stale_rows(uaap_home):
    with open_warehouse() as con:
        items, preds = _seed(con, n=2, systems=("a",))
        p = preds["a"][0]
        shorter = type(p)(p.system, p.clip_id, events=p.events[:1])
        write_predictions(con, "b1", [shorter], {p.clip_id: [p.events[0].to_json()]})
        n = con.execute("select count(*) from predictions where system_id='a' and clip_id=?", [p.clip_id]).fetchall()[0][0]
    assert n == 1


def test_lb_overall_sums_before_it_divides(uaap_home):
    profile = load_profile("soundscape-v1")
    sim = lambda a, b: 1.0 if a == b else 0.3  # noqa: E731
    with open_warehouse() as con:
        items, preds = _seed(con)
        results = [score_clip(k, p, profile, sim) for (_, k), p in zip(items, preds["a"])]
        from uaap.warehouse.writer import write_profile

        write_profile(con, "prof", name="test", params={}, embedder_id="fake")
        write_clip_results(con, "prof", "b1", [("a", r.clip_id, "k", "p", r) for r in results])
        row = [r for r in leaderboard(con, "b1", "overall", "prof") if r["system"] == "a"][0]
    total = sum((r.totals for r in results), ClipScore.zero())
    assert list(row) == list(COLUMNS)
    assert row["reward"] == pytest.approx(total.reward)
    assert row["f1"] == pytest.approx(total.f1)
    assert row["wer"] == pytest.approx(total.wer)
    assert row["halluc"] == pytest.approx(total.halluc)
    assert row["iou_cos"] == pytest.approx(total.iou_cos)
    assert row["pred_per_clip"] == pytest.approx(total.pred_per_clip)
    # per-type rows add up to the overall counts
    with open_warehouse() as con:
        by_type = leaderboard(con, "b1", "type", "prof")
    n_key = sum(r["true_per_clip"] for r in by_type if r["system"] == "a")
    assert n_key == pytest.approx(total.true_per_clip)


def test_a_reader_gets_a_clear_error_when_no_warehouse_exists(uaap_home):
    with pytest.raises(FileNotFoundError, match="uaap bench import"):
        connect(read_only=True)

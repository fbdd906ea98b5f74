"""Bootstrap over the warehouse: per-clip rows reproduce the views; CIs, compare, history and diff."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from uaap.stats import COLUMNS, estimate
from uaap.warehouse import fetch_dicts, open_warehouse
from uaap.warehouse.confidence import (
    NotEnoughNights, compare_systems, diff_runs, group_key, leaderboard_ci, load_clip_groups,
)
from uaap.warehouse.leaderboards import GROUPINGS

from _history_data import PROFILE_ID, make_bench, nightly_snapshot, score_system


@pytest.fixture
def bench(uaap_home):
    with open_warehouse() as con:
        items = make_bench(con, "hist", n_clips=30)
        score_system(con, "hist", items, "weak", 0.2)
        score_system(con, "hist", items, "strong", 0.9, extra_junk=True)
    return items


def test_per_clip_rows_reproduce_every_leaderboard_number(bench):
    with open_warehouse() as con:
        groups = load_clip_groups(con, "hist", PROFILE_ID)
        checked = 0
        for by, (view, group_col, _) in GROUPINGS.items():
            rows = fetch_dicts(con, f"select * from {view} where bench_id = 'hist' and profile_id = ?", [PROFILE_ID])
            keys = {(r["system_id"], by, group_key(r[group_col]) if group_col else "") for r in rows}
            assert keys == {k for k in groups.tables if k[1] == by}, by
            for r, key in zip(rows, [(r["system_id"], by, group_key(r[group_col]) if group_col else "") for r in rows]):
                est = estimate(groups.tables[key])
                for column in COLUMNS:
                    if r[column] is None:
                        assert est[column] is None, (key, column)
                    else:
                        assert math.isclose(est[column], r[column], rel_tol=1e-9, abs_tol=1e-12), (key, column)
                    checked += 1
    assert checked > 300
    assert any(not t.in_group.all() and t.values[:, 8].any() for k, t in groups.tables.items() if k[1] == "language")


def test_leaderboard_intervals_bracket_the_leaderboard_value(bench):
    with open_warehouse() as con:
        found = leaderboard_ci(con, "hist", "overall", resamples=300)
        by_type = leaderboard_ci(con, "hist", "type", resamples=300)
    for system in ("weak", "strong"):
        reward = found[(system, "")]["reward"]
        assert reward.lo <= reward.value <= reward.hi and reward.hi - reward.lo < 0.5
    assert ("strong", "speech") in by_type and by_type[("strong", "speech")]["wer"].lo is not None


def test_compare_says_the_strong_system_beats_the_weak_one(bench):
    with open_warehouse() as con:
        rows = {r["column"]: r for r in compare_systems(con, "hist", "strong", "weak", resamples=500)}
    assert rows["reward"]["verdict"] == "strong better" and rows["reward"]["p_value"] < 0.01
    assert rows["reward"]["ci_lo"] > 0 and rows["reward"]["prob_a_better"] > 0.99
    assert rows["wer"]["delta"] < 0 and rows["wer"]["verdict"] == "strong better"  # lower WER is better


def test_compare_unknown_system_names_the_known_ones(bench):
    with open_warehouse() as con, pytest.raises(LookupError, match="scored systems: strong, weak"):
        compare_systems(con, "hist", "strong", "nope", resamples=10)


def test_diff_flags_only_the_system_that_changed_between_nights(bench):
    with open_warehouse() as con:
        nightly_snapshot(con, "run-1", date(2026, 5, 1), "hist", ["weak", "strong"])
        score_system(con, "hist", bench, "weak", 0.8, seed=1)          # weak got much better overnight
        nightly_snapshot(con, "run-2", date(2026, 5, 2), "hist", ["weak", "strong"])
        meta, rows = diff_runs(con, "hist", resamples=300)
        _, everything = diff_runs(con, "hist", resamples=300, show_all=True)
    assert meta["before"]["night"] == "2026-05-01" and meta["after"]["night"] == "2026-05-02"
    assert {r["system"] for r in rows} == {"weak"}
    overall = {r["column"]: r for r in rows if r["grouping"] == "overall"}
    assert overall["reward"]["change"] == "better" and overall["reward"]["ci_lo"] > 0
    assert any(r["grouping"] == "type" for r in rows)
    strong = [r for r in everything if r["system"] == "strong"]
    assert strong and all(r["delta"] == 0 and r["change"] == "" for r in strong)


def test_diff_explains_that_it_needs_two_nights(bench):
    with open_warehouse() as con:
        nightly_snapshot(con, "run-1", date(2026, 5, 1), "hist", ["weak"])
        with pytest.raises(NotEnoughNights, match="needs two"):
            diff_runs(con, "hist")
        with pytest.raises(LookupError, match="left no snapshot"):
            diff_runs(con, "hist", runs=("run-1", "run-x"))


def test_history_keeps_one_row_per_night_system_and_profile(bench):
    with open_warehouse() as con:
        nightly_snapshot(con, "run-1", date(2026, 5, 1), "hist", ["weak", "strong"])
        score_system(con, "hist", bench, "weak", 0.5, seed=2)
        nightly_snapshot(con, "run-1b", date(2026, 5, 1), "hist", ["weak", "strong"])   # a rerun the same night
        nightly_snapshot(con, "run-2", date(2026, 5, 2), "hist", ["weak", "strong"])
        history = fetch_dicts(con, "select night, system_id, run_id, reward, reward_change, ci from lb_history "
                                   "order by system_id, night")
        snapshot_rows = fetch_dicts(con, "select count(*) n from clip_group_snapshots where run_id = 'run-2'")
    assert [(str(h["night"]), h["system_id"]) for h in history] == [
        ("2026-05-01", "strong"), ("2026-05-02", "strong"), ("2026-05-01", "weak"), ("2026-05-02", "weak")]
    assert {h["run_id"] for h in history if str(h["night"]) == "2026-05-01"} == {"run-1b"}
    assert history[1]["reward_change"] == pytest.approx(0.0)
    lo, hi = json.loads(history[0]["ci"])["reward"]
    assert lo <= history[0]["reward"] <= hi
    assert snapshot_rows[0]["n"] > 0

"""The cached leaderboards: the views' own rows while the scores stay as they were, the views after."""

from __future__ import annotations

import math

import pytest

from uaap.warehouse import open_warehouse
from uaap.warehouse.lb_cache import cached_rows, refresh_lb_cache
from uaap.warehouse.leaderboards import GROUPINGS, leaderboard

from _history_data import PROFILE_ID, make_bench, score_system


def _same(a: list[dict], b: list[dict]) -> bool:
    def close(x, y):
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12) if isinstance(x, float) and isinstance(y, float) else x == y

    return len(a) == len(b) and all(list(ra) == list(rb) and all(close(ra[k], rb[k]) for k in ra) for ra, rb in zip(a, b))


@pytest.fixture
def cached(uaap_home):
    with open_warehouse() as con:
        items = make_bench(con, "lc", n_clips=15)
        score_system(con, "lc", items, "one", 0.4)
        score_system(con, "lc", items, "two", 0.8)
        views = {by: leaderboard(con, "lc", by) for by in GROUPINGS}
        refresh_lb_cache(con, "lc")
    return items, views


def test_cached_leaderboards_are_the_views_rows(cached):
    _, views = cached
    with open_warehouse(read_only=True) as con:
        for by in GROUPINGS:
            assert cached_rows(con, "lc", PROFILE_ID, by) is not None
            assert _same(leaderboard(con, "lc", by), views[by]), by
        overlap = leaderboard(con, "lc", "overlap")
    assert {type(r["overlap"]) for r in overlap} == {bool}


def test_new_scores_make_the_cache_stale_and_the_views_answer(cached):
    items, views = cached
    with open_warehouse() as con:
        score_system(con, "lc", items, "one", 0.95, seed=7)       # scores changed, cache not refreshed
        assert cached_rows(con, "lc", PROFILE_ID, "overall") is None
        fresh = leaderboard(con, "lc", "overall")
        assert fresh[0]["system"] == "one" and not _same(fresh, views["overall"])
        refresh_lb_cache(con, "lc")
        assert cached_rows(con, "lc", PROFILE_ID, "overall") is not None
        assert _same(leaderboard(con, "lc", "overall"), fresh)

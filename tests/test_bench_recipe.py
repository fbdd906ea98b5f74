"""Clip planning: the recipe's proportions, determinism, and ranges."""

from __future__ import annotations

from collections import Counter

import pytest
from _bench_pool import shared_tiny_pool

from uaap.bench import PlanError, RecipeParams, plan_clip


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory):
    return shared_tiny_pool(tmp_path_factory)[0]


@pytest.fixture(scope="module")
def tiny_pool(tmp_path_factory):
    return shared_tiny_pool(tmp_path_factory)[1]


N = 400


@pytest.fixture(scope="module")
def plans(tiny_pool):
    return [plan_clip(RecipeParams(), 123, i, tiny_pool) for i in range(N)]


def test_backgrounds_follow_sixty_twenty_twenty(plans):
    share = Counter(p.background for p in plans)
    assert abs(share["music"] / N - 0.6) < 0.07
    assert abs(share["ambience"] / N - 0.2) < 0.06
    assert abs(share["silence"] / N - 0.2) < 0.06


def test_a_quarter_of_clips_overlap_and_bursts_follow_about_forty_percent_of_turns(plans):
    assert abs(sum(p.overlap for p in plans) / N - 0.25) < 0.06
    turns = sum(1 for p in plans for x in p.placements if x.role == "speech")
    bursts = sum(1 for p in plans for x in p.placements if x.role == "vocal_burst")
    assert abs(bursts / turns - 0.4) < 0.06


def test_every_plan_keeps_the_recipe_ranges(plans):
    for p in plans:
        roles = Counter(x.role for x in p.placements)
        assert 10.0 <= p.duration_s <= 60.0
        assert 1 <= roles["speech"] <= 3 and 1 <= roles["sound_event"] <= 3
        assert roles["music"] + roles["ambience"] == (0 if p.background == "silence" else 1)
        assert all(0 <= x.start and x.end <= p.n_samples for x in p.placements)
        speakers = [x.speaker for x in p.placements if x.role == "speech"]
        assert len(set(speakers)) == len(speakers)


def test_a_plan_depends_only_on_seed_and_index(tiny_pool, plans):
    assert plan_clip(RecipeParams(), 123, 17, tiny_pool) == plans[17]
    assert plan_clip(RecipeParams(), 124, 17, tiny_pool) != plans[17]


def test_a_negative_seed_is_refused_with_what_was_found(tiny_pool):
    with pytest.raises(PlanError, match="seed=-1"):
        plan_clip(RecipeParams(), -1, 0, tiny_pool)

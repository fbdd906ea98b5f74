"""Clip-level bootstrap on hand-checkable cases (pure numpy, no warehouse)."""

from __future__ import annotations

import numpy as np
import pytest

from uaap.stats import ClipSums, bootstrap_ci, estimate, paired_bootstrap, paired_bootstrap_many, resample_weights
from uaap.stats.bootstrap import _percentiles


def clips(*rows: dict) -> ClipSums:
    return ClipSums.from_rows(rows)


def test_point_estimates_sum_then_divide():
    t = clips({"n_key": 1, "reward_sum": 0.5, "f1": 0.5, "wer_edits": 1, "wer_ref_units": 10, "n_pred": 2, "n_halluc": 1},
              {"n_key": 3, "reward_sum": 3.0, "f1": 1.0, "wer_edits": 1, "wer_ref_units": 2, "n_pred": 2})
    est = estimate(t)
    assert est["reward"] == pytest.approx(3.5 / 4)          # not the mean of 0.5 and 1.0
    assert est["f1"] == pytest.approx(0.75)                 # F1 is per clip: mean over clips
    assert est["wer"] == pytest.approx(2 / 12)              # pooled edits over pooled reference words
    assert est["halluc"] == pytest.approx(1 / 4)
    assert est["pred_per_clip"] == pytest.approx(2.0) and est["true_per_clip"] == pytest.approx(2.0)


def test_columns_without_a_denominator_are_undefined():
    est = estimate(clips({"n_key": 2, "reward_sum": 1.0}))
    assert est["wer"] is None and est["how_cos"] is None and est["spk_acc"] is None and est["halluc"] is None
    ci = bootstrap_ci(clips({"n_key": 2, "reward_sum": 1.0}), resamples=50)
    assert ci["wer"].value is None and ci["wer"].lo is None and ci["wer"].hi is None


def test_every_resample_draws_as_many_clips_as_the_bench_has():
    w = resample_weights(7, resamples=500, seed=3)
    assert w.shape == (500, 7) and (w.sum(axis=1) == 7).all() and (w >= 0).all()


def test_two_clips_interval_runs_from_one_clip_to_the_other():
    # resampled means of two clips are f1_a, (f1_a + f1_b) / 2 or f1_b with chances 1/4, 1/2, 1/4:
    # the 2.5 % and 97.5 % percentiles are exactly the two clips' values
    ci = bootstrap_ci(clips({"f1": 0.2, "n_key": 1}, {"f1": 0.8, "n_key": 1}), resamples=1000, seed=0)
    assert ci["f1"].value == pytest.approx(0.5)
    assert ci["f1"].lo == pytest.approx(0.2) and ci["f1"].hi == pytest.approx(0.8)


def test_identical_clips_give_an_interval_of_width_zero():
    ci = bootstrap_ci(clips(*[{"n_key": 2, "reward_sum": 1.2, "f1": 0.6}] * 9), resamples=200)
    for column in ("reward", "f1"):
        assert ci[column].lo == pytest.approx(ci[column].value) == pytest.approx(ci[column].hi)


def test_the_seed_fixes_the_interval():
    rng = np.random.default_rng(1)
    t = clips(*[{"n_key": 3, "reward_sum": float(x), "f1": float(x) / 3} for x in rng.uniform(0, 3, 40)])
    a, b = bootstrap_ci(t, seed=11), bootstrap_ci(t, seed=11)
    other = bootstrap_ci(t, seed=12)
    assert (a["reward"].lo, a["reward"].hi) == (b["reward"].lo, b["reward"].hi)
    assert (a["reward"].lo, a["reward"].hi) != (other["reward"].lo, other["reward"].hi)
    assert a["reward"].lo < a["reward"].value < a["reward"].hi


def test_paired_bootstrap_of_a_system_against_itself_finds_nothing():
    t = clips(*[{"n_key": 2, "reward_sum": r, "f1": r / 2} for r in (0.1, 0.9, 1.5, 0.4)])
    result = paired_bootstrap(t, t, resamples=300)
    assert result["reward"].delta == 0 and result["reward"].lo == 0 and result["reward"].hi == 0
    assert result["reward"].p_value == 1.0 and result["reward"].verdict == "within noise"


def test_a_constant_gain_on_every_clip_is_exact_and_significant():
    base = [0.1, 0.5, 0.3, 0.7, 0.2]
    a = clips(*[{"n_key": 1, "f1": f + 0.1} for f in base])
    b = clips(*[{"n_key": 1, "f1": f} for f in base])
    result = paired_bootstrap(a, b, resamples=999, seed=4)["f1"]
    assert result.delta == pytest.approx(0.1)
    assert result.lo == pytest.approx(0.1) and result.hi == pytest.approx(0.1)   # same clips drawn for A and B
    assert result.prob_a_better == 1.0 and result.p_value == pytest.approx(2 / 1000)
    assert result.verdict == "A better"


def test_lower_wer_and_halluc_count_as_better():
    a = clips(*[{"n_key": 1, "wer_edits": 1, "wer_ref_units": 10, "n_pred": 4, "n_halluc": 0}] * 6)
    b = clips(*[{"n_key": 1, "wer_edits": 4, "wer_ref_units": 10, "n_pred": 4, "n_halluc": 2}] * 6)
    result = paired_bootstrap(a, b, resamples=200)
    assert result["wer"].delta == pytest.approx(-0.3) and result["wer"].verdict == "A better"
    assert result["halluc"].verdict == "A better" and result["halluc"].prob_a_better == 1.0
    assert paired_bootstrap(b, a, resamples=200)["wer"].verdict == "B better"


def test_type_rows_divide_counts_per_clip_by_every_scored_clip():
    # a type present on 1 of 4 scored clips: #true per clip is 2 / 4, as lb_by_type divides by all clips
    t = ClipSums.from_rows([{"n_key": 2, "f1": 1.0}, {}, {}, {}], in_group=[1, 0, 0, 0], per_clip=[1, 1, 1, 1])
    est = estimate(t)
    assert est["true_per_clip"] == pytest.approx(0.5) and est["f1"] == pytest.approx(1.0)


def test_misaligned_rows_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="aligned"):
        paired_bootstrap(clips({"n_key": 1}), clips({"n_key": 1}, {"n_key": 1}), resamples=10)


def test_interval_percentiles_match_numpy_and_skip_undefined_resamples():
    rng = np.random.default_rng(7)
    samples = rng.normal(size=(6, 301))
    samples[1, ::3] = np.nan
    samples[4] = np.nan
    lo, hi = _percentiles(samples, 0.95)
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        expected = np.nanpercentile(samples, [2.5, 97.5], axis=-1)
    np.testing.assert_allclose(lo, expected[0])
    np.testing.assert_allclose(hi, expected[1])


def test_many_pairs_at_once_equal_one_pair_at_a_time():
    rng = np.random.default_rng(2)
    make = lambda: clips(*[{"n_key": 2, "reward_sum": float(x), "f1": float(x) / 2} for x in rng.uniform(0, 2, 12)])  # noqa: E731
    pairs = [(make(), make()) for _ in range(3)]
    together = paired_bootstrap_many(pairs, resamples=300, seed=5)
    for (a, b), found in zip(pairs, together):
        alone = paired_bootstrap(a, b, resamples=300, seed=5)
        assert (found["reward"].lo, found["reward"].hi, found["reward"].p_value) == (
            alone["reward"].lo, alone["reward"].hi, alone["reward"].p_value)

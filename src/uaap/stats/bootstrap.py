"""Clip-level bootstrap of leaderboard columns (pure numpy).

A leaderboard row (a system on a bench, or on one type / language / SNR band / overlap group)
is a set of clips, and each clip carries its sums and counts (the ``prep_clip_groups`` view).
A resample draws the bench's clips with replacement; every column is recomputed from the
resampled clips exactly as the ``lb_*`` views compute it: sum, then divide, and means over
clips only for the per-clip metrics (F1, recall, #pred, #true). One resample is one row of a
weight matrix (how often each clip was drawn), so all columns of all rows are one matrix
product, and two systems scored on the same clips are compared on the *same* resamples
(a paired bootstrap).

>>> t = ClipSums.from_rows([{"n_key": 1, "reward_sum": 0.5, "f1": 0.5}, {"n_key": 3, "reward_sum": 3.0, "f1": 1.0}])
>>> round(estimate(t)["reward"], 4), round(estimate(t)["f1"], 4)   # 3.5 / 4 (sum, then divide); mean of F1
(0.875, 0.75)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

__all__ = [
    "FIELDS",
    "COLUMNS",
    "LOWER_IS_BETTER",
    "NEUTRAL",
    "ClipSums",
    "Interval",
    "Paired",
    "resample_weights",
    "columns_from_sums",
    "estimate",
    "bootstrap_ci",
    "bootstrap_ci_many",
    "paired_bootstrap",
    "paired_bootstrap_many",
]

#: Per-clip sums and counts, in the column order of :attr:`ClipSums.values`.
FIELDS: tuple[str, ...] = (
    "n_key", "n_pred", "n_halluc", "reward_sum", "iou_cos_sum", "iou_sum", "f1", "recall",
    "wer_edits", "wer_ref_units", "n_speech_matched", "how_cos_sum", "n_snd_matched", "snd_cos_sum", "n_spk_ok",
)
_F = {name: i for i, name in enumerate(FIELDS)}

#: Leaderboard columns the bootstrap recomputes (the order of ``uaap leaderboard``).
COLUMNS: tuple[str, ...] = (
    "reward", "iou_cos", "iou", "f1", "recall", "wer", "how_cos", "snd_cos", "spk_acc", "halluc",
    "pred_per_clip", "true_per_clip",
)
#: Columns where a smaller number is better.
LOWER_IS_BETTER = frozenset({"wer", "halluc"})
#: Columns that describe the output rather than its quality (no better or worse).
NEUTRAL = frozenset({"pred_per_clip", "true_per_clip"})


@dataclass(frozen=True)
class ClipSums:
    """Per-clip sums and counts of one leaderboard row, aligned to a bench's list of clips.

    Attributes:
        values: ``(n_clips, len(FIELDS))``; zeros for clips that add nothing to the row.
        in_group: ``(n_clips,)`` 1 where the clip belongs to the row (its per-clip metrics count).
        per_clip: ``(n_clips,)`` 1 for the clips ``#pred``/``#true`` per clip divide by: the row's
            clips, or every scored clip of the system for event-type rows (as ``lb_by_type``).
    """

    values: np.ndarray
    in_group: np.ndarray
    per_clip: np.ndarray

    @classmethod
    def from_rows(
        cls, rows: Sequence[Mapping[str, float]], *, in_group: Sequence[bool] | None = None,
        per_clip: Sequence[bool] | None = None,
    ) -> "ClipSums":
        """Build from one mapping per clip (missing fields are 0); every clip in the row by default."""
        values = np.array([[float(r.get(f, 0.0) or 0.0) for f in FIELDS] for r in rows], dtype=np.float64)
        values = values.reshape(len(rows), len(FIELDS))
        member = np.ones(len(rows)) if in_group is None else np.asarray(in_group, dtype=np.float64)
        per = member if per_clip is None else np.asarray(per_clip, dtype=np.float64)
        return cls(values, member, per)

    @property
    def n_clips(self) -> int:
        return int(self.in_group.sum())


@dataclass(frozen=True)
class Interval:
    """A point estimate and its bootstrap percentile interval (``None`` where undefined)."""

    value: float | None
    lo: float | None
    hi: float | None


@dataclass(frozen=True)
class Paired:
    """A paired bootstrap of one column: A − B on the same resampled clips.

    ``p_value`` is two-sided (how often the resampled difference falls on the other side of 0,
    doubled, with add-one smoothing so it is never 0); ``prob_a_better`` is the share of resamples
    in which A is better (higher, or lower for :data:`LOWER_IS_BETTER` columns).
    """

    column: str
    a: float | None
    b: float | None
    delta: float | None
    lo: float | None
    hi: float | None
    p_value: float | None
    prob_a_better: float | None

    @property
    def significant(self) -> bool:
        """The interval of A − B excludes 0."""
        return self.lo is not None and self.hi is not None and (self.lo > 0 or self.hi < 0)

    @property
    def verdict(self) -> str:
        """``'A better'``, ``'B better'``, ``'changed'`` (neutral column) or ``'within noise'``."""
        if not self.significant or self.delta is None:
            return "within noise"
        if self.column in NEUTRAL:
            return "changed"
        a_higher = self.delta > 0
        return "A better" if a_higher != (self.column in LOWER_IS_BETTER) else "B better"


def resample_weights(n_clips: int, resamples: int = 1000, seed: int = 0) -> np.ndarray:
    """``(resamples, n_clips)`` draw counts: row ``r`` says how often each clip is in resample ``r``.

    >>> w = resample_weights(5, resamples=3, seed=1)
    >>> w.shape, w.sum(axis=1).tolist()
    ((3, 5), [5.0, 5.0, 5.0])
    """
    rng = np.random.default_rng(seed)
    if n_clips == 0:
        return np.zeros((resamples, 0))
    return rng.multinomial(n_clips, np.full(n_clips, 1.0 / n_clips), size=resamples).astype(np.float64)


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def columns_from_sums(sums: np.ndarray, n_in: np.ndarray, n_per: np.ndarray) -> dict[str, np.ndarray]:
    """Every column from summed fields (``sums[..., FIELDS]``), clip counts ``n_in`` and ``n_per``."""
    s = lambda name: sums[..., _F[name]]  # noqa: E731
    return {
        "reward": _div(s("reward_sum"), s("n_key")),
        "iou_cos": _div(s("iou_cos_sum"), s("n_key")),
        "iou": _div(s("iou_sum"), s("n_key")),
        "f1": _div(s("f1"), n_in),
        "recall": _div(s("recall"), n_in),
        "wer": _div(s("wer_edits"), s("wer_ref_units")),
        "how_cos": _div(s("how_cos_sum"), s("n_speech_matched")),
        "snd_cos": _div(s("snd_cos_sum"), s("n_snd_matched")),
        "spk_acc": _div(s("n_spk_ok"), s("n_speech_matched")),
        "halluc": _div(s("n_halluc"), s("n_pred")),
        "pred_per_clip": _div(s("n_pred"), n_per),
        "true_per_clip": _div(s("n_key"), n_per),
    }


def _plain(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def estimate(table: ClipSums) -> dict[str, float | None]:
    """The row's columns on all its clips (what the ``lb_*`` view shows)."""
    cols = columns_from_sums(table.values.sum(axis=0), table.in_group.sum(), table.per_clip.sum())
    return {c: _plain(float(v)) for c, v in cols.items()}


def _resampled(tables: Sequence[ClipSums], weights: np.ndarray) -> dict[str, np.ndarray]:
    """Columns of each table on each resample: ``{column: (n_tables, resamples)}``."""
    n = weights.shape[1]
    values = np.stack([t.values for t in tables], axis=1).reshape(n, -1)          # (n, T·F)
    sums = (weights @ values).reshape(weights.shape[0], len(tables), len(FIELDS))  # (B, T, F)
    n_in = weights @ np.stack([t.in_group for t in tables], axis=1)                # (B, T)
    n_per = weights @ np.stack([t.per_clip for t in tables], axis=1)
    cols = columns_from_sums(sums, n_in, n_per)
    return {c: v.T for c, v in cols.items()}


def _percentiles(samples: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval over the last axis, ignoring resamples where the column is undefined.

    Vectorised over the leading axes; the same linear interpolation as ``numpy.percentile``.
    """
    tail = (1.0 - level) / 2.0
    flat = samples.reshape(-1, samples.shape[-1])
    ordered = np.sort(flat, axis=-1)                       # undefined (NaN) resamples sort last
    finite = np.isfinite(flat).sum(axis=-1)
    out = []
    for q in (tail, 1.0 - tail):
        pos = np.maximum(finite - 1, 0) * q
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, np.maximum(finite - 1, 0))
        v_lo = np.take_along_axis(ordered, lo[:, None], axis=-1)[:, 0]
        v_hi = np.take_along_axis(ordered, hi[:, None], axis=-1)[:, 0]
        value = v_lo + (v_hi - v_lo) * (pos - lo)
        out.append(np.where(finite > 0, value, np.nan).reshape(samples.shape[:-1]))
    return out[0], out[1]


def _check(tables: Sequence[ClipSums], weights: np.ndarray) -> None:
    for t in tables:
        if t.values.shape != (weights.shape[1], len(FIELDS)):
            raise ValueError(
                f"bootstrap expected clip sums of shape ({weights.shape[1]}, {len(FIELDS)}) aligned to the "
                f"resampled clips, found {t.values.shape}; align every row to the same list of clips"
            )


def bootstrap_ci_many(
    tables: Sequence[ClipSums], *, resamples: int = 1000, seed: int = 0, level: float = 0.95,
    weights: np.ndarray | None = None,
) -> list[dict[str, Interval]]:
    """95 % (``level``) percentile intervals of every column of every table, on shared resamples.

    All tables must be aligned to the same clips (one bench); the resamples draw those clips.
    """
    if not tables:
        return []
    if weights is None:
        weights = resample_weights(tables[0].values.shape[0], resamples, seed)
    _check(tables, weights)
    cols = _resampled(tables, weights)
    points = [estimate(t) for t in tables]
    out: list[dict[str, Interval]] = [{} for _ in tables]
    for column, samples in cols.items():
        lo, hi = _percentiles(samples, level)
        for i in range(len(tables)):
            point = points[i][column]
            defined = point is not None
            out[i][column] = Interval(point, _plain(lo[i]) if defined else None, _plain(hi[i]) if defined else None)
    return out


def bootstrap_ci(
    table: ClipSums, *, resamples: int = 1000, seed: int = 0, level: float = 0.95, weights: np.ndarray | None = None,
) -> dict[str, Interval]:
    """Percentile intervals of every column of one leaderboard row (clip-level resampling).

    Args:
        table: the row's per-clip sums.
        resamples: how many resamples (1000 by default).
        seed: the seed of the resampling (fixed: the same input gives the same interval).
        level: coverage of the interval (0.95).
        weights: explicit ``(resamples, n_clips)`` draw counts (overrides ``resamples`` and ``seed``).

    Returns:
        ``{column: Interval(value, lo, hi)}``; ``None`` where the column is undefined (e.g. WER without speech).
    """
    return bootstrap_ci_many([table], resamples=resamples, seed=seed, level=level, weights=weights)[0]


def paired_bootstrap_many(
    pairs: Sequence[tuple[ClipSums, ClipSums]], *, resamples: int = 1000, seed: int = 0, level: float = 0.95,
    weights: np.ndarray | None = None, columns: Sequence[str] = COLUMNS,
) -> list[dict[str, Paired]]:
    """:func:`paired_bootstrap` of many (A, B) pairs aligned to the same clips, on shared resamples."""
    if not pairs:
        return []
    if weights is None:
        weights = resample_weights(pairs[0][0].values.shape[0], resamples, seed)
    flat = [t for pair in pairs for t in pair]
    _check(flat, weights)
    cols = _resampled(flat, weights)                                   # {column: (2·pairs, B)}
    points = [estimate(t) for t in flat]
    out: list[dict[str, Paired]] = [{} for _ in pairs]
    for column in columns:
        delta = cols[column][0::2] - cols[column][1::2]                # (pairs, B)
        lo, hi = _percentiles(delta, level)
        finite = np.isfinite(delta)
        m = finite.sum(axis=1)
        le = (finite & (delta <= 0)).sum(axis=1)
        ge = (finite & (delta >= 0)).sum(axis=1)
        better = (finite & ((delta < 0) if column in LOWER_IS_BETTER else (delta > 0))).sum(axis=1)
        for i in range(len(pairs)):
            va, vb = points[2 * i][column], points[2 * i + 1][column]
            if va is None or vb is None or not m[i]:
                out[i][column] = Paired(column, va, vb, None, None, None, None, None)
                continue
            p = min(1.0, 2.0 * min((le[i] + 1) / (m[i] + 1), (ge[i] + 1) / (m[i] + 1)))
            out[i][column] = Paired(column, va, vb, va - vb, _plain(lo[i]), _plain(hi[i]), float(p),
                                    float(better[i]) / float(m[i]))
    return out


def paired_bootstrap(
    a: ClipSums, b: ClipSums, *, resamples: int = 1000, seed: int = 0, level: float = 0.95,
    weights: np.ndarray | None = None, columns: Sequence[str] = COLUMNS,
) -> dict[str, Paired]:
    """Does A beat B? Both recomputed on the same resampled clips; returns A − B per column.

    Args:
        a, b: per-clip sums of the two rows, aligned to the same clips.
        resamples, seed, level, weights: as in :func:`bootstrap_ci`.
        columns: which columns to compare.
    """
    return paired_bootstrap_many([(a, b)], resamples=resamples, seed=seed, level=level, weights=weights,
                                 columns=columns)[0]

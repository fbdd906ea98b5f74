"""Confidence for leaderboard numbers, from the per-clip rows of the warehouse.

Live numbers come from the ``prep_clip_groups`` view (current ``clip_scores``), past nights from
``clip_group_snapshots``. Every function resamples the bench's clips (fixed seed, 1000 resamples
by default) with :mod:`uaap.stats.bootstrap`; nothing here imports Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from uaap.stats.bootstrap import (
    COLUMNS, FIELDS, NEUTRAL, ClipSums, Interval, Paired, bootstrap_ci_many, paired_bootstrap_many, resample_weights,
)
from uaap.warehouse.leaderboards import GROUPINGS, resolve_profile

__all__ = [
    "GROUPING_ORDER",
    "DIFF_COLUMNS",
    "ClipGroups",
    "NotEnoughNights",
    "group_key",
    "load_clip_groups",
    "row_intervals",
    "leaderboard_ci",
    "add_ci",
    "compare_systems",
    "nightly_runs",
    "diff_runs",
]

GROUPING_ORDER: tuple[str, ...] = ("overall", "type", "language", "snr", "overlap")
#: Columns ``uaap diff`` looks at: the quality columns (not #pred / #true per clip).
DIFF_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in NEUTRAL)


class NotEnoughNights(LookupError):
    """``uaap diff`` found fewer than two nightly snapshots."""


def group_key(value: Any) -> str:
    """The ``group_value`` text of a leaderboard row's group (``''`` overall, ``'true'`` for overlap)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class ClipGroups:
    """Per-clip sums of every (system, grouping, group_value) row, aligned to one list of clips."""

    clip_ids: list[str]
    tables: dict[tuple[str, str, str], ClipSums] = field(default_factory=dict)
    scored: dict[str, np.ndarray] = field(default_factory=dict)

    def systems(self) -> list[str]:
        return sorted(self.scored)

    def rows_of(self, grouping: str) -> list[tuple[str, str, str]]:
        return sorted(k for k in self.tables if k[1] == grouping)


def load_clip_groups(
    con, bench: str, profile_id: str, *, groupings: Iterable[str] | None = None,
    systems: Sequence[str] | None = None, run_id: str | None = None,
) -> ClipGroups:
    """Per-clip sums of a bench: live (``prep_clip_groups``) or as a nightly run left them (``run_id``)."""
    source = "clip_group_snapshots" if run_id else "prep_clip_groups"
    where, params = ["bench_id = ?", "profile_id = ?"], [bench, profile_id]
    if run_id:
        where.append("run_id = ?")
        params.append(run_id)
    if groupings is not None:
        wanted = sorted(set(groupings) | {"overall"})
        where.append("grouping in (select unnest(?))")
        params.append(wanted)
    if systems is not None:
        where.append("system_id in (select unnest(?))")
        params.append(list(systems))
    data = con.execute(
        f"select system_id, clip_id, grouping, group_value, in_group, {', '.join(FIELDS)} "
        f"from {source} where {' and '.join(where)}",
        params,
    ).fetchnumpy()
    clip_ids = sorted(set(data["clip_id"].tolist()))
    out = ClipGroups(clip_ids)
    if not clip_ids:
        return out
    index = {c: i for i, c in enumerate(clip_ids)}
    clip_pos = np.fromiter((index[c] for c in data["clip_id"]), dtype=np.int64, count=len(data["clip_id"]))
    matrix = np.column_stack([np.asarray(data[f], dtype=np.float64) for f in FIELDS])
    member = np.asarray(data["in_group"], dtype=np.float64)
    keys = np.array(
        [f"{s}\x1f{g}\x1f{v}" for s, g, v in zip(data["system_id"], data["grouping"], data["group_value"])], dtype=object
    )
    uniq, inverse = np.unique(keys, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(uniq) + 1))
    n = len(clip_ids)
    raw: dict[tuple[str, str, str], tuple[np.ndarray, np.ndarray]] = {}
    for u, key in enumerate(uniq):
        rows = order[bounds[u]:bounds[u + 1]]
        values = np.zeros((n, len(FIELDS)))
        values[clip_pos[rows]] = matrix[rows]
        in_group = np.zeros(n)
        in_group[clip_pos[rows]] = member[rows]
        system, grouping, value = key.split("\x1f")
        raw[(system, grouping, value)] = (values, in_group)
        if grouping == "overall":
            out.scored[system] = in_group
    for (system, grouping, value), (values, in_group) in raw.items():
        scored = out.scored.get(system, np.zeros(n))
        per_clip = scored if grouping == "type" else in_group
        out.tables[(system, grouping, value)] = ClipSums(values, in_group, per_clip)
    return out


def row_intervals(
    groups: ClipGroups, keys: Sequence[tuple[str, str, str]], *, resamples: int = 1000, seed: int = 0,
    level: float = 0.95,
) -> dict[tuple[str, str, str], dict[str, Interval]]:
    """Intervals of every column of the given rows; all rows share the same resampled clips."""
    if not keys:
        return {}
    weights = resample_weights(len(groups.clip_ids), resamples, seed)
    found = bootstrap_ci_many([groups.tables[k] for k in keys], weights=weights, level=level)
    return dict(zip(keys, found))


def leaderboard_ci(
    con, bench: str, by: str = "overall", profile: str | None = None, *, resamples: int = 1000, seed: int = 0,
    level: float = 0.95,
) -> dict[tuple[str, str], dict[str, Interval]]:
    """``{(system, group_value): {column: Interval}}`` for the rows of ``uaap leaderboard --by BY``."""
    grouping = by if by in GROUPINGS else None
    if grouping is None:
        raise ValueError(f"--by expected one of {', '.join(GROUPINGS)}, found '{by}'")
    profile_id = resolve_profile(con, bench, profile)
    groups = load_clip_groups(con, bench, profile_id, groupings=[grouping])
    found = row_intervals(groups, groups.rows_of(grouping), resamples=resamples, seed=seed, level=level)
    return {(s, v): cols for (s, _, v), cols in found.items()}


def add_ci(rows: list[dict[str, Any]], intervals: dict[tuple[str, str], dict[str, Interval]], by: str = "overall") -> list[dict[str, Any]]:
    """Leaderboard rows with ``<column>_lo`` / ``<column>_hi`` keys appended (``None`` where undefined)."""
    group_name = GROUPINGS[by][2]
    out = []
    for row in rows:
        found = intervals.get((row["system"], group_key(row.get(group_name)) if group_name else ""), {})
        extra: dict[str, Any] = {}
        for column in COLUMNS:
            interval = found.get(column)
            extra[f"{column}_lo"] = interval.lo if interval else None
            extra[f"{column}_hi"] = interval.hi if interval else None
        out.append({**row, **extra})
    return out


def _paired_many(
    pairs: Sequence[tuple[ClipSums, ClipSums, np.ndarray]], weights_for, columns: Sequence[str], level: float,
) -> list[dict[str, Paired]]:
    """Paired bootstrap of A − B for each ``(A, B, mask)``, resampling the clips of ``mask`` (the
    clips both sides scored); pairs with the same mask share one batch of resamples."""
    out: list[dict[str, Paired] | None] = [None] * len(pairs)
    batches: dict[bytes, list[int]] = {}
    for i, (_, _, mask) in enumerate(pairs):
        batches.setdefault(np.asarray(mask, dtype=bool).tobytes(), []).append(i)
    for indices in batches.values():
        keep = np.asarray(pairs[indices[0]][2], dtype=bool)
        cut = lambda t: ClipSums(t.values[keep], t.in_group[keep], t.per_clip[keep])  # noqa: E731
        found = paired_bootstrap_many([(cut(pairs[i][0]), cut(pairs[i][1])) for i in indices],
                                      weights=weights_for(keep), level=level, columns=columns)
        for i, result in zip(indices, found):
            out[i] = result
    return out  # type: ignore[return-value]


def _weights_cache(resamples: int, seed: int):
    cache: dict[int, np.ndarray] = {}

    def weights_for(mask: np.ndarray) -> np.ndarray:
        n = int(np.count_nonzero(mask))
        if n not in cache:
            cache[n] = resample_weights(n, resamples, seed)
        return cache[n]

    return weights_for


def compare_systems(
    con, bench: str, a: str, b: str, *, by: str = "overall", profile: str | None = None, resamples: int = 1000,
    seed: int = 0, level: float = 0.95,
) -> list[dict[str, Any]]:
    """Paired bootstrap of system A against B on the clips both were scored on, per column (and group)."""
    if by not in GROUPINGS:
        raise ValueError(f"--by expected one of {', '.join(GROUPINGS)}, found '{by}'")
    profile_id = resolve_profile(con, bench, profile)
    groups = load_clip_groups(con, bench, profile_id, groupings=[by], systems=[a, b])
    for name in (a, b):
        if name not in groups.scored:
            known = [r[0] for r in con.execute(
                "select distinct system_id from clip_scores where bench_id = ? and profile_id = ? order by 1",
                [bench, profile_id]).fetchall()]
            raise LookupError(f"system '{name}' has no scores on bench '{bench}' (profile {profile_id}); "
                              f"scored systems: {', '.join(known) or 'none'}")
    common = groups.scored[a] * groups.scored[b]
    if not common.any():
        raise LookupError(f"systems '{a}' and '{b}' share no scored clip on bench '{bench}'")
    weights_for = _weights_cache(resamples, seed)
    group_name = GROUPINGS[by][2]
    rows = []
    values = [v for v in sorted({k[2] for k in groups.tables if k[1] == by})
              if (a, by, v) in groups.tables and (b, by, v) in groups.tables]
    found = _paired_many([(groups.tables[(a, by, v)], groups.tables[(b, by, v)], common) for v in values],
                         weights_for, COLUMNS, level)
    for value, results in zip(values, found):
        for column, p in results.items():
            row: dict[str, Any] = {"a": a, "b": b}
            if group_name:
                row[group_name] = value
            verdict = {"A better": f"{a} better", "B better": f"{b} better"}.get(p.verdict, p.verdict)
            row.update({"column": column, "a_value": p.a, "b_value": p.b, "delta": p.delta, "ci_lo": p.lo,
                        "ci_hi": p.hi, "p_value": p.p_value, "prob_a_better": p.prob_a_better, "verdict": verdict})
            rows.append(row)
    return rows


def nightly_runs(con, bench: str, profile: str | None = None) -> list[dict[str, Any]]:
    """The last nightly run of each night that snapshot ``bench`` (oldest first)."""
    params: list[Any] = [bench]
    cond = ""
    if profile:
        cond = " and (h.profile_id = ? or p.name = ?)"
        params += [profile, profile]
    cur = con.execute(
        "select h.night, h.run_id, h.profile_id, min(h.started_at) as started_at "
        "from lb_history h left join profiles p using (profile_id) "
        f"where h.bench_id = ?{cond} group by all order by h.night, started_at",
        params,
    )
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    latest: dict[Any, dict[str, Any]] = {}
    for r in rows:  # one run per night (lb_history keeps the last run of each night per system)
        latest[r["night"]] = r
    return [latest[n] for n in sorted(latest)]


def _run_info(con, run_id: str, bench: str) -> dict[str, Any]:
    found = con.execute(
        "select night, profile_id from lb_snapshots where run_id = ? and bench_id = ? group by all order by count(*) desc",
        [run_id, bench],
    ).fetchall()
    if not found:
        known = [r[0] for r in con.execute(
            "select distinct run_id from lb_snapshots where bench_id = ? order by 1", [bench]).fetchall()]
        raise LookupError(f"run '{run_id}' left no snapshot of bench '{bench}'; runs with snapshots: "
                          f"{', '.join(known[-10:]) or 'none'} (uaap sql \"select * from lb_history\")")
    return {"run_id": run_id, "night": found[0][0], "profile_id": found[0][1]}


def diff_runs(
    con, bench: str, *, runs: tuple[str, str] | None = None, profile: str | None = None, resamples: int = 1000,
    seed: int = 0, level: float = 0.95, show_all: bool = False,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What got better or worse from run A to run B (default: the last two nights), beyond noise.

    Every (system, grouping, group, column) present in both runs is a paired bootstrap of
    B − A over the clips both runs scored; a change counts when its interval excludes 0.

    Returns:
        ``(meta, rows)``: which runs were compared, and one row per change (every row with ``show_all``).
    """
    if runs:
        before, after = (_run_info(con, r, bench) for r in runs)
    else:
        nights = nightly_runs(con, bench, profile)
        if len(nights) < 2:
            raise NotEnoughNights(
                f"bench '{bench}' has {len(nights)} night(s) of nightly snapshots; uaap diff needs two: "
                "run uaap nightly on another night, or pass --runs RUN_A RUN_B"
            )
        before, after = nights[-2], nights[-1]
    if before["profile_id"] != after["profile_id"]:
        raise LookupError(f"runs {before['run_id']} and {after['run_id']} scored bench '{bench}' with different "
                          f"profiles ({before['profile_id']} vs {after['profile_id']}); numbers of two profiles never compare")
    profile_id = after["profile_id"]
    old = load_clip_groups(con, bench, profile_id, run_id=before["run_id"])
    new = load_clip_groups(con, bench, profile_id, run_id=after["run_id"])
    clip_ids = sorted(set(old.clip_ids) | set(new.clip_ids))
    old, new = _realign(old, clip_ids), _realign(new, clip_ids)
    weights_for = _weights_cache(resamples, seed)
    rows = []
    order = {g: i for i, g in enumerate(GROUPING_ORDER)}
    keys = sorted(set(old.tables) & set(new.tables), key=lambda k: (k[0], order.get(k[1], 99), k[2]))
    common = {s: old.scored.get(s, 0) * new.scored.get(s, 0) for s in {k[0] for k in keys}}
    keys = [k for k in keys if np.any(common[k[0]])]
    found = _paired_many([(new.tables[k], old.tables[k], common[k[0]]) for k in keys], weights_for, DIFF_COLUMNS, level)
    for key, results in zip(keys, found):
        system = key[0]
        for column, p in results.items():
            if p.a is None and p.b is None:
                continue  # undefined on both nights (e.g. WER of a group without speech)
            change = {"A better": "better", "B better": "worse"}.get(p.verdict, "")
            if not (show_all or change):
                continue
            rows.append({
                "system": system, "grouping": key[1], "group": key[2], "column": column,
                "before": p.b, "after": p.a, "delta": p.delta, "ci_lo": p.lo, "ci_hi": p.hi,
                "p_value": p.p_value, "change": change,
            })
    meta = {
        "bench": bench, "profile_id": profile_id, "resamples": resamples, "seed": seed, "level": level,
        "before": {"run_id": before["run_id"], "night": str(before["night"])},
        "after": {"run_id": after["run_id"], "night": str(after["night"])},
        "changes": sum(1 for r in rows if r["change"]),
    }
    return meta, rows


def _realign(groups: ClipGroups, clip_ids: list[str]) -> ClipGroups:
    """The same rows on a longer list of clips (zeros for clips the run did not score)."""
    if groups.clip_ids == clip_ids:
        return groups
    pos = np.array([clip_ids.index(c) for c in groups.clip_ids], dtype=np.int64)
    n = len(clip_ids)

    def grow(a: np.ndarray) -> np.ndarray:
        out = np.zeros((n, *a.shape[1:]))
        out[pos] = a
        return out

    out = ClipGroups(clip_ids)
    out.scored = {s: grow(m) for s, m in groups.scored.items()}
    out.tables = {k: ClipSums(grow(t.values), grow(t.in_group), grow(t.per_clip)) for k, t in groups.tables.items()}
    return out

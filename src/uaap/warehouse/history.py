"""Nightly history: what each nightly run left on the leaderboards, kept after reruns overwrite scores.

:func:`snapshot_run` copies the ``lb_*`` rows of the systems a run scored into ``lb_snapshots``
(with 95 % clip-bootstrap intervals) and their per-clip sums (``prep_clip_groups``) into
``clip_group_snapshots``, so ``uaap diff`` can bootstrap one night against another.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Sequence

from uaap.stats.bootstrap import COLUMNS, FIELDS
from uaap.warehouse.confidence import load_clip_groups, row_intervals
from uaap.warehouse.writer import transaction

__all__ = ["snapshot_run"]

_METRICS = ", ".join(COLUMNS)

#: (grouping, view, group column, clip-count column) of every leaderboard a snapshot copies.
_VIEWS = (
    ("overall", "lb_overall", "''", "n_clips"),
    ("type", "lb_by_type", "type", "n_clips_with_type"),
    ("language", "lb_by_language", "language", "n_clips"),
    ("snr", "lb_by_snr", "snr_band", "n_clips"),
    ("overlap", "lb_by_overlap", "cast(overlap as varchar)", "n_clips"),
)


def snapshot_run(
    con, run_id: str, night: date, bench: str, profile_id: str, systems: Sequence[str], *,
    resamples: int = 1000, seed: int = 0,
) -> dict[str, Any]:
    """Record the leaderboards of ``systems`` on ``bench`` as run ``run_id`` of ``night`` left them.

    Idempotent per (run, bench, profile): a repeated call replaces the run's rows.

    Returns:
        ``{"lb_rows": …, "clip_rows": …}`` counts written.
    """
    systems = list(systems)
    groups = load_clip_groups(con, bench, profile_id, systems=systems)
    keys = [k for k in groups.tables]
    intervals = row_intervals(groups, keys, resamples=resamples, seed=seed)
    ci_rows = [
        (s, g, v, json.dumps({c: [i.lo, i.hi] for c, i in cols.items() if i.lo is not None}))
        for (s, g, v), cols in intervals.items()
    ]
    selects = " union all ".join(
        f"select system_id, '{grouping}' as grouping, coalesce({col}, '') as group_value, {n_col} as n_clips, {_METRICS} "
        f"from {view} where bench_id = $bench and profile_id = $profile and system_id in (select unnest($systems))"
        for grouping, view, col, n_col in _VIEWS
    )
    params = {"run": run_id, "night": night, "bench": bench, "profile": profile_id, "systems": systems}
    with transaction(con):
        for table in ("lb_snapshots", "clip_group_snapshots"):
            con.execute(f"delete from {table} where run_id = ? and bench_id = ? and profile_id = ?",
                        [run_id, bench, profile_id])
        con.execute(
            f"insert into lb_snapshots (run_id, night, bench_id, profile_id, system_id, grouping, group_value, "
            f"n_clips, {_METRICS}) select $run, $night, $bench, $profile, system_id, grouping, group_value, "
            f"n_clips, {_METRICS} from ({selects})",
            params,
        )
        if ci_rows:
            con.execute(
                "update lb_snapshots set ci = t.ci::json from (select unnest($s) as system_id, unnest($g) as grouping, "
                "unnest($v) as group_value, unnest($c) as ci) t where lb_snapshots.run_id = $run "
                "and lb_snapshots.bench_id = $bench and lb_snapshots.profile_id = $profile "
                "and lb_snapshots.system_id = t.system_id and lb_snapshots.grouping = t.grouping "
                "and lb_snapshots.group_value = t.group_value",
                {"s": [r[0] for r in ci_rows], "g": [r[1] for r in ci_rows], "v": [r[2] for r in ci_rows],
                 "c": [r[3] for r in ci_rows], "run": run_id, "bench": bench, "profile": profile_id},
            )
        con.execute(
            f"insert into clip_group_snapshots (run_id, night, bench_id, profile_id, system_id, clip_id, grouping, "
            f"group_value, in_group, {', '.join(FIELDS)}) "
            f"select $run, $night, bench_id, profile_id, system_id, clip_id, grouping, group_value, in_group, "
            f"{', '.join(FIELDS)} from prep_clip_groups where bench_id = $bench and profile_id = $profile "
            f"and system_id in (select unnest($systems))",
            params,
        )
        counts = con.execute(
            "select (select count(*) from lb_snapshots where run_id = $run and bench_id = $bench and profile_id = $profile), "
            "(select count(*) from clip_group_snapshots where run_id = $run and bench_id = $bench and profile_id = $profile)",
            {"run": run_id, "bench": bench, "profile": profile_id},
        ).fetchall()[0]
    return {"lb_rows": counts[0], "clip_rows": counts[1]}

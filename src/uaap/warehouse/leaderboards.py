"""Reading leaderboards: one query over the ``lb_*`` views, rows as plain objects."""

from __future__ import annotations

import sys
from typing import Any

from uaap.warehouse.db import fetch_dicts

__all__ = ["COLUMNS", "GROUPINGS", "resolve_profile", "leaderboard"]

#: The stable column contract of ``uaap leaderboard --format json``.
COLUMNS = (
    "system", "reward", "iou_cos", "iou", "f1", "recall", "wer", "how_cos", "snd_cos",
    "spk_acc", "halluc", "pred_per_clip", "true_per_clip",
)

#: ``--by`` value → (view, grouping column, its name in the output)
GROUPINGS = {
    "overall": ("lb_overall", None, None),
    "type": ("lb_by_type", "type", "type"),
    "language": ("lb_by_language", "language", "language"),
    "snr": ("lb_by_snr", "snr_band", "snr"),
    "overlap": ("lb_by_overlap", "overlap", "overlap"),
}


class ProfileNotFound(LookupError):
    pass


def resolve_profile(con, bench: str, profile: str | None) -> str:
    """A profile id with scores on ``bench``: ``profile`` may be an id or a name (the latest scored wins)."""
    rows = con.execute(
        "with scored as (select profile_id, count(*) as n from clip_scores where bench_id = ? group by all), "
        "latest as (select summary->>'profile_id' as profile_id, max(started_at) as at from runs "
        "           where flow = 'score_system' and status = 'completed' group by all) "
        "select p.profile_id, p.name, s.n from profiles p join scored s using (profile_id) "
        "left join latest l using (profile_id) order by l.at desc nulls last, s.n desc, p.profile_id",
        [bench],
    ).fetchall()
    if not rows:
        raise ProfileNotFound(f"bench '{bench}' has no scores yet: run uaap score --system all --bench {bench}")
    if profile is None:
        matches = rows
    else:
        matches = [r for r in rows if r[0] == profile or r[1] == profile]
        if not matches:
            known = ", ".join(sorted({r[1] for r in rows} | {r[0] for r in rows}))
            raise ProfileNotFound(f"no scores of profile '{profile}' on bench '{bench}'; scored profiles: {known}")
    if len({r[0] for r in matches}) > 1:
        print(f"note: several profiles scored bench '{bench}'; showing {matches[0][0]} "
              f"(pass --profile with a full id to choose)", file=sys.stderr)
    return matches[0][0]


def leaderboard(con, bench: str, by: str = "overall", profile: str | None = None) -> list[dict[str, Any]]:
    """Rows sorted by Reward (best first), keys as in :data:`COLUMNS` plus the grouping column."""
    if by not in GROUPINGS:
        raise ValueError(f"--by expected one of {', '.join(GROUPINGS)}, found '{by}'")
    view, group_col, group_name = GROUPINGS[by]
    profile_id = resolve_profile(con, bench, profile)
    from uaap.warehouse.lb_cache import cached_rows

    cached = cached_rows(con, bench, profile_id, by)
    if cached is not None:  # the views' own rows, stored after scoring and still current
        return _from_cache(cached, group_name, by == "overlap")
    group_select = f"{group_col} as {group_name}, " if group_col else ""
    metric_cols = ", ".join(COLUMNS[1:])
    order = f"{group_col}, " if group_col else ""
    return fetch_dicts(
        con,
        f"select system_id as system, {group_select}{metric_cols} from {view} "
        f"where bench_id = ? and profile_id = ? order by {order}reward desc nulls last, system_id",
        [bench, profile_id],
    )


def _from_cache(rows: list[tuple[Any, ...]], group_name: str | None, boolean_group: bool) -> list[dict[str, Any]]:
    """Cached rows shaped and ordered exactly as the view query returns them."""
    out = []
    for system, group_value, *metrics in rows:
        row: dict[str, Any] = {"system": system}
        if group_name:
            row[group_name] = (group_value == "true") if boolean_group else group_value
        row.update(zip(COLUMNS[1:], metrics))
        out.append(row)
    group_of = (lambda r: r[group_name]) if group_name else (lambda r: 0)
    out.sort(key=lambda r: (group_of(r), r["reward"] is None, -(r["reward"] or 0.0), r["system"]))
    return out

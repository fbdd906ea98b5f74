"""A materialised copy of the ``lb_*`` views, checked against ``clip_scores`` before every use.

The views stay the source of truth. :func:`refresh_lb_cache` stores what they return for one
(profile, bench) with a fingerprint of that bench's ``clip_scores``; :func:`cached_rows` returns
the stored rows only while the fingerprint still matches, else ``None`` (the caller then asks
the views). On a warehouse of a million event matches this turns a multi-second aggregation
into a lookup.
"""

from __future__ import annotations

from typing import Any

import duckdb

from uaap.warehouse.writer import transaction

__all__ = ["METRICS", "VIEWS", "fingerprint", "refresh_lb_cache", "cached_rows"]

#: The leaderboard columns, in the order of ``uaap leaderboard`` (``COLUMNS`` without ``system``).
METRICS: tuple[str, ...] = (
    "reward", "iou_cos", "iou", "f1", "recall", "wer", "how_cos", "snd_cos", "spk_acc", "halluc",
    "pred_per_clip", "true_per_clip",
)
_METRICS = ", ".join(METRICS)

#: grouping → (view, group expression, clip-count column)
VIEWS: dict[str, tuple[str, str, str]] = {
    "overall": ("lb_overall", "''", "n_clips"),
    "type": ("lb_by_type", "type", "n_clips_with_type"),
    "language": ("lb_by_language", "language", "n_clips"),
    "snr": ("lb_by_snr", "snr_band", "n_clips"),
    "overlap": ("lb_by_overlap", "cast(overlap as varchar)", "n_clips"),
}


def fingerprint(con, bench: str, profile_id: str) -> str:
    """A digest of every clip_scores row of (profile, bench): it changes whenever a score changes."""
    count, digest = con.execute(
        "select count(*), coalesce(sum(hash(system_id, clip_id, key_sha256, pred_sha256, n_key, n_pred, n_halluc, "
        "n_invalid, reward_sum, score_sum, iou_sum, iou_cos_sum, f1, recall, wer_edits, n_spk_ok, how_cos_sum, "
        "snd_cos_sum)), 0) from clip_scores where bench_id = ? and profile_id = ?",
        [bench, profile_id],
    ).fetchall()[0]
    return f"{count}:{digest}"


def refresh_lb_cache(con, bench: str, profile_id: str | None = None) -> int:
    """Recompute the cached leaderboards of ``bench`` (one profile, or every profile scored on it)."""
    profiles = [profile_id] if profile_id else [r[0] for r in con.execute(
        "select distinct profile_id from clip_scores where bench_id = ?", [bench]).fetchall()]
    written = 0
    for pid in profiles:
        selects = " union all ".join(
            f"select profile_id, bench_id, system_id, '{g}', coalesce({expr}, ''), {n_col}, {_METRICS} "
            f"from {view} where bench_id = $bench and profile_id = $profile"
            for g, (view, expr, n_col) in VIEWS.items()
        )
        with transaction(con):
            con.execute("delete from lb_cache where bench_id = ? and profile_id = ?", [bench, pid])
            con.execute(f"insert into lb_cache (profile_id, bench_id, system_id, grouping, group_value, n_clips, "
                        f"{_METRICS}) {selects}", {"bench": bench, "profile": pid})
            con.execute("insert or replace into lb_cache_state (profile_id, bench_id, fingerprint) values (?, ?, ?)",
                        [pid, bench, fingerprint(con, bench, pid)])
        written += con.execute("select count(*) from lb_cache where bench_id = ? and profile_id = ?",
                               [bench, pid]).fetchall()[0][0]
    return written


def cached_rows(con, bench: str, profile_id: str, grouping: str) -> list[tuple[Any, ...]] | None:
    """``(system_id, group_value, *COLUMNS)`` rows of the cache, or ``None`` when absent or stale."""
    try:
        state = con.execute("select fingerprint from lb_cache_state where bench_id = ? and profile_id = ?",
                            [bench, profile_id]).fetchall()
    except duckdb.CatalogException:  # a warehouse from before migration 0003, opened read-only
        return None
    if not state or state[0][0] != fingerprint(con, bench, profile_id):
        return None
    return con.execute(
        f"select system_id, group_value, {_METRICS} from lb_cache "
        "where bench_id = ? and profile_id = ? and grouping = ?",
        [bench, profile_id, grouping],
    ).fetchall()

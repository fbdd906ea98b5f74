"""Flow ``compile_leaderboards``: rebuild every view and return the overall leaderboard."""

from __future__ import annotations

from typing import Any

from prefect import flow

from uaap.warehouse import open_warehouse
from uaap.warehouse.db import rebuild_views
from uaap.warehouse.lb_cache import refresh_lb_cache
from uaap.warehouse.leaderboards import leaderboard, resolve_profile

__all__ = ["compile_leaderboards"]


@flow(name="compile_leaderboards", log_prints=False)
def compile_leaderboards(bench: str, profile: str | None = None) -> dict[str, Any]:
    """Rebuild the ``prep_*`` and ``lb_*`` views and their cached copy; returns the bench's overall rows."""
    with open_warehouse() as con:
        views = rebuild_views(con)
        refresh_lb_cache(con, bench, resolve_profile(con, bench, profile))
        rows = leaderboard(con, bench, "overall", profile)
    return {"bench": bench, "views": views, "rows": rows}

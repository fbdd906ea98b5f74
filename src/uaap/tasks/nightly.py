"""Prefect tasks of the nightly flow: built-in systems, history snapshots, the report, the export.

Never cached: each reads or writes the warehouse as it is now.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from uaap.tasks.retry import retry_transient

__all__ = ["add_builtin_task", "snapshot_task", "report_task", "export_task"]

_WRITER = dict(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 3, 10], retry_condition_fn=retry_transient)


@task(task_run_name="builtin-{name}-{bench}", **_WRITER)
def add_builtin_task(name: str, bench: str) -> dict[str, Any]:
    """Store the predictions of a built-in system (oracle / empty) for every clip of a bench."""
    from uaap.flows.imports import add_builtin_system

    return add_builtin_system(name, bench)


@task(task_run_name="snapshot-{bench}", **_WRITER)
def snapshot_task(run_id: str, night: date, bench: str, profile_id: str, systems: list[str],
                  resamples: int, seed: int) -> dict[str, Any]:
    """Copy tonight's leaderboards and per-clip sums of ``systems`` into the history tables."""
    from uaap.warehouse import open_warehouse
    from uaap.warehouse.history import snapshot_run

    with open_warehouse() as con:
        return snapshot_run(con, run_id, night, bench, profile_id, systems, resamples=resamples, seed=seed)


@task(task_run_name="report-{bench}", cache_policy=NO_CACHE)
def report_task(bench: str, out_dir: str, profile_id: str, resamples: int, seed: int,
                run_info: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write the bench's static HTML report (``run_info``: the run writing it, still open)."""
    from uaap.report import write_report

    return write_report(bench, out_dir, profile=profile_id, resamples=resamples, seed=seed, last_run=run_info)


@task(task_run_name="export-parquet", **_WRITER)
def export_task(out_dir: str | None = None) -> dict[str, Any]:
    """Export the warehouse to hive-partitioned Parquet, published atomically."""
    from uaap.warehouse import open_warehouse
    from uaap.warehouse.export import export_parquet

    with open_warehouse(read_only=True) as con:
        return export_parquet(con, out_dir)

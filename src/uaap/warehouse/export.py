"""Export the warehouse to hive-partitioned Parquet, published atomically.

Readers query the export while the next run writes the DuckDB file::

    duckdb -c "select * from read_parquet('.uaap/export/clip_scores/**/*.parquet', hive_partitioning=true)"

Each export is written into a fresh folder beside the target (``.export-versions/<stamp>``),
and only when every table is complete is the target — a symbolic link — switched to it with
one ``rename``: a reader sees the previous export or the new one, never half of one. The
previous version is kept for readers still in the middle of a query; older ones are removed.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from uaap.home import uaap_home

__all__ = ["PARTITIONS", "SKIPPED_TABLES", "EXPORTED_VIEWS", "default_export_dir", "export_parquet", "partition_columns"]

#: Partition columns of the known tables (others: by bench_id / system_id / night when they have them).
PARTITIONS: dict[str, tuple[str, ...]] = {
    "runs": (),
    "errors": (),
    "benches": (),
    "systems": (),
    "profiles": (),
    "embeddings": (),
    "expert_outputs": (),
    "clips": ("bench_id",),
    "answer_events": ("bench_id",),
    "prediction_sets": ("bench_id", "system_id"),
    "predictions": ("bench_id", "system_id"),
    "event_matches": ("bench_id", "system_id"),
    "pred_outcomes": ("bench_id", "system_id"),
    "clip_scores": ("bench_id", "system_id"),
    "lb_snapshots": ("night",),
    "clip_group_snapshots": ("night",),
}
#: Bookkeeping tables that mean nothing outside this machine.
SKIPPED_TABLES = frozenset({"schema_migrations", "file_hashes"})
#: Views exported as plain tables (a Parquet reader has no views).
EXPORTED_VIEWS = ("lb_overall", "lb_by_type", "lb_by_language", "lb_by_snr", "lb_by_overlap", "lb_history")

_KEEP_VERSIONS = 2
_STALE_PARTIAL_S = 3600.0


def default_export_dir() -> Path:
    return uaap_home() / "export"


def partition_columns(table: str, columns: list[str]) -> tuple[str, ...]:
    """How a table is partitioned: the known layout, else bench_id / system_id / night if present."""
    if table in PARTITIONS:
        return PARTITIONS[table]
    return tuple(c for c in ("bench_id", "system_id", "night") if c in columns)


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _write_relation(con, name: str, folder: Path, partition: tuple[str, ...], columns: list[str]) -> int:
    """COPY one table or view into ``folder`` (one Parquet file when empty or unpartitioned)."""
    rows = con.execute(f'select count(*) from "{name}"').fetchall()[0][0]
    folder.mkdir(parents=True)
    select = f'select * from "{name}"'
    if partition and rows:
        order = ", ".join(partition)
        con.execute(
            f"copy ({select}) to {_quote(folder)} "
            f"(format parquet, partition_by ({order}), overwrite_or_ignore, filename_pattern 'data_{{i}}')"
        )
    else:
        con.execute(f"copy ({select}) to {_quote(folder / 'data_0.parquet')} (format parquet)")
    return int(rows)


def _versions_dir(target: Path) -> Path:
    return target.parent / f".{target.name}-versions"


def _publish(target: Path, version: Path) -> None:
    """Point ``target`` at ``version`` with one atomic rename of a symbolic link."""
    link = target.parent / f".{target.name}.link-{uuid.uuid4().hex[:8]}"
    os.symlink(os.path.relpath(version, target.parent), link)
    if target.exists() and not target.is_symlink():
        # an export folder from before versioning (or made by hand): move it aside once
        target.rename(_versions_dir(target) / f"legacy-{uuid.uuid4().hex[:8]}")
    os.replace(link, target)


def _clean(target: Path, current: Path) -> None:
    versions = _versions_dir(target)
    done = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.endswith(".partial")),
                  key=lambda p: p.stat().st_mtime)
    keep = {current.name, *(p.name for p in done[-_KEEP_VERSIONS:])}
    now = time.time()
    for p in versions.iterdir():
        stale_partial = p.name.endswith(".partial") and now - p.stat().st_mtime > _STALE_PARTIAL_S
        if (p.name not in keep and not p.name.endswith(".partial")) or stale_partial:
            shutil.rmtree(p, ignore_errors=True)


def export_parquet(con, out_dir: str | Path | None = None) -> dict[str, Any]:
    """Write every table (and the leaderboard views) to hive-partitioned Parquet under ``out_dir``.

    Args:
        con: an open warehouse connection (read-only is enough).
        out_dir: the export folder readers use (default ``$UAAP_HOME/export``); it becomes a
            symbolic link to the newest complete version.

    Returns:
        ``{"out": …, "version": …, "tables": {name: rows}, "seconds": …}``.
    """
    started = time.monotonic()
    target = Path(out_dir) if out_dir else default_export_dir()
    target = target.parent.resolve() / target.name
    versions = _versions_dir(target)
    versions.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    name = f"{stamp}-{uuid.uuid4().hex[:8]}"
    partial = versions / f"{name}.partial"
    tables = [r[0] for r in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'main' and database_name = current_database() "
        "order by 1").fetchall()]
    views = {r[0] for r in con.execute(
        "select view_name from duckdb_views() where schema_name = 'main' and not internal").fetchall()}
    written: dict[str, int] = {}
    try:
        for table in tables:
            if table in SKIPPED_TABLES:
                continue
            columns = [r[0] for r in con.execute(f'describe "{table}"').fetchall()]
            written[table] = _write_relation(con, table, partial / table, partition_columns(table, columns), columns)
        for view in EXPORTED_VIEWS:
            if view in views:
                columns = [r[0] for r in con.execute(f'describe "{view}"').fetchall()]
                part = ("bench_id",) if "bench_id" in columns else ()
                written[view] = _write_relation(con, view, partial / view, part, columns)
        (partial / "EXPORT_INFO").write_text(
            f"exported_at={stamp}\ntables={','.join(sorted(written))}\n", encoding="utf-8"
        )
        version = versions / name
        partial.rename(version)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _publish(target, version)
    _clean(target, version)
    return {"out": str(target), "version": str(version), "tables": written,
            "seconds": round(time.monotonic() - started, 2)}

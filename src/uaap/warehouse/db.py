"""The DuckDB warehouse: one file, numbered migrations, views rebuilt from ``sql/``."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Sequence

import duckdb

from uaap.home import warehouse_path

__all__ = ["WarehouseLocked", "connect", "open_warehouse", "migrate", "rebuild_views", "insert_rows", "fetch_dicts"]

_LOCK_RE = re.compile(r"Conflicting lock is held in (.*?)(?: \(PID (\d+)\))?(?:\.|$)", re.S)


class WarehouseLocked(RuntimeError):
    """Another process holds the warehouse file."""


def _sql_files(folder: str) -> list[tuple[str, str]]:
    root = resources.files("uaap.warehouse").joinpath(folder)
    out: list[tuple[str, str]] = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            out.extend((f"{entry.name}/{n}", t) for n, t in _sql_files(f"{folder}/{entry.name}"))
        elif entry.name.endswith(".sql"):
            out.append((entry.name, entry.read_text(encoding="utf-8")))
    return out


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not applied yet, in order; returns their names."""
    con.execute(
        "create table if not exists schema_migrations (name varchar primary key, applied_at timestamp default now())"
    )
    done = {row[0] for row in con.execute("select name from schema_migrations").fetchall()}
    applied = []
    for name, text in _sql_files("migrations"):
        if name in done:
            continue
        con.execute("begin")
        try:
            con.execute(text)
            con.execute("insert into schema_migrations (name) values (?)", [name])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(name)
    return applied


def rebuild_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """(Re)create every view of ``sql/``: ``prep`` helpers first, then the leaderboards."""
    names = []
    for layer in ("prep", "leaderboards"):
        for name, text in _sql_files(f"sql/{layer}"):
            con.execute(text)
            names.append(Path(name).stem)
    return names


def _open(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.1
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                match = _LOCK_RE.search(str(exc))
                holder = f" by {match.group(1).strip()}" + (f" (PID {match.group(2)})" if match and match.group(2) else "") if match else ""
                raise WarehouseLocked(
                    f"the warehouse {path} is locked{holder}: another uaap run or a DuckDB shell has it open. "
                    "Wait for the run to finish or close the shell; to read while a run writes, query the "
                    "Parquet export instead."
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def connect(read_only: bool = False, path: Path | None = None, wait_s: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. A writer migrates and rebuilds the views; a reader only reads."""
    path = path or warehouse_path()
    if read_only and not path.exists():
        raise FileNotFoundError(
            f"no warehouse at {path}: import a bench first (uaap bench import DIR --name BENCH) "
            "or set UAAP_HOME to the folder of an existing one"
        )
    con = _open(path, read_only, wait_s)
    if not read_only:
        migrate(con)
        rebuild_views(con)
    return con


@contextmanager
def open_warehouse(read_only: bool = False, **kwargs: Any) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open, yield, close: writers hold the file only as long as they write."""
    con = connect(read_only=read_only, **kwargs)
    try:
        yield con
    finally:
        con.close()


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    replace: bool = True,
) -> int:
    """Insert many rows at once through column lists (``executemany`` is ~500× slower)."""
    if not rows:
        return 0
    cols = list(zip(*rows))
    select = ", ".join(f"unnest(${i + 1}) as {c}" for i, c in enumerate(columns))
    verb = "insert or replace" if replace else "insert"
    con.execute(
        f"{verb} into {table} ({', '.join(columns)}) select {select}",
        [list(c) for c in cols],
    )
    return len(rows)


def fetch_dicts(con: duckdb.DuckDBPyConnection, query: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """Run a query and return its rows as ``{column: value}`` objects."""
    cur = con.execute(query, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]

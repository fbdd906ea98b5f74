"""Rows of ``{column: value}`` rendered as a readable table, JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import math
from typing import Any, Sequence

__all__ = ["render_rows"]


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}" if math.isfinite(value) else "–"
    return str(value)


def render_rows(rows: Sequence[dict[str, Any]], fmt: str = "table", title: str | None = None) -> str:
    """Render rows; ``json`` is a list of row objects, ``csv`` has a header line."""
    rows = [{k: _plain(v) for k, v in r.items()} for r in rows]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in r.items()})
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"--format expected table, json or csv, found '{fmt}'")
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        numeric = any(isinstance(r.get(col), (int, float)) and not isinstance(r.get(col), bool) for r in rows)
        table.add_column(col, justify="right" if numeric else "left")
    for r in rows:
        table.add_row(*(_cell(r.get(c)) for c in columns))
    if not rows:
        return "(no rows)"
    console = Console(width=max(100, 14 * len(columns)), record=True, file=io.StringIO(), force_terminal=False)
    console.print(table)
    return console.export_text().rstrip("\n")

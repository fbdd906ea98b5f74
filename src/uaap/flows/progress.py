"""Progress bars over Prefect futures (on stderr, so stdout stays parseable)."""

from __future__ import annotations

import sys
from typing import Any, Sequence

__all__ = ["progress_over"]


def progress_over(futures: Sequence[Any], description: str, *, enabled: bool = True) -> None:
    """Block until every future is done, showing a bar when stderr is a terminal."""
    from prefect.futures import as_completed

    if not futures:
        return
    if not enabled or not sys.stderr.isatty():
        for _ in as_completed(list(futures)):
            pass
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task_id = bar.add_task(description, total=len(futures))
        for _ in as_completed(list(futures)):
            bar.advance(task_id)

"""Retry only what is transient: a locked warehouse, a flaky I/O error."""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["TransientError", "retry_transient"]


class TransientError(RuntimeError):
    """A failure worth retrying (network edge, a busy file)."""


def _transient_types() -> tuple[type[BaseException], ...]:
    from uaap.warehouse.db import WarehouseLocked

    return (TransientError, WarehouseLocked, TimeoutError, ConnectionError)


def retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """``retry_condition_fn``: retry transient errors, fail fast on everything else."""
    try:
        state.result()
    except _transient_types():
        return True
    except Exception:  # noqa: BLE001 - deterministic failure: no retry
        return False
    return False

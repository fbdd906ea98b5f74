"""Prefect set-up shared by every flow: state under ``$UAAP_HOME``, offline, telemetry off.

Call :func:`configure_prefect` before the first ``import prefect`` of a process.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from importlib import metadata
from pathlib import Path
from typing import Any

from uaap.home import prefect_home

__all__ = ["configure_prefect", "git_commit", "package_versions", "new_run_id", "cache_summary"]

_PACKAGES = ("uaap", "prefect", "duckdb", "numpy", "scipy", "jiwer", "sentence-transformers", "torch")


def configure_prefect() -> None:
    """Point Prefect at ``$UAAP_HOME/prefect`` with analytics off (no network)."""
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        # the temporary server logs harmless event-flush errors when the process exits
        "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
        "PREFECT_LOGGING_LOG_PRINTS": "false",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "true",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)


def git_commit() -> str | None:
    """The commit of the uaap checkout, or ``None`` outside git."""
    root = Path(__file__).resolve().parents[3]
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def package_versions() -> dict[str, str]:
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def new_run_id(flow: str) -> str:
    try:
        from prefect.runtime import flow_run

        if flow_run.id:
            return str(flow_run.id)
    except Exception:  # noqa: BLE001 - outside a flow run
        pass
    return f"{flow}-{uuid.uuid4()}"


def cache_summary(states: list[Any]) -> dict[str, int]:
    """Count task states: ``cached`` (not recomputed), ``computed``, ``failed``."""
    counts = {"cached": 0, "computed": 0, "failed": 0}
    for state in states:
        if state.name == "Cached":
            counts["cached"] += 1
        elif state.is_completed():
            counts["computed"] += 1
        else:
            counts["failed"] += 1
    return counts

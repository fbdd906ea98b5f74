"""Where uaap keeps its state: ``$UAAP_HOME`` (default ``./.uaap``)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["uaap_home", "warehouse_path", "prefect_home", "results_dir", "configs_dir"]


def uaap_home() -> Path:
    """The state folder, resolved to an absolute path and created if missing."""
    home = Path(os.environ.get("UAAP_HOME", ".uaap")).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def warehouse_path() -> Path:
    return uaap_home() / "uaap.duckdb"


def prefect_home() -> Path:
    return uaap_home() / "prefect"


def results_dir() -> Path:
    """Prefect's persisted task results: the resumable cache."""
    path = uaap_home() / "results"
    path.mkdir(parents=True, exist_ok=True)
    return path


def configs_dir() -> Path:
    """The repository's ``configs/`` (``$UAAP_CONFIGS`` overrides)."""
    override = os.environ.get("UAAP_CONFIGS")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2] / "configs"

"""Test set-up: every test runs offline with its state in temporary folders.

Prefect is pointed at a session folder before anything imports it; each test that touches
the warehouse gets its own ``UAAP_HOME``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="uaap-test-session-"))
os.environ["UAAP_HOME"] = str(_SESSION_HOME)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from uaap.flows.runtime import configure_prefect  # noqa: E402

configure_prefect()

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@pytest.fixture
def uaap_home(tmp_path, monkeypatch) -> Path:
    """A fresh, empty ``UAAP_HOME`` for one test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("UAAP_HOME", str(home))
    return home


@pytest.fixture
def example_bench(tmp_path) -> Path:
    """A writable copy of the repository's example bench."""
    dst = tmp_path / "bench"
    shutil.copytree(EXAMPLES / "bench", dst)
    return dst


@pytest.fixture
def example_predictions(tmp_path) -> Path:
    dst = tmp_path / "predictions"
    shutil.copytree(EXAMPLES / "predictions", dst)
    return dst


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)

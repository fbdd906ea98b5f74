"""Prefect flows. Import through :func:`uaap.flows.runtime.configure_prefect` first (the CLI does)."""

from uaap.flows.runtime import configure_prefect

configure_prefect()

from uaap.flows.imports import add_builtin_system, import_bench, import_predictions  # noqa: E402
from uaap.flows.leaderboards import compile_leaderboards  # noqa: E402
from uaap.flows.score import score_system  # noqa: E402

__all__ = ["add_builtin_system", "compile_leaderboards", "import_bench", "import_predictions", "score_system"]

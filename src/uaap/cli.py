"""The ``uaap`` command line: one group calling the same functions the flows call.

Commands that only read (``leaderboard``, ``sql``) never import Prefect or start its server.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

__all__ = ["main"]


def _flows():
    """Configure Prefect (state under $UAAP_HOME, offline) before the first import of it."""
    from uaap.flows.runtime import configure_prefect

    configure_prefect()
    import uaap.flows as flows

    return flows


def _check(fn, *args) -> None:
    """Validate arguments before a flow starts, so a wrong name is one clear line, not a traceback."""
    try:
        fn(*args)
    except (FileNotFoundError, LookupError, ValueError) as exc:
        _fail(str(exc))


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _print_summary(summary: dict[str, Any]) -> None:
    problems = summary.pop("problems", [])
    for line in problems[:20]:
        click.echo(f"  ! {line}", err=True)
    if len(problems) > 20:
        click.echo(f"  ! … and {len(problems) - 20} more (uaap sql \"select * from errors\")", err=True)
    click.echo(" · ".join(f"{k}: {v}" for k, v in summary.items() if k != "run_id"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """uaap — build, annotate, score and compare audio soundscape annotations."""


@main.group()
def bench() -> None:
    """Benches: folders of clips with exact answer keys."""


@bench.command("import")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", "name", required=True, help="Bench name in the warehouse.")
def bench_import(directory: str, name: str) -> None:
    """Import DIR of <clip_id>.{wav,flac,mp3} + <clip_id>.json answer keys."""
    from uaap.flows.checks import check_bench_dir

    _check(check_bench_dir, directory)
    flows = _flows()
    try:
        summary = flows.import_bench(directory, name)
    except (FileNotFoundError, LookupError, ValueError) as exc:
        _fail(str(exc))
    _print_summary(summary)


@main.group()
def predictions() -> None:
    """Predictions: what a system said about each clip."""


@predictions.command("import")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--system", required=True, help="System name.")
@click.option("--bench", "bench_name", required=True, help="Bench the predictions are for.")
def predictions_import(directory: str, system: str, bench_name: str) -> None:
    """Import DIR of <clip_id>.json (a bare event array or the bench wrapper)."""
    from uaap.flows.checks import check_predictions_args

    _check(check_predictions_args, directory, system, bench_name)
    flows = _flows()
    try:
        summary = flows.import_predictions(directory, system, bench_name)
    except (FileNotFoundError, LookupError, ValueError) as exc:
        _fail(str(exc))
    _print_summary(summary)


@predictions.command("builtin")
@click.argument("name", type=click.Choice(["oracle", "empty"]))
@click.option("--bench", "bench_name", required=True)
def predictions_builtin(name: str, bench_name: str) -> None:
    """Add a built-in system: oracle (the answer key itself) or empty (nothing)."""
    from uaap.flows.imports import add_builtin_system

    try:
        _print_summary(add_builtin_system(name, bench_name))
    except (LookupError, ValueError) as exc:
        _fail(str(exc))


@main.command()
@click.option("--system", "systems", multiple=True, required=True, help="System name (repeatable) or 'all'.")
@click.option("--bench", "bench_name", required=True)
@click.option("--profile", default="soundscape-v1", show_default=True, help="Profile name or YAML path.")
def score(systems: tuple[str, ...], bench_name: str, profile: str) -> None:
    """Score systems' predictions against the bench's answer keys (cached per clip)."""
    from uaap.flows.checks import check_score_args

    _check(check_score_args, bench_name, list(systems), profile)
    flows = _flows()
    try:
        summary = flows.score_system(bench_name, list(systems), profile)
    except (LookupError, ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    _print_summary(dict(summary))
    if summary.get("failed"):
        sys.exit(1)


def _read_only():
    from uaap.warehouse import connect

    try:
        return connect(read_only=True)
    except Exception as exc:  # noqa: BLE001 - FileNotFound, WarehouseLocked: both say what to do
        _fail(str(exc))


@main.command()
@click.option("--bench", "bench_name", required=True)
@click.option("--by", type=click.Choice(["overall", "type", "language", "snr", "overlap"]), default="overall", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--profile", default=None, help="Profile name or id (default: the one with most scores).")
@click.option("--ci", is_flag=True, help="Add <column>_lo/<column>_hi: 95 % clip-level bootstrap intervals.")
@click.option("--resamples", type=click.IntRange(min=10), default=1000, show_default=True, help="Bootstrap resamples (--ci).")
@click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed (--ci).")
def leaderboard(bench_name: str, by: str, fmt: str, profile: str | None, ci: bool, resamples: int, seed: int) -> None:
    """Print the leaderboard of a bench (fractions in [0, 1]; best Reward first)."""
    from uaap.tables import render_rows
    from uaap.warehouse.leaderboards import leaderboard as query

    con = _read_only()
    try:
        rows = query(con, bench_name, by, profile)
        if ci:
            from uaap.warehouse.confidence import add_ci, leaderboard_ci

            rows = add_ci(rows, leaderboard_ci(con, bench_name, by, profile, resamples=resamples, seed=seed), by)
    except LookupError as exc:
        _fail(str(exc))
    finally:
        con.close()
    click.echo(render_rows(rows, fmt, title=f"{bench_name} — by {by}" if fmt == "table" else None))


@main.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def sql(query: str, fmt: str) -> None:
    """Run one SQL query against the warehouse (read-only)."""
    import duckdb

    from uaap.tables import render_rows
    from uaap.warehouse import fetch_dicts

    con = _read_only()
    try:
        rows = fetch_dicts(con, query)
    except duckdb.Error as exc:
        _fail(f"query failed: {exc}")
    finally:
        con.close()
    click.echo(render_rows(rows, fmt))


def _register_parts() -> None:
    from uaap import cli_annotate, cli_bench_build, cli_nightly

    for part in (cli_bench_build, cli_annotate, cli_nightly):
        part.register(main)


_register_parts()

if __name__ == "__main__":
    main()

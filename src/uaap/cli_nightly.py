"""CLI commands of the nightly part; `register` adds them to the `uaap` group.

``nightly`` and ``schedule`` run Prefect; ``diff``, ``compare``, ``report`` and ``export`` only
read the warehouse and never import Prefect.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

__all__ = ["register"]


_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
_RESAMPLES = click.option("--resamples", type=click.IntRange(min=10), default=1000, show_default=True,
                          help="Bootstrap resamples.")
_SEED = click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed.")
_PROFILE = click.option("--profile", default=None, help="Profile name or id (default: the one with most scores).")


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _read_only():
    from uaap.warehouse import connect

    try:
        return connect(read_only=True)
    except Exception as exc:  # noqa: BLE001 - FileNotFound, WarehouseLocked: both say what to do
        _fail(str(exc))


def _default_bench(bench: str | None) -> str:
    """``--bench``, else the first bench of the nightly plan."""
    if bench:
        return bench
    from uaap.plan import PlanError, load_plan

    try:
        plan = load_plan()
    except PlanError as exc:
        _fail(f"no --bench given and the nightly plan gives none ({exc})")
    return plan.benches[0].name


def _plan_or_fail(path: str | None):
    from uaap.plan import PlanError, load_plan

    try:
        return load_plan(path)
    except PlanError as exc:
        _fail(str(exc))


def _print_steps(summary: dict[str, Any]) -> None:
    from uaap.tables import render_rows

    rows = [{"step": s["step"], "bench": s.get("bench") or "", "system": s.get("system") or "",
             "status": s["status"], "seconds": s.get("seconds"), "error": (s.get("error") or "")[:160]}
            for s in summary.get("steps", [])]
    click.echo(render_rows(rows, "table", title=f"nightly run {summary.get('run_id')} — night {summary.get('night')}"))


@click.command("nightly")
@click.option("--plan", default=None, help="Plan YAML (default configs/nightly.yaml).")
@click.option("--night", default=None, help="The night this run counts for, YYYY-MM-DD (default today, UTC).")
@click.option("--check", is_flag=True, help="Only validate the plan.")
def nightly_cmd(plan: str | None, night: str | None, check: bool) -> None:
    """Run the nightly plan now: benches, systems, score, leaderboards, history, report, export."""
    loaded = _plan_or_fail(plan)
    if check:
        click.echo(f"plan {loaded.source} is valid: {len(loaded.benches)} bench(es) "
                   f"({', '.join(b.name for b in loaded.benches)}), {len(loaded.systems)} system(s) "
                   f"({', '.join(s.name for s in loaded.systems)}), profile {loaded.profile}")
        return
    if night:
        from datetime import date

        try:
            date.fromisoformat(night)
        except ValueError:
            _fail(f"--night expected a date YYYY-MM-DD, found '{night}'")
    from uaap.flows.runtime import configure_prefect

    configure_prefect()
    from uaap.flows.nightly import NightlyFailed, nightly

    state = nightly(str(Path(loaded.source).resolve()), night, return_state=True)
    result = state.result(raise_on_failure=False)
    if isinstance(result, NightlyFailed):
        summary = result.summary
    elif isinstance(result, BaseException):
        _fail(f"nightly run crashed: {result}", 1)
    else:
        summary = result
    _print_steps(summary)
    for bench in summary.get("benches", []):
        if bench.get("report"):
            click.echo(f"report: {bench['report']}")
    if summary.get("export"):
        click.echo(f"export: {summary['export']}")
    click.echo(f"status: {summary['status']} · {summary['failed_steps']} failed step(s) · {summary['seconds']} s "
               f"(uaap sql \"select * from errors where run_id = '{summary['run_id']}'\")")
    if summary["status"] != "completed":
        sys.exit(1)


@click.command("schedule")
@click.option("--cron", default="0 2 * * *", show_default=True, help="When to run (cron expression).")
@click.option("--timezone", default="UTC", show_default=True, help="Time zone of --cron.")
@click.option("--plan", default=None, help="Plan YAML (default configs/nightly.yaml).")
@click.option("--name", default="nightly", show_default=True, help="Deployment name.")
def schedule_cmd(cron: str, timezone: str, plan: str | None, name: str) -> None:
    """Serve the nightly flow on a cron schedule against a Prefect server (runs until stopped)."""
    loaded = _plan_or_fail(plan)
    api = os.environ.get("PREFECT_API_URL")
    if not api:
        _fail("uaap schedule needs a Prefect server that keeps the schedule and the run history. Start one with\n"
              "  prefect server start --host 127.0.0.1 --port 4200 --analytics-off\n"
              "and run again with PREFECT_API_URL=http://127.0.0.1:4200/api (or use docker/compose.yaml)")
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        _fail(f"--timezone expected an IANA time zone such as UTC or Europe/Berlin, found '{timezone}'")
    import httpx

    try:
        httpx.get(api.rstrip("/") + "/health", timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        _fail(f"no Prefect server answers at PREFECT_API_URL={api} ({exc}); start it with "
              "prefect server start --host 127.0.0.1 --analytics-off")
    from uaap.flows.runtime import configure_prefect

    configure_prefect()
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    try:
        when = Cron(cron, timezone=timezone)
    except Exception as exc:  # noqa: BLE001 - croniter / pydantic raise several types
        _fail(f"--cron expected a cron expression such as '0 2 * * *', found '{cron}' ({exc})")
    from uaap.flows.nightly import nightly

    click.echo(f"serving nightly as deployment 'nightly/{name}' on '{cron}' ({timezone}), plan {loaded.source}; "
               f"UI: {api.rstrip('/').removesuffix('/api')}", err=True)
    nightly.serve(
        name=name,
        schedules=[when],
        global_limit=1,
        parameters={"plan_path": str(Path(loaded.source).resolve())},
        description="uaap nightly: benches, systems, scoring, leaderboards, history, report, Parquet export",
        entrypoint_type=EntrypointType.MODULE_PATH,
        pause_on_shutdown=True,
    )


@click.command("diff")
@click.option("--bench", default=None, help="Bench (default: the nightly plan's first).")
@click.option("--runs", nargs=2, default=None, metavar="RUN_A RUN_B", help="Compare these two runs (A before B).")
@_PROFILE
@click.option("--all", "show_all", is_flag=True, help="Also list what did not change.")
@_RESAMPLES
@_SEED
@_FORMAT
def diff_cmd(bench: str | None, runs: tuple[str, str] | None, profile: str | None, show_all: bool,
             resamples: int, seed: int, fmt: str) -> None:
    """What got better or worse between two nights, beyond noise (default: the last two nights)."""
    from uaap.tables import render_rows
    from uaap.warehouse.confidence import diff_runs

    bench = _default_bench(bench)
    con = _read_only()
    try:
        meta, rows = diff_runs(con, bench, runs=tuple(runs) if runs else None, profile=profile,
                               resamples=resamples, seed=seed, show_all=show_all)
    except LookupError as exc:
        _fail(str(exc))
    finally:
        con.close()
    if fmt == "json":
        click.echo(json.dumps({"meta": meta, "rows": json.loads(render_rows(rows, "json"))}, indent=2))
        return
    header = (f"{bench}: night {meta['before']['night']} ({meta['before']['run_id']}) → "
              f"{meta['after']['night']} ({meta['after']['run_id']}), profile {meta['profile_id']}; "
              f"{meta['changes']} change(s) beyond noise (95 % paired bootstrap, {resamples} resamples)")
    if fmt == "table":
        click.echo(header, err=True)
        click.echo(render_rows(rows, "table") if rows else "nothing changed beyond noise")
    else:
        click.echo(render_rows(rows, "csv"))


@click.command("compare")
@click.option("--bench", required=True)
@click.option("--a", "a", required=True, help="System A.")
@click.option("--b", "b", required=True, help="System B.")
@click.option("--by", type=click.Choice(["overall", "type", "language", "snr", "overlap"]), default="overall",
              show_default=True)
@_PROFILE
@_RESAMPLES
@_SEED
@_FORMAT
def compare_cmd(bench: str, a: str, b: str, by: str, profile: str | None, resamples: int, seed: int, fmt: str) -> None:
    """Paired bootstrap: does system A beat system B on the bench, column by column?"""
    from uaap.tables import render_rows
    from uaap.warehouse.confidence import compare_systems

    con = _read_only()
    try:
        rows = compare_systems(con, bench, a, b, by=by, profile=profile, resamples=resamples, seed=seed)
    except (LookupError, ValueError) as exc:
        _fail(str(exc))
    finally:
        con.close()
    title = f"{a} vs {b} on {bench} — paired bootstrap, {resamples} resamples" if fmt == "table" else None
    click.echo(render_rows(rows, fmt, title=title))


@click.command("report")
@click.option("--bench", default=None, help="Bench (default: the nightly plan's first).")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Report folder (DIR/index.html).")
@_PROFILE
@click.option("--copy-audio", is_flag=True, help="Copy the audio into DIR/audio/ (default: refer to it where it is).")
@_RESAMPLES
@_SEED
def report_cmd(bench: str | None, out: str, profile: str | None, copy_audio: bool, resamples: int, seed: int) -> None:
    """Write the static HTML report of a bench: DIR/index.html (opens offline, from the file system)."""
    from uaap.report import write_report

    bench = _default_bench(bench)
    con = _read_only()
    try:
        result = write_report(bench, out, profile=profile, resamples=resamples, seed=seed, copy_audio=copy_audio, con=con)
    except LookupError as exc:
        _fail(str(exc))
    finally:
        con.close()
    click.echo(f"report: {result['out']} · {result['clips']} clips × {result['systems']} systems · "
               f"{result['html_bytes'] / 1e6:.2f} MB · {result['seconds']} s")


@click.command("export")
@click.option("--out", default=None, type=click.Path(file_okay=False), help="Export folder (default $UAAP_HOME/export).")
def export_cmd(out: str | None) -> None:
    """Export the warehouse to hive-partitioned Parquet (default $UAAP_HOME/export), atomically."""
    from uaap.warehouse.export import export_parquet

    con = _read_only()
    try:
        result = export_parquet(con, out)
    finally:
        con.close()
    rows = sum(result["tables"].values())
    click.echo(f"export: {result['out']} · {len(result['tables'])} tables · {rows} rows · {result['seconds']} s")
    click.echo(f"query: duckdb -c \"select * from read_parquet('{result['out']}/clip_scores/**/*.parquet', "
               "hive_partitioning=true)\"")


COMMANDS = (nightly_cmd, schedule_cmd, diff_cmd, compare_cmd, report_cmd, export_cmd)


def register(main: click.Group) -> None:
    """Add this module's commands to the `uaap` command group."""
    for command in COMMANDS:
        main.add_command(command)

"""Flow ``nightly``: the whole nightly plan as one Prefect flow.

For each bench of the plan: ensure the bench (import it, or build it with
``uaap.flows.build_bench``), put every system's predictions in (import, built-in, or annotate
with ``uaap.flows.annotate``), score, compile the leaderboards, snapshot them into the history
tables and write the HTML report; then export the warehouse to Parquet. Every step runs as a
subflow or task, is timed, and a step that fails becomes an ``errors`` row while the others go
on. The run is one ``runs`` row (flow ``nightly``) whose status is ``completed``, ``partial``
(something failed, leaderboards were still written) or ``failed`` (no leaderboard at all).
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

from prefect import flow
from prefect.states import Completed

from uaap.flows.imports import import_bench, import_predictions
from uaap.flows.leaderboards import compile_leaderboards
from uaap.flows.runtime import git_commit, new_run_id, package_versions
from uaap.flows.score import score_system
from uaap.home import uaap_home
from uaap.plan import BenchPlan, NightlyPlan, SystemPlan, default_plan_path, load_plan
from uaap.tasks.nightly import add_builtin_task, export_task, report_task, snapshot_task
from uaap.warehouse import open_warehouse
from uaap.warehouse.writer import error_row, finish_run, start_run, write_errors

__all__ = ["nightly", "NightlyFailed", "MissingComponent", "reports_dir"]


class NightlyFailed(RuntimeError):
    """No bench of the plan reached a leaderboard; ``summary`` says why."""

    def __init__(self, message: str, summary: dict[str, Any]):
        super().__init__(message)
        self.summary = summary


class MissingComponent(RuntimeError):
    """A step needs a part of uaap (bench builder, expert pipeline) this installation does not have."""


def reports_dir() -> Path:
    return uaap_home() / "reports"


def _load_flow(module: str, name: str, what: str) -> Callable[..., Any]:
    """Import a flow lazily; a missing module is a clear error for this step only."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            raise MissingComponent(
                f"{what} needs the flow {module}.{name}, which this installation of uaap does not have yet "
                f"(no module {exc.name}); the other steps went on"
            ) from None
        raise MissingComponent(
            f"{what}: {module} could not be imported because the package '{exc.name}' is missing; "
            f"install its extra (scripts/install_sources.sh, scripts/install_experts.sh) and run again"
        ) from None
    fn = getattr(mod, name, None)
    if fn is None:
        raise MissingComponent(f"{what} needs {module}.{name}, but {module} defines no '{name}'")
    return fn


@dataclass
class _Steps:
    """Runs steps, times them, and turns a failure into an ``errors`` row instead of stopping."""

    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def run(self, step: str, fn: Callable[[], Any], *, bench: str = "", system: str = "") -> tuple[bool, Any]:
        started = time.monotonic()
        record: dict[str, Any] = {"step": step, "bench": bench, "system": system}
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - any failure of one step must not stop the others
            where = " ".join(p for p in (f"bench '{bench}'" if bench else "", f"system '{system}'" if system else "") if p)
            message = f"{step}{' of ' + where if where else ''} failed: {exc}"
            record.update(status="failed", seconds=round(time.monotonic() - started, 2), error=message)
            self.records.append(record)
            self.errors.append(error_row(f"nightly.{step}", message, bench_id=bench, system_id=system, exc=exc))
            return False, None
        status = "partial" if isinstance(result, dict) and result.get("failed") else "completed"
        record.update(status=status, seconds=round(time.monotonic() - started, 2))
        if isinstance(result, dict):
            record["result"] = {k: v for k, v in result.items()
                                if k in ("clips", "computed", "cached", "failed", "rows_written", "lb_rows",
                                         "clip_rows", "profile_id", "skipped", "out", "html_bytes")}
        self.records.append(record)
        return True, result

    def skip(self, step: str, reason: str, *, bench: str = "", system: str = "") -> None:
        self.records.append({"step": step, "bench": bench, "system": system, "status": "skipped",
                             "seconds": 0.0, "error": reason})


def _ensure_bench(bench: BenchPlan) -> dict[str, Any]:
    if bench.kind == "import":
        return import_bench(bench.directory, bench.name, show_progress=False)
    with open_warehouse() as con:
        found = con.execute(
            "select b.recipe, b.params, count(c.clip_id) from benches b left join clips c using (bench_id) "
            "where b.bench_id = ? group by all",
            [bench.name],
        ).fetchall()
    if found:
        recipe, params, n_clips = found[0]
        seed = _json_get(params, "seed")
        if recipe == bench.recipe and n_clips >= bench.n and seed in (None, bench.seed):
            return {"bench": bench.name, "clips": n_clips, "skipped": "already in the warehouse"}
    build = _load_flow("uaap.flows.build_bench", "build_bench", f"building bench '{bench.name}'")
    result = build(recipe=bench.recipe, n=bench.n, seed=bench.seed, name=bench.name, **_quiet(build))
    with open_warehouse() as con:
        n_clips = con.execute("select count(*) from clips where bench_id = ?", [bench.name]).fetchall()[0][0]
    if not n_clips:
        raise RuntimeError(f"build_bench finished but the warehouse holds no clip of bench '{bench.name}'")
    return result if isinstance(result, dict) else {"bench": bench.name, "clips": n_clips}


def _quiet(fn: Callable[..., Any]) -> dict[str, Any]:
    """``show_progress=False`` for flows that take it (no progress bars in a scheduled run)."""
    import inspect

    try:
        return {"show_progress": False} if "show_progress" in inspect.signature(fn).parameters else {}
    except (TypeError, ValueError):
        return {}


def _json_get(text: Any, key: str) -> Any:
    import json

    try:
        return json.loads(text).get(key) if text else None
    except (ValueError, AttributeError):
        return None


def _ensure_system(system: SystemPlan, bench: str) -> dict[str, Any]:
    if system.kind == "predictions":
        summary = import_predictions(system.directory, system.name, bench)
        summary.pop("problems", None)
        return summary
    if system.kind == "builtin":
        return add_builtin_task(system.builtin, bench)
    annotate = _load_flow("uaap.flows.annotate", "annotate_bench", f"annotating bench '{bench}' with '{system.name}'")
    result = annotate(system=system.name, bench=bench, **_quiet(annotate))
    return result if isinstance(result, dict) else {"system": system.name, "bench": bench}


def _run_bench(steps: _Steps, plan: NightlyPlan, bench: BenchPlan, run_id: str, night: date) -> dict[str, Any]:
    """Every step of one bench; returns what it produced."""
    out: dict[str, Any] = {"bench": bench.name, "systems": [], "leaderboard": None}
    ok, _ = steps.run("ensure_bench", lambda: _ensure_bench(bench), bench=bench.name)
    systems = plan.systems_for(bench.name)
    if not ok:
        for s in systems:
            steps.skip("system", "its bench failed", bench=bench.name, system=s.name)
        return out
    ready = []
    for system in systems:
        step = {"predictions": "import_predictions", "builtin": "builtin", "pipeline": "annotate"}[system.kind]
        ok, _ = steps.run(step, lambda s=system: _ensure_system(s, bench.name), bench=bench.name, system=system.name)
        if ok:
            ready.append(system.name)
    out["systems"] = ready
    if not ready:
        steps.skip("score", "no system of the plan has predictions", bench=bench.name)
        return out
    ok, scored = steps.run("score", lambda: score_system(bench.name, ready, plan.profile, show_progress=False),
                           bench=bench.name)
    if not ok:
        return out
    profile_id = scored["profile_id"]
    ok, board = steps.run("compile_leaderboards", lambda: compile_leaderboards(bench.name, profile_id), bench=bench.name)
    if ok:
        out["leaderboard"] = [{"system": r["system"], "reward": r["reward"], "f1": r["f1"]}
                              for r in board["rows"] if r["system"] in ready]
    ok, _ = steps.run("snapshot", lambda: snapshot_task(run_id, night, bench.name, profile_id, ready,
                                                         plan.resamples, plan.seed), bench=bench.name)
    out["snapshot"] = ok
    out["profile_id"] = profile_id
    return out


def _status(steps: _Steps, benches: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    failed = [r for r in steps.records if r["status"] in ("failed", "partial")]
    produced = any(b.get("snapshot") for b in benches)
    return ("completed" if produced and not failed else ("partial" if produced else "failed")), failed


def _run_info(run_id: str, status: str, night: date, started: datetime, failed: list[dict[str, Any]]) -> dict[str, Any]:
    """What the report says about this run (written while the run is still open)."""
    return {
        "run_id": run_id, "status": status, "night": night.isoformat(), "started_at": started.strftime("%Y-%m-%d %H:%M:%S"),
        "finished_at": None, "git_commit": git_commit(), "seconds": None,
        "failed_steps": [{"step": r["step"], "bench": r.get("bench"), "system": r.get("system"),
                          "error": (r.get("error") or "")[:300]} for r in failed],
    }


def _run_name() -> str:
    """``nightly-YYYY-MM-DD``: what the Prefect UI lists each run as."""
    from prefect.runtime import flow_run

    night = (flow_run.parameters or {}).get("night") or datetime.now(timezone.utc).date().isoformat()
    return f"nightly-{night}"


@flow(name="nightly", flow_run_name=_run_name, log_prints=False)
def nightly(plan_path: str | None = None, night: str | None = None) -> dict[str, Any]:
    """Run the nightly plan: benches, systems, scoring, leaderboards, history, report, export.

    Args:
        plan_path: the plan YAML (default ``configs/nightly.yaml``).
        night: the night this run counts for, ``YYYY-MM-DD`` (default: today, UTC).

    Returns:
        The run summary (also stored in ``runs.summary``): status, per-step timings, per-bench results.
    """
    started = time.monotonic()
    started_at = datetime.now(timezone.utc)
    plan_file = str(Path(plan_path).resolve()) if plan_path else str(default_plan_path())
    run_id = new_run_id("nightly")
    night_date = date.fromisoformat(night) if night else datetime.now(timezone.utc).date()
    steps = _Steps()
    params: dict[str, Any] = {"plan_path": plan_file, "night": night_date.isoformat()}
    ok, plan = steps.run("load_plan", lambda: load_plan(plan_file))
    if ok:
        params["plan"] = {"benches": [b.__dict__ for b in plan.benches], "systems": [s.__dict__ for s in plan.systems],
                          "profile": plan.profile, "resamples": plan.resamples, "seed": plan.seed,
                          "export": plan.export, "report": plan.report}
    with open_warehouse() as con:
        start_run(con, run_id, "nightly", params, git_commit(), package_versions())
    benches: list[dict[str, Any]] = []
    export_dir = None
    if ok:
        for bench in plan.benches:
            benches.append(_run_bench(steps, plan, bench, run_id, night_date))
        if plan.report:
            status, failed = _status(steps, benches)
            info = _run_info(run_id, status, night_date, started_at, failed)
            for b in benches:
                if not b.get("snapshot"):
                    continue
                target = str(reports_dir() / b["bench"])
                done, _ = steps.run("report", lambda b=b, t=target: report_task(
                    b["bench"], t, b["profile_id"], plan.resamples, plan.seed, info), bench=b["bench"])
                if done:
                    b["report"] = str(Path(target) / "index.html")
    status, failed = _status(steps, benches)
    summary = {
        "run_id": run_id, "night": night_date.isoformat(), "status": status, "plan": plan_file,
        "benches": benches, "steps": steps.records, "failed_steps": len(failed), "export": export_dir,
        "seconds": round(time.monotonic() - started, 2),
    }
    with open_warehouse() as con:
        write_errors(con, run_id, steps.errors)
        finish_run(con, run_id, status, summary)
    if ok and plan.export:  # after finish_run, so the exported runs table shows this run finished
        done, exported = steps.run("export", lambda: export_task())
        status, failed = _status(steps, benches)
        summary.update(status=status, steps=steps.records, failed_steps=len(failed),
                       export=exported["out"] if done else None, seconds=round(time.monotonic() - started, 2))
        with open_warehouse() as con:
            write_errors(con, run_id, steps.errors)
            finish_run(con, run_id, status, summary)
    if status == "failed":
        first = next((r.get("error") for r in failed if r.get("error")), "no bench reached a leaderboard")
        raise NightlyFailed(f"nightly run {run_id} failed: {first}", summary)
    if status == "partial":
        return Completed(message=f"partial: {len(failed)} step(s) failed", name="Partial", data=summary)
    return summary

"""Flow ``annotate_bench``: annotate every clip of a bench with a system of expert models.

Per clip, per expert, one cached task (key: audio sha256 + expert + config hash, which holds the
expert's version and its inputs' hashes); then fusion; then predictions, expert outputs and
errors are upserted by the single writer. ``uaap score`` then works on the predictions as on
imported ones.
"""

from __future__ import annotations

import time
from typing import Any

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from uaap.flows.progress import progress_over
from uaap.flows.runtime import cache_summary, git_commit, new_run_id, package_versions
from uaap.home import results_dir
from uaap.records import ExpertOutput, Prediction
from uaap.tasks.annotate import fuse_clip_task, run_expert_task
from uaap.warehouse import open_warehouse
from uaap.warehouse.read import bench_exists, load_clips
from uaap.warehouse.writer import (
    error_row, finish_run, start_run, write_errors, write_expert_outputs, write_predictions, write_system,
)

__all__ = ["annotate_bench"]


def _tolerant(upstream: dict[str, Any]) -> dict[str, Any]:
    """Let an expert run when one of its inputs failed: it gets the failure and decides (skip or go on)."""
    from prefect import allow_failure

    return {kind: [allow_failure(f) for f in v] if isinstance(v, list) else allow_failure(v) for kind, v in upstream.items()}


def _failed_output(clip_sha: str, expert: str, version: str, config_hash: str, exc: Any, state: Any) -> ExpertOutput:
    message = str(exc) if isinstance(exc, BaseException) else f"{expert} ended {state.name}"
    status = "skipped" if "upstream" in message.lower() or state.name == "NotReady" else "error"
    return ExpertOutput(clip_sha, expert, version, config_hash, {}, 0.0, status, message[:2000])


@flow(name="annotate_bench", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=2))
def annotate_bench(system: str, bench: str, show_progress: bool = True) -> dict[str, Any]:
    """Annotate every clip of ``bench`` with ``system`` (a name in configs/systems/ or a YAML path)."""
    from uaap.models.audio import AudioError
    from uaap.models.pipeline import upstream_for
    from uaap.models.registry import get_expert
    from uaap.models.system import load_system

    started = time.monotonic()
    config = load_system(system)
    run_id = new_run_id("annotate_bench")
    with open_warehouse() as con:
        if not bench_exists(con, bench):
            raise LookupError(f"no bench named '{bench}' in the warehouse: import or build it first")
        start_run(con, run_id, "annotate_bench", {"system": system, "bench": bench}, git_commit(), package_versions())
        clips = load_clips(con, bench)
    hashes = config.expert_config_hashes()
    versions = {spec.name: get_expert(spec.name, spec.params).version for spec in config.experts}

    runner = run_expert_task.with_options(result_storage=results_dir())
    per_clip: dict[str, dict[str, Any]] = {}
    for clip in clips:
        futures: dict[str, Any] = {}
        for spec in config.experts:
            upstream = _tolerant(upstream_for(config, spec.name, futures))
            futures[spec.name] = runner.submit(
                clip.clip_id, clip.audio_path, clip.audio_sha256, system, spec.name, hashes[spec.name], upstream
            )
        per_clip[clip.clip_id] = futures
    all_futures = [f for fs in per_clip.values() for f in fs.values()]
    progress_over(all_futures, f"annotating {len(clips)} clips with {config.name} ({len(config.experts)} experts)",
                  enabled=show_progress)

    states, outputs_all, predictions, raw, errors = [], [], [], {}, []
    for clip in clips:
        outputs: dict[str, ExpertOutput] = {}
        audio_error: BaseException | None = None
        clip_errors = []
        for name, future in per_clip[clip.clip_id].items():
            future.wait()
            state = future.state
            states.append(state)
            if state.is_completed():
                outputs[name] = future.result()
            else:
                exc = state.result(raise_on_failure=False)
                if isinstance(exc, AudioError):
                    audio_error = exc
                outputs[name] = _failed_output(clip.audio_sha256, name, versions[name], hashes[name], exc, state)
                clip_errors.append(error_row("annotate", outputs[name].error or "failed", bench_id=bench,
                                             clip_id=clip.clip_id, system_id=config.name, item=name))
        outputs_all.extend(outputs.values())
        if audio_error is not None:  # one row says it all: every expert failed on the same file
            clip_errors = [error_row("annotate", f"{clip.audio_path}: {audio_error}; the clip gets an empty annotation",
                                     bench_id=bench, clip_id=clip.clip_id, system_id=config.name, item="audio")]
        errors.extend(clip_errors)
        if audio_error is not None:
            predictions.append(Prediction(config.name, clip.clip_id, source=f"pipeline:{config.name}",
                                          file_error=f"audio could not be decoded: {str(audio_error)[:300]}"))
            raw[clip.clip_id] = []
            continue
        fused = fuse_clip_task(clip.clip_id, system, outputs)
        predictions.append(Prediction(config.name, clip.clip_id, events=tuple(fused), source=f"pipeline:{config.name}"))
        raw[clip.clip_id] = [e.to_json() for e in fused]

    counts = cache_summary(states)
    compute_s = sum(o.elapsed_s for o in outputs_all if o.status == "ok")
    summary = {
        "run_id": run_id, "system": config.name, "bench": bench, "clips": len(clips), "tasks": len(states),
        **counts, "events": sum(len(p.events) for p in predictions), "expert_compute_s": round(compute_s, 2),
        "seconds": round(time.monotonic() - started, 2),
    }
    with open_warehouse() as con:
        write_system(con, config.name, kind="pipeline", config=config.to_json())
        write_expert_outputs(con, outputs_all)
        write_predictions(con, bench, predictions, raw)
        write_errors(con, run_id, errors)
        finish_run(con, run_id, "failed" if counts["failed"] else "completed", summary)
    return summary

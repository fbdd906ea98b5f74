"""Flows ``import_bench`` and ``import_predictions``, and the built-in systems ``oracle`` and ``empty``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from prefect import flow

from uaap.flows.checks import BUILTIN_SYSTEMS
from uaap.flows.progress import progress_over
from uaap.flows.runtime import git_commit, new_run_id, package_versions
from uaap.records import Prediction
from uaap.tasks.imports import AUDIO_SUFFIXES, read_clip_task, read_prediction_file
from uaap.warehouse import open_warehouse
from uaap.warehouse.read import bench_exists, load_answer_keys
from uaap.warehouse.writer import (
    error_row, finish_run, start_run, transaction, write_bench, write_clips, write_errors, write_predictions, write_system,
)
from uaap.warehouse.db import insert_rows

__all__ = ["import_bench", "import_predictions", "add_builtin_system", "BUILTIN_SYSTEMS"]


def _pair_files(folder: Path) -> tuple[dict[str, tuple[Path, Path]], list[dict[str, Any]]]:
    """Match ``<clip_id>.json`` with ``<clip_id>.<audio>``; report the unpaired ones."""
    keys = {p.stem: p for p in folder.glob("*.json")}
    audio: dict[str, Path] = {}
    for suffix in AUDIO_SUFFIXES:
        for p in folder.glob(f"*{suffix}"):
            audio.setdefault(p.stem, p)
    pairs, problems = {}, []
    for clip_id in sorted(set(keys) | set(audio)):
        if clip_id in keys and clip_id in audio:
            pairs[clip_id] = (audio[clip_id], keys[clip_id])
        elif clip_id in keys:
            problems.append(error_row("import_bench", f"{keys[clip_id]}: answer key without audio; expected "
                                      f"{clip_id}.wav, .flac or .mp3 beside it", clip_id=clip_id, item=keys[clip_id].name))
        else:
            problems.append(error_row("import_bench", f"{audio[clip_id]}: audio without answer key; expected "
                                      f"{clip_id}.json beside it", clip_id=clip_id, item=audio[clip_id].name))
    return pairs, problems


@flow(name="import_bench", log_prints=False)
def import_bench(directory: str, name: str, recipe: str | None = None, show_progress: bool = True) -> dict[str, Any]:
    """Import ``<clip_id>.{wav,flac,mp3}`` + ``<clip_id>.json`` pairs of a folder as bench ``name``."""
    started = time.monotonic()
    folder = Path(directory).resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"bench folder {folder} does not exist; expected a folder of <clip_id>.wav + <clip_id>.json")
    run_id = new_run_id("import_bench")
    pairs, problems = _pair_files(folder)
    for p in problems:
        p["bench_id"] = name
    with open_warehouse() as con:
        start_run(con, run_id, "import_bench", {"directory": str(folder), "name": name}, git_commit(), package_versions())
        known = {
            row[0]: row[1:]
            for row in con.execute("select path, size, mtime_ns, sha256 from file_hashes where path like ?", [f"{folder}/%"]).fetchall()
        }
    futures = {}
    for clip_id, (audio, key) in pairs.items():
        stat = audio.stat()
        hit = known.get(str(audio))
        sha = hit[2] if hit and hit[0] == stat.st_size and hit[1] == stat.st_mtime_ns else None
        futures[clip_id] = read_clip_task.submit(name, clip_id, str(audio), str(key), sha)
    progress_over(list(futures.values()), f"importing {len(futures)} clips", enabled=show_progress)
    items, hashes = [], []
    for clip_id, future in futures.items():
        future.wait()
        state = future.state
        if state.is_completed():
            clip, key = future.result()
            items.append((clip, key))
            stat = Path(clip.audio_path).stat()
            hashes.append((clip.audio_path, stat.st_size, stat.st_mtime_ns, clip.audio_sha256))
        else:
            exc = state.result(raise_on_failure=False)
            problems.append(error_row("import_bench", str(exc), bench_id=name, clip_id=clip_id, item=pairs[clip_id][1].name))
    summary = {"run_id": run_id, "bench": name, "clips": len(items), "errors": len(problems),
               "seconds": round(time.monotonic() - started, 2)}
    with open_warehouse() as con:
        recipes = {c.recipe for c, _ in items if c.recipe}
        write_bench(con, name, recipe=recipe or (recipes.pop() if len(recipes) == 1 else None),
                    params={"clips": len(items)}, source_dir=str(folder))
        write_clips(con, name, items)
        with transaction(con):
            insert_rows(con, "file_hashes", ("path", "size", "mtime_ns", "sha256"), hashes)
        write_errors(con, run_id, problems)
        finish_run(con, run_id, "completed", summary)
    summary["problems"] = [p["message"] for p in problems]
    return summary


def _invalid_rows(pred: Prediction, bench: str) -> list[dict[str, Any]]:
    rows = []
    where = pred.source or f"{pred.clip_id}.json"
    if pred.file_error:
        rows.append(error_row("import_predictions", f"{where}: {pred.file_error}; the clip counts as annotated with nothing",
                              bench_id=bench, clip_id=pred.clip_id, system_id=pred.system, item="file"))
    for inv in pred.invalid:
        rows.append(error_row(
            "import_predictions",
            f"{where}: {inv.message}; the event is kept as a prediction that cannot match",
            bench_id=bench, clip_id=pred.clip_id, system_id=pred.system, item=f"event {inv.index}",
            detail=str(inv.raw)[:500],
        ))
    return rows


@flow(name="import_predictions", log_prints=False)
def import_predictions(directory: str, system: str, bench: str) -> dict[str, Any]:
    """Import ``<clip_id>.json`` prediction files of ``system`` for every clip of ``bench``."""
    started = time.monotonic()
    folder = Path(directory).resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"predictions folder {folder} does not exist; expected a folder of <clip_id>.json")
    if system in BUILTIN_SYSTEMS:
        raise ValueError(f"'{system}' is a built-in system name; pick another --system name")
    run_id = new_run_id("import_predictions")
    with open_warehouse() as con:
        if not bench_exists(con, bench):
            raise LookupError(f"no bench named '{bench}' in the warehouse: import it first with uaap bench import DIR --name {bench}")
        start_run(con, run_id, "import_predictions", {"directory": str(folder), "system": system, "bench": bench},
                  git_commit(), package_versions())
        clip_ids = [r[0] for r in con.execute("select clip_id from clips where bench_id = ? order by clip_id", [bench]).fetchall()]
    preds, raw, problems = [], {}, []
    for clip_id in clip_ids:
        pred, events = read_prediction_file(folder / f"{clip_id}.json", system, clip_id)
        preds.append(pred)
        raw[clip_id] = events
        problems.extend(_invalid_rows(pred, bench))
    stray = sorted(p.name for p in folder.glob("*.json") if p.stem not in set(clip_ids))
    for name in stray:
        problems.append(error_row("import_predictions", f"{folder / name}: no clip '{Path(name).stem}' in bench '{bench}'; file ignored",
                                  bench_id=bench, system_id=system, item=name))
    with open_warehouse() as con:
        write_system(con, system, kind="imported", config={"source_dir": str(folder)})
        write_predictions(con, bench, preds, raw)
        write_errors(con, run_id, problems)
        summary = {
            "run_id": run_id, "system": system, "bench": bench, "clips": len(preds),
            "missing": sum(p.missing for p in preds), "file_errors": sum(bool(p.file_error) for p in preds),
            "events": sum(len(p.events) for p in preds), "invalid_events": sum(len(p.invalid) for p in preds),
            "stray_files": len(stray), "seconds": round(time.monotonic() - started, 2),
        }
        finish_run(con, run_id, "completed", summary)
    summary["problems"] = [p["message"] for p in problems]
    return summary


def add_builtin_system(name: str, bench: str) -> dict[str, Any]:
    """``oracle`` predicts the answer key itself; ``empty`` predicts nothing on every clip."""
    if name not in BUILTIN_SYSTEMS:
        raise ValueError(f"unknown built-in system '{name}'; expected one of {', '.join(BUILTIN_SYSTEMS)}")
    with open_warehouse() as con:
        if not bench_exists(con, bench):
            raise LookupError(f"no bench named '{bench}' in the warehouse: import it first with uaap bench import DIR --name {bench}")
        keys = load_answer_keys(con, bench)
        preds, raw = [], {}
        for clip_id, key in keys.items():
            events = key.events if name == "oracle" else ()
            preds.append(Prediction(name, clip_id, events=tuple(events), source=f"builtin:{name}"))
            raw[clip_id] = [e.to_json() for e in events]
        write_system(con, name, kind="builtin", config={"builtin": name})
        write_predictions(con, bench, preds, raw)
    return {"system": name, "bench": bench, "clips": len(preds)}

"""Flow ``score_system``: score systems' predictions against a bench's answer keys."""

from __future__ import annotations

import time
from typing import Any

from prefect import flow

from uaap.home import results_dir
from uaap.flows.progress import progress_over
from uaap.flows.runtime import cache_summary, git_commit, new_run_id, package_versions
from uaap.records import sha256_text
from uaap.scoring import CosineTable, Embedder, load_profile, texts_needing_embedding
from uaap.tasks.scoring import register_similarity, score_clip_task, write_scores_task
from uaap.warehouse import open_warehouse
from uaap.warehouse.lb_cache import refresh_lb_cache
from uaap.warehouse.read import bench_exists, load_answer_keys, load_embeddings, load_predictions, systems_with_predictions
from uaap.warehouse.writer import error_row, finish_run, start_run, write_embeddings, write_errors, write_profile

__all__ = ["score_system", "UnknownName"]


class UnknownName(LookupError):
    """A bench or system name the warehouse does not know."""


def resolve_systems(con, bench: str, systems: list[str] | None) -> list[str]:
    known = systems_with_predictions(con, bench)
    if not systems or systems == ["all"]:
        if not known:
            raise UnknownName(
                f"bench '{bench}' has no predictions yet: import some with "
                f"uaap predictions import DIR --system NAME --bench {bench}"
            )
        return known
    unknown = [s for s in systems if s not in known]
    if unknown:
        raise UnknownName(
            f"no predictions of system(s) {', '.join(unknown)} on bench '{bench}'; "
            f"known: {', '.join(known) or 'none'} (import with uaap predictions import DIR --system NAME --bench {bench})"
        )
    return systems


def prepare_similarity(con, profile, embedder, keys, predictions) -> tuple[CosineTable, dict[str, int]]:
    """Cosine table over every text of the run; only texts new to the warehouse are embedded."""
    texts = sorted(texts_needing_embedding(keys, predictions, profile))
    shas = {text: sha256_text(text) for text in texts}
    vectors = load_embeddings(con, embedder.embedder_id, list(shas.values()))
    missing = [t for t in texts if shas[t] not in vectors]
    if missing:
        encoded = embedder.encode(missing)
        write_embeddings(con, embedder.embedder_id, [(shas[t], t, v) for t, v in zip(missing, encoded)])
        vectors.update({shas[t]: v for t, v in zip(missing, encoded)})
    return CosineTable.for_profile(vectors, profile), {"texts": len(texts), "embedded": len(missing), "embeddings_cached": len(texts) - len(missing)}


@flow(name="score_system", log_prints=False)
def score_system(bench: str, systems: list[str] | None = None, profile: str = "soundscape-v1", show_progress: bool = True) -> dict[str, Any]:
    """Score every clip of ``bench`` for each system; one cached task per (system, clip)."""
    started = time.monotonic()
    run_id = new_run_id("score_system")
    params = {"bench": bench, "systems": systems, "profile": profile}
    prof = load_profile(profile)
    embedder = Embedder.for_profile(prof)
    with open_warehouse() as con:
        if not bench_exists(con, bench):
            raise UnknownName(f"no bench named '{bench}' in the warehouse: import it with uaap bench import DIR --name {bench}")
        systems = resolve_systems(con, bench, systems)
        start_run(con, run_id, "score_system", params, git_commit(), package_versions())
        keys = load_answer_keys(con, bench)
        predictions = {s: load_predictions(con, s, bench, list(keys)) for s in systems}
        profile_id = prof.profile_id(embedder.embedder_id)
        write_profile(con, profile_id, name=prof.name, params=prof.params(), embedder_id=embedder.embedder_id)
        table, embed_counts = prepare_similarity(
            con, prof, embedder, list(keys.values()), [p for by_clip in predictions.values() for p in by_clip.values()]
        )
    register_similarity(profile_id, table)

    scorer = score_clip_task.with_options(result_storage=results_dir())
    futures = {
        clip_id: scorer.submit(clip_id, key, tuple(predictions[s][clip_id] for s in systems), prof, profile_id)
        for clip_id, key in keys.items()
    }
    progress_over(list(futures.values()), f"scoring {len(systems)} system(s) × {len(keys)} clips", enabled=show_progress)

    states, errors, rows = [], [], []
    for clip_id, future in futures.items():
        future.wait()
        state = future.state
        states.append(state)
        if state.is_completed():
            for system, result in zip(systems, future.result()):
                rows.append((system, clip_id, keys[clip_id].sha256, predictions[system][clip_id].sha256, result))
        else:
            exc = state.result(raise_on_failure=False)
            errors.append(error_row("score", f"scoring failed: {exc}", bench_id=bench, clip_id=clip_id,
                                    exc=exc if isinstance(exc, BaseException) else None))
    written = write_scores_task(profile_id, bench, rows)

    counts = cache_summary(states)
    summary = {
        "run_id": run_id, "bench": bench, "systems": systems, "profile_id": profile_id, "clips": len(keys),
        "tasks": len(states), **counts, **embed_counts, "rows_written": written,
        "seconds": round(time.monotonic() - started, 2),
    }
    with open_warehouse() as con:
        write_errors(con, run_id, errors)
        refresh_lb_cache(con, bench, profile_id)  # leaderboards answer from it while the scores stay as they are
        finish_run(con, run_id, "failed" if counts["failed"] else "completed", summary)
    return summary

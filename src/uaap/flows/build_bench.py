"""Flow ``build_bench``: build a soundscape bench offline with exact answer keys, then import it.

Clip ``i`` depends only on (recipe, seed, i, source pool), so ``--n`` can grow a bench without
touching the clips already built, and a rerun recomputes nothing.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from prefect import flow

from uaap.flows.imports import import_bench
from uaap.flows.progress import progress_over
from uaap.home import results_dir, uaap_home
from uaap.tasks.bench import build_clip_task, ensure_pool_task
from uaap.flows.runtime import cache_summary

__all__ = ["build_bench", "bench_dir"]


def bench_dir(name: str) -> Path:
    return uaap_home() / "benches" / name


@flow(name="build_bench", log_prints=False)
def build_bench(recipe: str, n: int, seed: int, name: str, pool_dir: str | None = None,
                show_progress: bool = True) -> dict[str, Any]:
    """Build ``n`` clips of ``recipe`` with ``seed`` into ``$UAAP_HOME/benches/<name>`` and import them."""
    from uaap.bench import RECIPES

    if recipe not in RECIPES:
        raise ValueError(f"--recipe expected one of {', '.join(RECIPES)}, found '{recipe}'")
    if n < 1:
        raise ValueError(f"--n expected a positive number of clips, found {n}")
    started = time.monotonic()
    pool_dir = str(Path(pool_dir).resolve()) if pool_dir else str(uaap_home() / "sources")
    out = bench_dir(name)
    out.mkdir(parents=True, exist_ok=True)
    pool = ensure_pool_task(pool_dir)

    builder = build_clip_task.with_options(result_storage=results_dir())
    futures = [builder.submit(str(out), name, recipe, seed, i, pool_dir, pool["manifest_sha256"]) for i in range(n)]
    progress_over(futures, f"building {n} {recipe} clips", enabled=show_progress)
    states, problems = [], list(pool["problems"])
    for index, future in enumerate(futures):
        future.wait()
        state = future.state
        if state.is_completed():
            ids = future.result()
            if not all((out / f"{cid}.wav").exists() and (out / f"{cid}.json").exists() for cid in ids):
                # the cache says built, the folder says otherwise (deleted): build it again
                ids = builder.with_options(refresh_cache=True)(str(out), name, recipe, seed, index, pool_dir,
                                                              pool["manifest_sha256"])
        else:
            problems.append(f"clip {index}: {state.result(raise_on_failure=False)}")
        states.append(state)
    imported = import_bench(str(out), name, recipe=recipe, show_progress=False)
    counts = cache_summary(states)
    return {
        "bench": name, "recipe": recipe, "seed": seed, "clips": imported["clips"], "folder": str(out),
        **counts, "pool_items": pool["items"], "seconds": round(time.monotonic() - started, 2),
        "problems": problems + imported.get("problems", []),
    }

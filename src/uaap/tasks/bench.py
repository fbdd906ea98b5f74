"""Prefect tasks of the bench builder: the source pool, then one cached task per clip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from uaap.records import sha256_text

__all__ = ["BUILDER_VERSION", "ensure_pool_task", "build_clip_task", "clip_cache_key"]

#: Bump when the builder's output for the same (seed, index, pool) changes.
BUILDER_VERSION = "1"


@task(cache_policy=NO_CACHE, task_run_name="source-pool")
def ensure_pool_task(pool_dir: str, refresh: bool = False) -> dict[str, Any]:
    """Use the source pool in ``pool_dir``; render and scan it first if it has no manifest (or ``refresh``)."""
    from uaap.bench import build_pool, load_pool

    manifest = Path(pool_dir) / "manifest.json"
    if refresh or not manifest.is_file():
        built = build_pool(pool_dir)
        problems, items = [p.message for p in built.problems], len(built.items)
    else:
        pool = load_pool(pool_dir, verify=False)
        problems, items = [p.message for p in pool.problems], len(pool.items)
    return {"manifest_sha256": sha256_text(manifest.read_text(encoding="utf-8")), "problems": problems, "items": items}


def clip_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    """Recipe, seed, index, pool manifest content, output folder and builder version."""
    body = "|".join(str(parameters[k]) for k in ("recipe", "seed", "index", "manifest_sha256", "out_dir", "bench"))
    return f"clip-v{BUILDER_VERSION}-{sha256_text(body)[:40]}"


@task(cache_key_fn=clip_cache_key, persist_result=True, task_run_name="build-{bench}-{index}")
def build_clip_task(out_dir: str, bench: str, recipe: str, seed: int, index: int, pool_dir: str,
                    manifest_sha256: str) -> list[str]:
    """Plan, render and write clip ``index`` (seven variants for ``snr``); returns the clip ids."""
    from uaap.bench import build_one

    return [clip.clip_id for clip in build_one(out_dir, index, seed, pool_dir, recipe, bench=bench)]

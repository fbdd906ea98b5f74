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
def ensure_pool_task(pool_dir: str) -> dict[str, Any]:
    """Render and scan the source pool (reuses what is already rendered); returns its manifest hash."""
    from uaap.bench import build_pool

    built = build_pool(pool_dir)
    manifest = Path(built.manifest_path if hasattr(built, "manifest_path") else Path(pool_dir) / "manifest.json")
    return {
        "manifest_sha256": sha256_text(manifest.read_text(encoding="utf-8")),
        "problems": [getattr(p, "message", str(p)) for p in built.problems],
        "items": len(built.items),
    }


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

"""Build a bench folder: plan, render and write clips ``start .. start+n-1`` of a seed.

Plain functions (no orchestration): the Prefect flow maps :func:`build_one` over indices;
the benchmark and the tests call :func:`build_clips`. A clip whose sources fail is
reported by id and skipped; the others are still written.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from uaap.bench.mixer import render_clip, write_clip
from uaap.bench.pool import Pool, SourceError, load_pool
from uaap.bench.recipe import PlanError, RecipeParams, plan_clip
from uaap.bench.snr import plan_snr_base, render_snr_ladder
from uaap.records import Clip

__all__ = ["RECIPES", "BuildReport", "recipe_params", "build_one", "build_clips"]

log = logging.getLogger(__name__)

#: Recipe names accepted by ``--recipe``.
RECIPES: tuple[str, ...] = ("soundscape", "snr")


@dataclass(frozen=True)
class BuildReport:
    """Clips written, clips skipped (with why), and the wall time."""

    clips: tuple[Clip, ...]
    problems: tuple[str, ...] = ()
    elapsed_s: float = 0.0
    pool_problems: tuple[str, ...] = field(default_factory=tuple)


def recipe_params(recipe: str) -> RecipeParams:
    """The parameters of a named recipe."""
    if recipe == "soundscape":
        return RecipeParams.soundscape()
    if recipe == "snr":
        return RecipeParams.snr()
    raise PlanError(f"recipe expected one of {', '.join(RECIPES)}, found {recipe!r}")


def build_one(
    out_dir: str | Path,
    index: int,
    seed: int,
    pool: Pool | str | Path,
    recipe: str = "soundscape",
    params: RecipeParams | None = None,
    bench: str | None = None,
) -> list[Clip]:
    """Plan, render and write clip ``index`` (all seven variants for the ``snr`` recipe).

    ``pool`` may be a loaded pool or the pool folder (loaded without re-hashing its files:
    a damaged file then surfaces as a SourceError for the clips that use it).

    Raises:
        PlanError: bad seed or index, or a pool without speech (or background, for ``snr``).
        SourceError: a planned source is missing or unreadable.
    """
    params = params or recipe_params(recipe)
    if not isinstance(pool, Pool):
        pool = load_pool(pool, verify=False)
    if params.name == "snr":
        rendered = render_snr_ladder(plan_snr_base(seed, index, pool, params), pool)
        return [write_clip(r, out_dir, bench) for r in rendered]
    return [write_clip(render_clip(plan_clip(params, seed, index, pool), pool), out_dir, bench)]


def build_clips(
    out_dir: str | Path,
    n: int,
    seed: int,
    *,
    recipe: str = "soundscape",
    pool: Pool | None = None,
    pool_dir: str | Path | None = None,
    start: int = 0,
    params: RecipeParams | None = None,
    bench: str | None = None,
) -> BuildReport:
    """Build clips ``start .. start+n-1`` into ``out_dir`` (``<clip_id>.wav`` + ``.json``).

    Args:
        out_dir: the bench folder.
        n: how many base clips.
        seed: the bench seed; clip ``i`` depends only on (seed, i, recipe, pool).
        recipe: ``"soundscape"`` or ``"snr"`` (seven variants per base clip).
        pool: a loaded pool (default: :func:`load_pool` of ``pool_dir``).
        pool_dir: where the pool is (default ``$UAAP_HOME/sources``).
        start: first clip index.
        params: override the named recipe's parameters.
        bench: bench name written into the Clip records (default: the recipe name).
    """
    started = time.perf_counter()
    pool = pool or load_pool(pool_dir)
    clips: list[Clip] = []
    problems: list[str] = []
    for index in range(start, start + n):
        try:
            clips.extend(build_one(out_dir, index, seed, pool, recipe, params, bench))
        except (SourceError, PlanError) as exc:
            problems.append(f"clip {index}: skipped ({exc})")
            log.warning("bench: clip %d skipped: %s", index, exc)
    return BuildReport(
        clips=tuple(clips),
        problems=tuple(problems),
        elapsed_s=time.perf_counter() - started,
        pool_problems=tuple(p.message for p in pool.problems),
    )

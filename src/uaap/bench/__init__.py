"""Soundscape benches built offline from installed sources, with exact answer keys.

Pool: :func:`build_pool` renders and scans sources into ``$UAAP_HOME/sources`` with a
manifest; :func:`load_pool` loads it. Bench: :func:`plan_clip` decides a clip from
(seed, index) alone, :func:`render_clip` mixes it and measures its key, :func:`write_clip`
writes ``<clip_id>.wav`` + ``<clip_id>.json``; :func:`render_snr_ladder` makes the SNR
variants; :func:`bench_stats` summarises a bench.
"""

from uaap.bench.audio import SAMPLE_RATE, AudioReadError, read_mono, write_pcm16
from uaap.bench.build import RECIPES, BuildReport, build_clips, build_one, recipe_params
from uaap.bench.mixer import PlacedEvent, RenderedClip, mix_events, place_events, render_clip, write_clip
from uaap.bench.pool import (
    KINDS,
    Pool,
    SourceError,
    SourceItem,
    SourceProblem,
    default_pool_dir,
    load_pool,
    read_manifest,
    write_manifest,
)
from uaap.bench.recipe import ClipPlan, Placement, PlanError, RecipeParams, clip_id_for, plan_clip
from uaap.bench.snr import SNR_LADDER_DB, plan_snr_base, render_snr_ladder, variant_id
from uaap.bench.sources import LocalSource, PoolBuild, PoolConfig, build_pool
from uaap.bench.stats import bench_stats, print_stats, read_bench_keys, stats_tables

__all__ = [
    "SAMPLE_RATE",
    "AudioReadError",
    "read_mono",
    "write_pcm16",
    "KINDS",
    "Pool",
    "SourceError",
    "SourceItem",
    "SourceProblem",
    "default_pool_dir",
    "load_pool",
    "read_manifest",
    "write_manifest",
    "LocalSource",
    "PoolBuild",
    "PoolConfig",
    "build_pool",
    "ClipPlan",
    "Placement",
    "PlanError",
    "RecipeParams",
    "clip_id_for",
    "plan_clip",
    "PlacedEvent",
    "RenderedClip",
    "mix_events",
    "place_events",
    "render_clip",
    "write_clip",
    "SNR_LADDER_DB",
    "plan_snr_base",
    "render_snr_ladder",
    "variant_id",
    "RECIPES",
    "BuildReport",
    "build_clips",
    "build_one",
    "recipe_params",
    "bench_stats",
    "print_stats",
    "read_bench_keys",
    "stats_tables",
]

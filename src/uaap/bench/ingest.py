"""Turning candidate sources into pool items: decode or render, trim, write, hash.

Each candidate knows how to produce its samples (decode a packaged file, run espeak-ng,
fluidsynth or sox) and carries a ``render_key`` naming everything that shapes the audio.
An item whose key and file are unchanged since the last build is reused, not rendered.
A candidate that fails becomes a :class:`~uaap.bench.pool.SourceProblem`; the rest go on.
"""

from __future__ import annotations

import dataclasses
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from uaap.bench.audio import SAMPLE_RATE, AudioReadError, file_sha256, read_mono, write_pcm16
from uaap.bench.levels import trim_silence
from uaap.bench.pool import SourceItem, SourceProblem
from uaap.records import canonical_json, sha256_text

__all__ = ["POOL_FORMAT", "Candidate", "render_key", "decode_file", "run_tool", "materialise"]

_MIN_DURATION_S = 0.08


@dataclass(frozen=True)
class Candidate:
    """A pool item to be: its record (without audio facts) and how to make its samples."""

    item: SourceItem
    produce: Callable[[], np.ndarray | tuple[np.ndarray, Mapping[str, Any]]]
    max_duration_s: float | None = None
    #: Fields that ``produce`` fills in (it then returns ``(samples, {field: value})``);
    #: a reused item keeps the values of the build that rendered it.
    late_fields: tuple[str, ...] = ()


#: Bump when trimming, resampling or the pool file format changes: every item re-renders.
POOL_FORMAT = "pool-v1"


def render_key(*parts: object) -> str:
    """A short hash of everything that shapes an item's audio (and the pool format)."""
    return sha256_text(canonical_json([POOL_FORMAT, *(str(p) for p in parts)]))[:16]


def decode_file(path: str | Path) -> Callable[[], np.ndarray]:
    """A producer that decodes a packaged audio file."""
    return lambda: read_mono(path, SAMPLE_RATE)


def run_tool(argv: Sequence[str], what: str, timeout_s: float = 120.0) -> None:
    """Run an external tool; a failure raises naming the tool and its stderr."""
    try:
        proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout_s)
    except FileNotFoundError:
        raise AudioReadError(f"{what}: program {argv[0]!r} is not installed (run scripts/install_sources.sh)") from None
    except subprocess.TimeoutExpired:
        raise AudioReadError(f"{what}: {argv[0]} took longer than {timeout_s:.0f} s") from None
    if proc.returncode != 0:
        raise AudioReadError(f"{what}: {argv[0]} exited {proc.returncode}: {proc.stderr.strip()[:300]}")


def _materialise_one(cand: Candidate, pool_dir: Path, previous: Mapping[str, SourceItem]) -> SourceItem | SourceProblem:
    item = cand.item
    rel = f"{item.kind}/{item.item_id}.wav"
    path = pool_dir / rel
    old = previous.get(item.item_id)
    if old is not None and old.render_key == item.render_key and old.path == rel and path.is_file():
        if file_sha256(path) == old.sha256:
            late = {name: getattr(old, name) for name in cand.late_fields}
            return dataclasses.replace(
                item, path=rel, n_samples=old.n_samples, duration_s=old.duration_s, sha256=old.sha256, **late
            )
    source = item.origin or item.item_id
    try:
        produced = cand.produce()
    except Exception as exc:  # noqa: BLE001 - third-party decoders and renderers raise anything
        return SourceProblem(source, f"skipped ({type(exc).__name__}: {exc})")
    late_values: Mapping[str, Any] = {}
    if isinstance(produced, tuple):
        produced, late_values = produced
    trimmed = trim_silence(produced, SAMPLE_RATE)
    duration_s = trimmed.size / SAMPLE_RATE
    if duration_s < _MIN_DURATION_S:
        return SourceProblem(source, f"skipped: silent or shorter than {_MIN_DURATION_S} s after trimming")
    if cand.max_duration_s is not None and duration_s > cand.max_duration_s:
        return SourceProblem(source, f"skipped: {duration_s:.1f} s is longer than {cand.max_duration_s:.0f} s")
    write_pcm16(path, trimmed, SAMPLE_RATE)
    return dataclasses.replace(
        item,
        **dict(late_values),
        path=rel,
        n_samples=int(trimmed.size),
        duration_s=round(duration_s, 4),
        sha256=file_sha256(path),
    )


def materialise(
    candidates: Iterable[Candidate],
    pool_dir: str | Path,
    previous: Mapping[str, SourceItem] | None = None,
    workers: int = 2,
) -> tuple[list[SourceItem], list[SourceProblem]]:
    """Produce every candidate into ``pool_dir`` (reusing unchanged ones), in parallel.

    Returns the items and the problems, both in candidate order.
    """
    pool_dir = Path(pool_dir)
    previous = previous or {}
    cands = list(candidates)
    seen: set[str] = set()
    unique: list[Candidate] = []
    for cand in cands:
        if cand.item.item_id in seen:
            continue
        seen.add(cand.item.item_id)
        unique.append(cand)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda c: _materialise_one(c, pool_dir, previous), unique))
    items = [r for r in results if isinstance(r, SourceItem)]
    problems = [r for r in results if isinstance(r, SourceProblem)]
    return items, problems

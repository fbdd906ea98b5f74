"""The source pool: frozen :class:`SourceItem` records, their manifest, and loading it.

A pool is a folder of ready-to-mix items (mono PCM_16 WAV at 16 kHz, leading and
trailing silence trimmed) plus ``manifest.json`` describing each: where it came from,
its licence, and everything known about it exactly (text, voice, label, caption).
Paths in the manifest are relative to the pool folder, so a pool can move.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

from uaap.bench.audio import SAMPLE_RATE, AudioReadError, file_sha256, read_mono
from uaap.records import canonical_json, sha256_text

__all__ = [
    "KINDS",
    "MANIFEST_NAME",
    "SourceItem",
    "SourceProblem",
    "SourceError",
    "Pool",
    "default_pool_dir",
    "write_manifest",
    "read_manifest",
    "load_pool",
]

#: What a pool item can be.
KINDS: tuple[str, ...] = ("speech", "music", "sound_event", "vocal_burst", "ambience")
MANIFEST_NAME = "manifest.json"
_MANIFEST_VERSION = 1


@dataclass(frozen=True)
class SourceItem:
    """One ready-to-mix pool item and everything known about it exactly."""

    item_id: str
    kind: str
    path: str
    package: str
    licence: str
    language: str | None = None
    speaker_id: str | None = None
    text: str | None = None
    caption: str | None = None
    label: str | None = None
    duration_s: float = 0.0
    n_samples: int = 0
    sample_rate: int = SAMPLE_RATE
    origin: str | None = None
    sha256: str = ""
    render_key: str = ""
    human: bool | None = None
    gender: str | None = None
    accent: str | None = None
    speaking_rate: str | None = None
    emotion: str | None = None
    voice_timbre: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["facts"] = dict(self.facts)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "SourceItem":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class SourceProblem:
    """A source that was skipped: which one, and why, and how to fix it."""

    source: str
    reason: str
    fix: str = ""

    @property
    def message(self) -> str:
        text = f"{self.source}: {self.reason}"
        return f"{text}; {self.fix}" if self.fix else text

    def __str__(self) -> str:
        return self.message


class SourceError(RuntimeError):
    """A pool item that cannot be used while rendering a clip (names the item)."""


def default_pool_dir() -> Path:
    """``$UAAP_HOME/sources`` (``UAAP_HOME`` defaults to ``./.uaap``, as everywhere in uaap)."""
    from uaap.home import uaap_home

    return uaap_home() / "sources"


def write_manifest(pool_dir: str | Path, items: Iterable[SourceItem], problems: Iterable[SourceProblem] = ()) -> Path:
    """Write ``manifest.json`` (items sorted by id; deterministic bytes)."""
    pool_dir = Path(pool_dir)
    pool_dir.mkdir(parents=True, exist_ok=True)
    ordered = sorted(items, key=lambda it: it.item_id)
    body = {
        "version": _MANIFEST_VERSION,
        "sample_rate": SAMPLE_RATE,
        "items": [it.to_json() for it in ordered],
        "problems": [{"source": p.source, "reason": p.reason, "fix": p.fix} for p in problems],
    }
    path = pool_dir / MANIFEST_NAME
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def read_manifest(path: str | Path) -> list[SourceItem]:
    """The items of a manifest file (no checks on the audio)."""
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST_NAME
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FileNotFoundError(
            f"{path}: no readable pool manifest ({exc}); build the pool first (uaap.bench.build_pool)"
        ) from None
    return [SourceItem.from_json(d) for d in body.get("items", [])]


@dataclass(frozen=True)
class Pool:
    """A loaded pool: usable items (sorted by id), the folder, and what was skipped."""

    root: Path
    items: tuple[SourceItem, ...]
    problems: tuple[SourceProblem, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {it.item_id: it for it in self.items})
        object.__setattr__(self, "_sha256", sha256_text(canonical_json([it.to_json() for it in self.items])))

    def get(self, item_id: str) -> SourceItem:
        try:
            return self._by_id[item_id]  # type: ignore[attr-defined]
        except KeyError:
            raise SourceError(f"pool item {item_id!r} is not in the pool at {self.root}") from None

    def of_kind(self, kind: str) -> tuple[SourceItem, ...]:
        return tuple(it for it in self.items if it.kind == kind)

    @property
    def sha256(self) -> str:
        """Content hash of the pool (ids, file hashes and facts; not its location)."""
        return self._sha256  # type: ignore[attr-defined]

    def read(self, item_id: str) -> np.ndarray:
        """The item's samples (float32, mono, pool rate)."""
        item = self.get(item_id)
        try:
            x = read_mono(self.root / item.path, item.sample_rate)
        except AudioReadError as exc:
            raise SourceError(f"pool item {item_id!r}: {exc}; rebuild the pool") from None
        if x.size != item.n_samples:
            raise SourceError(
                f"pool item {item_id!r}: expected {item.n_samples} samples, found {x.size}; rebuild the pool"
            )
        return x


def load_pool(pool_dir: str | Path | None = None, *, verify: bool = True) -> Pool:
    """Load a pool; with ``verify`` every file must exist and match its sha256.

    Items that fail are reported as problems and left out, so a bench can still be
    built from the rest (deterministically, given the same surviving items).
    """
    root = Path(pool_dir) if pool_dir is not None else default_pool_dir()
    items = read_manifest(root)
    good: list[SourceItem] = []
    problems: list[SourceProblem] = []
    for item in items:
        path = root / item.path
        if not path.is_file():
            problems.append(SourceProblem(item.item_id, f"file {path} is missing", "rebuild the pool"))
            continue
        if verify and item.sha256 and file_sha256(path) != item.sha256:
            problems.append(
                SourceProblem(
                    item.item_id, f"file {path} does not match its sha256 in the manifest", "rebuild the pool"
                )
            )
            continue
        good.append(item)
    return Pool(root=root, items=tuple(sorted(good, key=lambda it: it.item_id)), problems=tuple(problems))

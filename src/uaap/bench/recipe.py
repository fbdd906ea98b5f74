"""The soundscape recipe (after SoundScape-Bench) and deterministic clip planning.

``plan_clip(params, seed, index, pool)`` decides everything about clip ``index`` — its
duration, background, speech turns, bursts, effects, levels and times — from a numpy
Generator seeded with ``(seed, index, recipe)`` alone, so clip ``i`` never depends on how
many clips are built, and the same seed and pool always give the same plan.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from uaap.bench.audio import SAMPLE_RATE
from uaap.bench.pool import Pool, SourceItem

__all__ = [
    "ROLES",
    "BACKGROUND_ROLES",
    "RecipeParams",
    "Placement",
    "ClipPlan",
    "PlanError",
    "clip_id_for",
    "plan_clip",
]

#: Mixer layers, in mixing order. ``ambience`` events are keyed as UAAP ``sound_event``.
ROLES: tuple[str, ...] = ("music", "ambience", "sound_event", "speech", "vocal_burst")
#: The layers that count as background for SNR (everything except voices).
BACKGROUND_ROLES: tuple[str, ...] = ("music", "ambience", "sound_event")


class PlanError(ValueError):
    """A clip cannot be planned (bad seed, or the pool lacks a required kind)."""


@dataclass(frozen=True)
class RecipeParams:
    """Every number of the recipe; the defaults are the SoundScape-Bench soundscape recipe."""

    name: str = "soundscape"
    min_duration_s: float = 10.0
    max_duration_s: float = 60.0
    background_weights: tuple[tuple[str, float], ...] = (("music", 0.6), ("ambience", 0.2), ("silence", 0.2))
    turn_count_weights: tuple[tuple[int, float], ...] = ((1, 1.0), (2, 1.0), (3, 1.0))
    overlap_prob: float = 0.25
    burst_prob: float = 0.4
    fx_count_weights: tuple[tuple[int, float], ...] = ((1, 1.0), (2, 1.0), (3, 1.0))
    speech_rms: float = 0.11
    music_rms: float = 0.045
    ambience_rms: float = 0.03
    fx_rms: float = 0.075
    burst_rms: float = 0.09
    #: Speech loudness styles: (word, gain dB relative to speech_rms, weight). The style is
    #: applied by the mixer and said in the speech event's caption.
    speech_loudness: tuple[tuple[str, float, float], ...] = (
        ("normal", 0.0, 0.8),
        ("soft", -6.0, 0.1),
        ("loud", 4.0, 0.1),
    )
    peak_limit: float = 0.97
    languages: tuple[str, ...] | None = None
    same_language_prob: float = 0.6

    @classmethod
    def soundscape(cls) -> "RecipeParams":
        return cls()

    @classmethod
    def snr(cls) -> "RecipeParams":
        """Base clips of the SNR ladder: always a music or ambience bed, speech at one level."""
        return cls(
            name="snr",
            background_weights=(("music", 0.75), ("ambience", 0.25)),
            speech_loudness=(("normal", 0.0, 1.0),),
        )

    def target_rms(self, role: str) -> float:
        return {
            "speech": self.speech_rms,
            "music": self.music_rms,
            "ambience": self.ambience_rms,
            "sound_event": self.fx_rms,
            "vocal_burst": self.burst_rms,
        }[role]


@dataclass(frozen=True)
class Placement:
    """One source placed on the clip timeline (times in samples of the clip)."""

    role: str
    item_id: str
    start: int
    length: int
    target_rms: float
    source_offset: int = 0
    speaker: str | None = None
    turn: int | None = None
    loudness_style: str | None = None
    gain_db: float = 0.0

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class ClipPlan:
    """Everything decided about one clip before any audio is touched."""

    clip_id: str
    recipe: str
    seed: int
    index: int
    n_samples: int
    background: str
    overlap: bool
    placements: tuple[Placement, ...]
    params: RecipeParams = field(default_factory=RecipeParams)
    pool_sha256: str = ""
    sample_rate: int = SAMPLE_RATE

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.sample_rate


def clip_id_for(index: int) -> str:
    """The readable id of clip ``index``.

    >>> clip_id_for(42)
    'clip-00042'
    """
    return f"clip-{index:05d}"


def _weighted(rng: np.random.Generator, options: Sequence[tuple[object, float]]) -> object:
    values = [v for v, _ in options]
    weights = np.array([w for _, w in options], dtype=np.float64)
    return values[int(rng.choice(len(values), p=weights / weights.sum()))]


def _pick(rng: np.random.Generator, items: Sequence[SourceItem]) -> SourceItem:
    return items[int(rng.integers(len(items)))]


def _by(items: Sequence[SourceItem], attr: str) -> dict[str, list[SourceItem]]:
    out: dict[str, list[SourceItem]] = {}
    for it in items:
        key = getattr(it, attr)
        if key:
            out.setdefault(key, []).append(it)
    return {k: sorted(v, key=lambda it: it.item_id) for k, v in sorted(out.items())}


def _sec(seconds: float, sr: int) -> int:
    return int(round(seconds * sr))


def plan_clip(params: RecipeParams, seed: int, index: int, pool: Pool) -> ClipPlan:
    """Plan clip ``index`` of a bench built with ``seed`` from ``pool``.

    Args:
        params: the recipe (:meth:`RecipeParams.soundscape` or :meth:`RecipeParams.snr`).
        seed: the bench seed (an integer >= 0).
        index: the clip number (>= 0); the plan depends only on seed, index, recipe and pool.
        pool: the loaded source pool.

    Returns:
        A :class:`ClipPlan` (no audio is read).

    Raises:
        PlanError: the seed or index is negative, or the pool has no speech.
    """
    if seed < 0 or index < 0:
        raise PlanError(f"seed and index must be integers >= 0, found seed={seed}, index={index}")
    sr = SAMPLE_RATE
    rng = np.random.default_rng([seed, index, zlib.crc32(params.name.encode())])
    speech = pool.of_kind("speech")
    if params.languages is not None:
        speech = tuple(it for it in speech if it.language in params.languages)
    if not speech:
        raise PlanError(f"the pool at {pool.root} has no speech items; build the pool first (uaap.bench.build_pool)")
    by_lang = {lang: _by(items, "speaker_id") for lang, items in _by(speech, "language").items()}
    langs = sorted(by_lang)

    duration_s = float(rng.uniform(params.min_duration_s, params.max_duration_s))
    background = str(_weighted(rng, params.background_weights))
    if background != "silence" and not pool.of_kind(background):
        background = "silence"
    n_turns = int(_weighted(rng, params.turn_count_weights))
    overlap = bool(rng.random() < params.overlap_prob)
    if overlap and n_turns < 2:
        n_turns = 2

    # --- who speaks: distinct speakers, languages mostly kept within a clip -----------
    turns: list[tuple[SourceItem, str, float]] = []
    used: set[str] = set()
    lang = langs[int(rng.integers(len(langs)))]
    for k in range(n_turns):
        if k > 0 and rng.random() >= params.same_language_prob and len(langs) > 1:
            others = [x for x in langs if x != lang]
            lang = others[int(rng.integers(len(others)))]
        free = [s for s in by_lang[lang] if s not in used]
        if not free:
            open_langs = [x for x in langs if any(s not in used for s in by_lang[x])]
            if not open_langs:
                break
            lang = open_langs[int(rng.integers(len(open_langs)))]
            free = [s for s in by_lang[lang] if s not in used]
        speaker = free[int(rng.integers(len(free)))]
        used.add(speaker)
        item = _pick(rng, by_lang[lang][speaker])
        style, gain_db, _ = params.speech_loudness[
            int(rng.choice(len(params.speech_loudness), p=_norm([w for *_, w in params.speech_loudness])))
        ]
        turns.append((item, style, gain_db))

    # bursts: a label weighted by the square root of its item count (so a label with one
    # recording is not as common as one with sixty), then a recording of that label
    bursts_by_label = _by(pool.of_kind("vocal_burst"), "label")
    burst_labels = list(bursts_by_label)
    burst_weights = _norm([len(bursts_by_label[b]) ** 0.5 for b in burst_labels]) if burst_labels else None
    burst_for: dict[int, SourceItem] = {}
    for k in range(len(turns)):
        if burst_labels and rng.random() < params.burst_prob:
            label = burst_labels[int(rng.choice(len(burst_labels), p=burst_weights))]
            burst_for[k] = _pick(rng, bursts_by_label[label])

    lead_s = float(rng.uniform(0.3, 1.5))
    gaps_s = rng.uniform(0.3, 2.0, size=len(turns))
    slide = float(rng.uniform(0.3, 0.7))
    burst_gaps_s = rng.uniform(0.15, 0.6, size=len(turns))
    tail_s = float(rng.uniform(0.4, 1.5))

    # --- timeline: tight first; drop trailing turns until it fits the longest clip;
    # then spread the spare time over the lead-in and the gaps between turns ----------
    spread = rng.dirichlet(np.ones(len(turns) + 1))
    max_n = _sec(params.max_duration_s, sr)

    def layout(extra: int) -> tuple[list[Placement], int]:
        voice: list[Placement] = []
        cursor = _sec(lead_s, sr) + int(spread[0] * extra)
        pending: list[int] = []
        first_start = 0
        for k, (item, style, gain_db) in enumerate(turns):
            if k == 0:
                start = first_start = cursor
            elif k == 1 and overlap:
                start = first_start + int(slide * turns[0][0].n_samples)
            else:
                start = cursor + _sec(float(gaps_s[k]), sr) + int(spread[k] * extra)
            voice.append(
                Placement(
                    "speech",
                    item.item_id,
                    start,
                    item.n_samples,
                    params.speech_rms * 10 ** (gain_db / 20),
                    turn=k,
                    loudness_style=style,
                    gain_db=gain_db,
                )
            )
            cursor = max(cursor, start + item.n_samples)
            if k in burst_for:
                pending.append(k)
            if overlap and k == 0:
                continue
            for j in pending:
                b = burst_for[j]
                bstart = cursor + _sec(float(burst_gaps_s[j]), sr)
                voice.append(Placement("vocal_burst", b.item_id, bstart, b.n_samples, params.burst_rms, turn=j))
                cursor = bstart + b.n_samples
            pending = []
        return voice, cursor + _sec(tail_s, sr)

    voice, needed = layout(0)
    while needed > max_n and len(turns) > 1:
        turns.pop()
        burst_for.pop(len(turns), None)
        overlap = overlap and len(turns) >= 2
        voice, needed = layout(0)
    n_samples = max(_sec(duration_s, sr), needed)
    if n_samples > needed:
        voice, _ = layout(n_samples - needed)

    # --- foreground effects: distinct labels, anywhere they fit ----------------------
    fx_by_label = _by(pool.of_kind("sound_event"), "label")
    n_fx = int(_weighted(rng, params.fx_count_weights))
    labels = list(fx_by_label)
    chosen = rng.permutation(len(labels))[:n_fx] if labels else []
    fx: list[Placement] = []
    for li in chosen:
        item = _pick(rng, fx_by_label[labels[int(li)]])
        u = float(rng.random())
        room = n_samples - item.n_samples - 2 * _sec(0.1, sr)
        if room <= 0:
            continue
        fx.append(Placement("sound_event", item.item_id, _sec(0.1, sr) + int(u * room), item.n_samples, params.fx_rms))

    # --- the bed ----------------------------------------------------------------------
    bed: list[Placement] = []
    if background != "silence":
        item = _pick(rng, sorted(pool.of_kind(background), key=lambda it: it.item_id))
        spare = item.n_samples - n_samples
        offset = int(rng.integers(spare + 1)) if spare > 0 else 0
        bed.append(
            Placement(background, item.item_id, 0, n_samples, params.target_rms(background), source_offset=offset)
        )

    # --- speaker labels in order of first appearance ---------------------------------
    voices = sorted(voice, key=lambda p: (p.start, p.role))
    labels_by_source: dict[str, str] = {}
    labelled: list[Placement] = []
    for p in voices:
        source_speaker = pool.get(p.item_id).speaker_id or p.item_id
        if source_speaker not in labels_by_source:
            labels_by_source[source_speaker] = f"speaker_{len(labels_by_source) + 1}"
        labelled.append(replace(p, speaker=labels_by_source[source_speaker]))

    placements = tuple(bed + sorted(fx, key=lambda p: p.start) + labelled)
    return ClipPlan(
        clip_id=clip_id_for(index),
        recipe=params.name,
        seed=seed,
        index=index,
        n_samples=int(n_samples),
        background=background,
        overlap=overlap,
        placements=placements,
        params=params,
        pool_sha256=pool.sha256,
    )


def _norm(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    return w / w.sum()

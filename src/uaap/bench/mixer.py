"""Rendering a plan: level each source, place it, mix, limit peaks, and measure the key.

The answer key is written from what was really placed: each event's span is the
non-silent extent of its own placed (and limited) audio, and its level is the RMS over
that span. Clip-level facts — overlap, SNR, speakers, languages — are measured the same way.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from uaap.bench.audio import SAMPLE_RATE, file_sha256, write_pcm16
from uaap.bench.levels import active_extent, fit_rms, limiter_gain, loudness_label, rms, to_db
from uaap.bench.pool import Pool, SourceError, SourceItem
from uaap.bench.recipe import BACKGROUND_ROLES, ROLES, ClipPlan, Placement
from uaap.records import AnswerKey, Clip, Event

__all__ = [
    "PlacedEvent",
    "RenderedClip",
    "place_events",
    "mix_events",
    "render_clip",
    "write_clip",
    "measure_snr_db",
]

_EVENT_TYPE = {
    "speech": "speech",
    "vocal_burst": "vocal_burst",
    "sound_event": "sound_event",
    "ambience": "sound_event",
    "music": "music",
}
_LAYER = {
    "speech": "speech",
    "vocal_burst": "vocal_burst",
    "sound_event": "foreground",
    "ambience": "ambience bed",
    "music": "music bed",
}
_LOUDNESS_CLAUSE = {
    "normal": "It is heard at a normal speaking level.",
    "soft": "It is heard softly, {db:g} dB below the normal speaking level.",
    "loud": "It is heard loudly, {db:g} dB above the normal speaking level.",
}
_XFADE_S = 0.5
_EDGE_FADE_S = 0.01


@dataclass(frozen=True, eq=False)
class PlacedEvent:
    """One source at its planned level, ready to be added at ``placement.start``."""

    placement: Placement
    item: SourceItem
    audio: np.ndarray


@dataclass(frozen=True, eq=False)
class RenderedClip:
    """A mixed clip: the mix, per-layer stems, each key event's own audio, and the key."""

    clip_id: str
    plan: ClipPlan
    audio: np.ndarray
    stems: Mapping[str, np.ndarray]
    event_audio: tuple[tuple[int, np.ndarray], ...]
    key: AnswerKey
    sources: tuple[SourceItem, ...]
    sample_rate: int = SAMPLE_RATE
    variant: str = "base"
    measures: Mapping[str, Any] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return self.audio.size / self.sample_rate


def _tile(x: np.ndarray, n: int, sr: int) -> np.ndarray:
    """``x`` repeated with equal-power crossfades until it is at least ``n`` samples."""
    if x.size >= n:
        return x
    fade = min(int(_XFADE_S * sr), x.size // 4)
    if fade < 1:
        return np.tile(x, -(-n // max(1, x.size)))
    t = np.linspace(0.0, np.pi / 2, fade, dtype=np.float64)
    fin, fout = np.sin(t).astype(np.float32), np.cos(t).astype(np.float32)
    out = x.copy()
    while out.size < n:
        joined = out[-fade:] * fout + x[:fade] * fin
        out = np.concatenate([out[:-fade], joined, x[fade:]])
    return out


def _edge_fades(x: np.ndarray, sr: int) -> np.ndarray:
    n = min(int(_EDGE_FADE_S * sr), x.size // 4)
    if n > 1:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    return x


def place_events(plan: ClipPlan, pool: Pool) -> list[PlacedEvent]:
    """Load every planned source and bring it to its planned RMS (pre-limited to the peak limit).

    Raises:
        SourceError: a planned item is missing from the pool or its file is unreadable.
    """
    sr = plan.sample_rate
    placed: list[PlacedEvent] = []
    for p in plan.placements:
        item = pool.get(p.item_id)
        x = pool.read(p.item_id)
        if p.role in ("music", "ambience"):
            x = _tile(x, p.source_offset + p.length, sr)[p.source_offset : p.source_offset + p.length].copy()
            x = _edge_fades(x, sr)
        if x.size != p.length:
            raise SourceError(f"pool item {p.item_id!r}: planned {p.length} samples, found {x.size}; rebuild the plan")
        placed.append(PlacedEvent(p, item, fit_rms(x, p.target_rms, plan.params.peak_limit, sr)))
    return placed


def measure_snr_db(stems: Mapping[str, np.ndarray], speech_spans: Sequence[tuple[int, int]]) -> float | None:
    """Speech-to-background ratio in dB over the speech spans (None if either side is silent).

    Speech power is the speech stem's mean square over the union of speech spans;
    background power is the mean square of the music, ambience and sound-event stems
    summed, over the same samples.
    """
    speech = stems.get("speech")
    if speech is None or not speech_spans:
        return None
    mask = np.zeros(speech.size, dtype=bool)
    for s, e in speech_spans:
        mask[s:e] = True
    background = np.zeros(speech.size, dtype=np.float64)
    for role in BACKGROUND_ROLES:
        if role in stems:
            background += stems[role]
    p_speech = float(np.mean(np.square(speech[mask], dtype=np.float64)))
    p_background = float(np.mean(np.square(background[mask])))
    if p_speech <= 1e-12 or p_background <= 1e-12:
        return None
    return 10.0 * float(np.log10(p_speech / p_background))


def _r(x: float, nd: int = 3) -> float:
    return float(round(x, nd)) + 0.0  # + 0.0 turns -0.0 into 0.0


def _event_for(pe: PlacedEvent, start_s: float, end_s: float, level: float, params_speech_rms: float) -> Event:
    p, item = pe.placement, pe.item
    etype = _EVENT_TYPE[p.role]
    extras: dict[str, Any] = {
        "layer": _LAYER[p.role],
        "source_id": item.item_id,
        "level_dbfs": _r(to_db(level), 2),
    }
    if p.role == "speech":
        style = p.loudness_style or "normal"
        clause = _LOUDNESS_CLAUSE.get(style, "").format(db=abs(p.gain_db))
        extras["human"] = item.human
        extras["loudness_style"] = style
        return Event(
            type=etype,
            start_s=start_s,
            end_s=end_s,
            transcription=item.text,
            speaker_id=p.speaker,
            language=item.language,
            emotion=item.emotion,
            speaking_style=f"{item.caption} {clause}".strip(),
            gender=item.gender,
            voice_timbre=item.voice_timbre,
            accent=item.accent,
            speaking_rate=item.speaking_rate,
            extras=extras,
        )
    if p.role == "vocal_burst":
        return Event(
            type=etype,
            start_s=start_s,
            end_s=end_s,
            speaker_id=p.speaker,
            vocal_burst=item.label,
            emotion=item.emotion,
            description=item.caption,
            loudness=loudness_label(level),
            extras=extras,
        )
    extras["label"] = item.label
    return Event(
        type=etype,
        start_s=start_s,
        end_s=end_s,
        description=item.caption,
        loudness=loudness_label(level),
        extras=extras,
    )


def mix_events(
    plan: ClipPlan,
    placed: Sequence[PlacedEvent],
    *,
    clip_id: str | None = None,
    role_gain: Mapping[str, float] | None = None,
    drop_roles: Sequence[str] = (),
    peak_mode: str = "limit",
    variant: str = "base",
    extra_meta: Mapping[str, Any] | None = None,
) -> RenderedClip:
    """Sum the placed sources into stems and a mix, keep peaks under the limit, and key it.

    Args:
        plan: the clip plan the sources were placed from.
        placed: output of :func:`place_events`.
        clip_id: id of this rendering (default: the plan's).
        role_gain: linear gain per layer (the SNR ladder scales the background).
        drop_roles: layers left out of this rendering (and out of its key).
        peak_mode: ``"limit"`` (look-ahead limiter; levels stay put) or ``"scale"`` (one
            gain for the whole clip when it would clip; ratios such as SNR stay exact).
        variant: name of this rendering, written to the key's meta.
        extra_meta: more key meta (e.g. the SNR target).
    """
    sr = plan.sample_rate
    n = plan.n_samples
    role_gain = dict(role_gain or {})
    kept = [pe for pe in placed if pe.placement.role not in drop_roles]
    stems: dict[str, np.ndarray] = {}
    for pe in kept:
        role = pe.placement.role
        stem = stems.setdefault(role, np.zeros(n, dtype=np.float32))
        stem[pe.placement.start : pe.placement.end] += pe.audio * np.float32(role_gain.get(role, 1.0))
    mix = np.zeros(n, dtype=np.float32)
    for role in ROLES:
        if role in stems:
            mix += stems[role]
    ceiling = plan.params.peak_limit
    peak_before = float(np.max(np.abs(mix))) if n else 0.0
    if peak_mode == "limit":
        gain = limiter_gain(mix, ceiling, sr)
    elif peak_mode == "scale":
        gain = np.full(n, min(1.0, ceiling / peak_before) if peak_before > 0 else 1.0, dtype=np.float32)
    else:
        raise ValueError(f"peak_mode expected 'limit' or 'scale', found {peak_mode!r}")
    mix *= gain
    for role in stems:
        stems[role] *= gain

    rows: list[tuple[Event, int, np.ndarray, PlacedEvent]] = []
    for pe in kept:
        p = pe.placement
        audio = pe.audio * np.float32(role_gain.get(p.role, 1.0)) * gain[p.start : p.end]
        extent = active_extent(audio, sr)
        if extent is None:
            continue
        s, e = extent
        level = rms(audio[s:e])
        start_s = math.floor((p.start + s) * 1000 / sr + 1e-9) / 1000  # ms grid, covering the audio
        end_s = math.ceil((p.start + e) * 1000 / sr - 1e-9) / 1000
        event = _event_for(pe, start_s, end_s, level, plan.params.speech_rms)
        rows.append((event, p.start, audio, pe))
    rows.sort(key=lambda r: (r[0].start_s, ROLES.index(r[3].placement.role), r[0].end_s))
    events = tuple(r[0] for r in rows)

    speech_spans = [(round(ev.start_s * sr), round(ev.end_s * sr)) for ev in events if ev.type == "speech"]
    snr_db = measure_snr_db(stems, speech_spans)
    overlap_s = 0.0
    ordered = sorted(speech_spans)
    for i, (s1, e1) in enumerate(ordered):
        for s2, e2 in ordered[i + 1 :]:
            overlap_s += max(0, min(e1, e2) - max(s1, s2)) / sr
    languages = tuple(sorted({ev.language for ev in events if ev.type == "speech" and ev.language}))
    speakers: dict[str, dict[str, Any]] = {}
    for ev, _, _, pe in rows:
        if ev.speaker_id and ev.speaker_id not in speakers:
            speakers[ev.speaker_id] = {
                "speaker_id": ev.speaker_id,
                "source_speaker": pe.item.speaker_id,
                "human": pe.item.human,
                "kinds": [],
            }
        if ev.speaker_id and ev.type not in speakers[ev.speaker_id]["kinds"]:
            speakers[ev.speaker_id]["kinds"].append(ev.type)
    n_by_type: dict[str, int] = {}
    for ev in events:
        n_by_type[ev.type] = n_by_type.get(ev.type, 0) + 1
    sources: dict[str, SourceItem] = {pe.item.item_id: pe.item for _, _, _, pe in rows}
    limited = float(np.min(gain)) if n else 1.0
    meta: dict[str, Any] = {
        "recipe": plan.recipe,
        "variant": variant,
        "seed": plan.seed,
        "index": plan.index,
        "base_clip_id": plan.clip_id,
        "sample_rate": sr,
        "background": plan.background if plan.background not in drop_roles else "silence",
        "overlap": overlap_s > 0,
        "overlap_s": _r(overlap_s),
        "snr_db": None if snr_db is None else _r(snr_db, 2),
        "snr_method": "speech power vs music+ambience+sound-event power over the speech spans",
        "n_events": len(events),
        "n_events_by_type": n_by_type,
        "num_speech_speakers": len({ev.speaker_id for ev in events if ev.type == "speech"}),
        "speakers": list(speakers.values()),
        "target_rms": {
            role: _r(plan.params.target_rms(role) * role_gain.get(role, 1.0), 4)
            for role in ROLES
            if any(pe.placement.role == role for pe in kept)
        },
        "peak": _r(float(np.max(np.abs(mix))) if n else 0.0, 4),
        "peak_mode": peak_mode,
        "peak_gain_db": _r(to_db(limited), 2) if limited > 0 else None,
        "pool_sha256": plan.pool_sha256,
        "sources": [
            {"item_id": it.item_id, "package": it.package, "licence": it.licence, "origin": it.origin}
            for it in sorted(sources.values(), key=lambda it: it.item_id)
        ],
    }
    meta.update(dict(extra_meta or {}))
    cid = clip_id or plan.clip_id
    key = AnswerKey(
        clip_id=cid,
        duration_s=_r(n / sr, 4),
        events=events,
        num_speakers=len(speakers),
        languages=languages,
        meta=meta,
    )
    return RenderedClip(
        clip_id=cid,
        plan=plan,
        audio=mix,
        stems=stems,
        event_audio=tuple((r[1], r[2]) for r in rows),
        key=key,
        sources=tuple(sources.values()),
        sample_rate=sr,
        variant=variant,
        measures={"snr_db": snr_db, "overlap_s": overlap_s, "peak_before": peak_before},
    )


def render_clip(plan: ClipPlan, pool: Pool) -> RenderedClip:
    """Render a soundscape plan: mono float32 at 16 kHz, stems, per-event audio and the key.

    Raises:
        SourceError: a planned source is missing or unreadable (names the item).
    """
    return mix_events(plan, place_events(plan, pool))


def write_clip(rendered: RenderedClip, out_dir: str | Path, bench: str | None = None) -> Clip:
    """Write ``<clip_id>.wav`` (PCM_16) and ``<clip_id>.json`` (the key); return the Clip record.

    Both files are byte-identical for identical renderings.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wav = write_pcm16(out_dir / f"{rendered.clip_id}.wav", rendered.audio, rendered.sample_rate)
    body = rendered.key.to_json()
    key_path = out_dir / f"{rendered.clip_id}.json"
    key_path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    meta = rendered.key.meta
    return Clip(
        clip_id=rendered.clip_id,
        bench=bench or rendered.plan.recipe,
        audio_path=str(wav),
        audio_sha256=file_sha256(wav),
        duration_s=rendered.key.duration_s,
        sample_rate=rendered.sample_rate,
        channels=1,
        languages=rendered.key.languages,
        num_speakers=rendered.key.num_speakers,
        snr_db=meta.get("snr_db"),
        overlap=bool(meta.get("overlap")),
        recipe=rendered.plan.recipe,
        meta={
            "answer_key_path": str(key_path),
            "answer_key_sha256": rendered.key.sha256,
            "variant": rendered.variant,
            "background": meta.get("background"),
            "n_events": meta.get("n_events"),
            "seed": rendered.plan.seed,
            "index": rendered.plan.index,
            "base_clip_id": rendered.plan.clip_id,
        },
    )

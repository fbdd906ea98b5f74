"""``fusion/rules``: expert payloads → UAAP events, by explicit, configurable rules.

Payloads are recognised by their ``schema``: ``segments/v1`` (VAD), ``segmenter/v1``
(speech/singing/music spans), ``tags/v1`` (AudioSet tags over time), ``transcript/v1`` (ASR),
``turns/v1`` (diarization), ``prosody/v1`` and ``events/v1`` (the fake expert, passed through).

* **speech**: ASR segments that pass the decoder-confidence checks, lie within a VAD or
  segmenter speech span and, when a tagger ran, where it hears speech; the speaker is the
  diarized turn with most overlap; consecutive segments of one speaker and language are
  joined into turns; ``speaking_style`` / ``speaking_rate`` come from prosody.
* **vocal_burst**: the tagger's vocalisation classes (laughter, cough, sigh, ...), each on its
  own score with hysteresis, merged over consecutive frames.
* **sound_event**: every other AudioSet label, merged per family into spans, captioned with a
  sentence ("a dog barking"); generic parents only where no specific family is heard.
* **music**: segmenter music/singing spans (confirmed by the tagger) and tagger music spans,
  captioned from instrument, genre and mood labels.

Nothing is emitted where no expert heard anything: every event needs a span of evidence.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from uaap.records import Event

from uaap.models.fusion.captions import (
    BURST_LABELS,
    IGNORED_LABELS,
    MUSIC_LABELS,
    SINGING_LABELS,
    SOUND_LABELS,
    SPEECH_LABELS,
    interjection_burst,
    music_caption,
)
from uaap.models.prosody.describer import DEFAULT_BANDS, combine_measures, describe

__all__ = ["RulesConfig", "FusionConfigError", "fuse", "NAME", "VERSION"]

NAME = "fusion/rules"
VERSION = "1"  # bump when the rules change what they emit

Span = tuple[float, float]


class FusionConfigError(ValueError):
    """A fusion parameter that does not exist or has the wrong type."""


@dataclass(frozen=True)
class RulesConfig:
    """Every threshold of the rules (the ``fusion.params`` of a system YAML)."""

    # speech
    asr_min_avg_logprob: float = -2.0  # a floor: the tagger/VAD gates do the real work
    asr_max_no_speech_prob: float = 0.8
    asr_max_compression_ratio: float = 2.6
    speech_min_vad_overlap: float = 0.3  # fraction of an ASR segment inside VAD/segmenter speech
    speech_tagger_min_score: float = 0.3  # max speech-label score over the segment's frames
    speech_merge_gap_s: float = 1.0
    speech_max_turn_s: float = 60.0
    speech_min_duration_s: float = 0.2
    default_speaker: str = "speaker_1"
    speech_emotion: str | None = None  # no emotion model offline: leave empty unless set
    speaking_style_from_prosody: bool = True
    interjections_as_bursts: bool = True  # "Ha ha ha!", "Ow!" alone in a short segment → vocal burst
    interjection_max_s: float = 3.0
    # vocal bursts
    burst_on: float = 0.5
    burst_off: float = 0.35
    burst_min_duration_s: float = 0.2
    burst_merge_gap_s: float = 0.5
    burst_emotions: bool = True
    burst_exclude: tuple[str, ...] = ("Breathing",)
    # sound events
    sound_on: float = 0.5
    sound_off: float = 0.35
    sound_generic_on: float = 0.6
    sound_min_duration_s: float = 0.4
    sound_merge_gap_s: float = 0.5
    sound_caption_min_score: float = 0.2
    sound_exclude: tuple[str, ...] = ()
    generic_overlap_suppress: float = 0.3  # drop a generic span this much covered by a specific one
    # music
    music_on: float = 0.5
    music_off: float = 0.3
    music_tagger_min_score: float = 0.3
    music_min_duration_s: float = 1.0
    music_merge_gap_s: float = 2.0
    music_label_min_score: float = 0.15  # on the 80th percentile of a label's score over the span
    singing_min_fraction: float = 0.3
    music_bridge_speech_fraction: float = 0.6  # join music spans across a gap mostly filled by speech
    music_bridge_max_s: float = 20.0
    # loudness of sound events and music (mean dBFS over the span): upper bounds
    loudness_bands_dbfs: tuple[tuple[float | None, str], ...] = (
        (-45.0, "very_quiet"), (-33.0, "quiet"), (-20.0, "moderate"), (-10.0, "loud"), (None, "very_loud"),
    )
    # edges of tagger spans, sharpened with the 100 ms level envelope
    edge_refine: bool = True
    edge_drop_db: float = 20.0  # an edge block must be within this of the span's loudest block
    edge_floor_margin_db: float = 6.0  # ... and this far above the clip's noise floor
    overlap_suppress: float = 0.5  # drop a burst/sound mostly inside a more confident one of its type
    # caps
    max_speech_events: int = 40
    max_vocal_bursts: int = 10
    max_sound_events: int = 12
    max_music_events: int = 4
    time_decimals: int = 2

    @classmethod
    def from_params(cls, params: Mapping[str, Any] | None) -> "RulesConfig":
        """Build from a mapping; unknown keys or wrong types raise :class:`FusionConfigError`."""
        params = dict(params or {})
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise FusionConfigError(f"fusion/rules: unknown parameter(s) {unknown}; known: {sorted(known)}")
        values = {}
        defaults = cls()
        for key, value in params.items():
            default = getattr(defaults, key)
            if isinstance(default, tuple):
                if not isinstance(value, (list, tuple)):
                    raise FusionConfigError(f"fusion/rules: {key!r} expected a list, found {value!r}")
                value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise FusionConfigError(f"fusion/rules: {key!r} expected true/false, found {value!r}")
            elif isinstance(default, int):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) != int(value):
                    raise FusionConfigError(f"fusion/rules: {key!r} expected a whole number, found {value!r}")
                value = int(value)
            elif isinstance(default, float):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise FusionConfigError(f"fusion/rules: {key!r} expected a number, found {value!r}")
                value = float(value)
            elif isinstance(default, str) and not isinstance(value, str):
                raise FusionConfigError(f"fusion/rules: {key!r} expected text, found {value!r}")
            values[key] = value
        return cls(**values)

    def to_params(self) -> dict[str, Any]:
        return {k: (list(map(list, v)) if k == "loudness_bands_dbfs" else list(v) if isinstance(v, tuple) else v)
                for k, v in dataclasses.asdict(self).items()}


# --------------------------------------------------------------------------------------------
# small interval helpers
# --------------------------------------------------------------------------------------------
def _overlap(a: Span, b: Span) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def _merge_spans(spans: Iterable[Span], gap_s: float) -> list[Span]:
    out: list[list[float]] = []
    for start, end in sorted(spans):
        if out and start - out[-1][1] <= gap_s:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _spans_of(payload: Mapping[str, Any], key: str) -> list[Span]:
    return [(float(s["start_s"]), float(s["end_s"])) for s in payload.get(key, []) if s["end_s"] > s["start_s"]]


@dataclass
class _Tags:
    """A tagger payload as per-frame score dicts with their core times."""

    frames: list[Mapping[str, float]]
    starts: list[float]
    ends: list[float]
    cores: list[Span]  # the central half of each window (boundaries of a frame run)
    rms_db: list[float]
    hop_s: float
    duration_s: float
    envelope_db: list[float] = field(default_factory=list)
    envelope_hop_s: float = 0.1

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> "_Tags":
        frames = payload.get("frames", [])
        hop = float(payload.get("hop_s", 0.48))
        window = float(payload.get("window_s", 0.96))
        duration = float(payload.get("duration_s", frames[-1]["end_s"] if frames else 0.0))
        margin = max(0.0, (window - hop) / 2)
        starts = [float(f["start_s"]) for f in frames]
        ends = [float(f["end_s"]) for f in frames]
        cores = []
        for i, (s, e) in enumerate(zip(starts, ends)):
            lo = 0.0 if i == 0 else s + margin
            hi = duration if i == len(frames) - 1 else min(e, s + window) - margin
            cores.append((min(lo, duration), min(max(hi, lo), duration)))
        return cls([f.get("scores", {}) for f in frames], starts, ends, cores,
                   [float(f.get("rms_db", -200.0)) for f in frames], hop, duration,
                   [float(x) for x in payload.get("envelope_db", [])], float(payload.get("envelope_hop_s", 0.1)))

    def refine(self, span: Span, cfg: "RulesConfig") -> Span:
        """Move each edge (by at most one hop) to where the level rises above the span's floor."""
        env, step = self.envelope_db, self.envelope_hop_s
        if not cfg.edge_refine or not env or step <= 0:
            return span
        inner = env[int(span[0] / step): max(int(span[0] / step) + 1, int(math.ceil(span[1] / step)))]
        if not inner:
            return span
        floor = sorted(env)[len(env) // 10]
        threshold = max(max(inner) - cfg.edge_drop_db, floor + cfg.edge_floor_margin_db)
        shift = self.hop_s

        def loud(lo_s: float, hi_s: float) -> list[int]:
            lo, hi = max(0, int(lo_s / step)), min(len(env) - 1, int(hi_s / step))
            return [i for i in range(lo, hi + 1) if env[i] >= threshold]

        starts, ends = loud(span[0] - shift, span[0] + shift), loud(span[1] - shift, span[1] + shift)
        start = starts[0] * step if starts else span[0]
        end = min((ends[-1] + 1) * step, self.duration_s) if ends else span[1]
        return (start, end) if end - start >= step else span

    def group_scores(self, labels: Iterable[str]) -> list[float]:
        labels = tuple(labels)
        return [max((scores.get(label, 0.0) for label in labels), default=0.0) for scores in self.frames]

    def frames_in(self, span: Span) -> list[int]:
        """Frames whose core overlaps the span (at least the nearest one)."""
        hit = [i for i, core in enumerate(self.cores) if _overlap(core, span) > 0]
        if not hit and self.cores:
            centre = (span[0] + span[1]) / 2
            hit = [min(range(len(self.cores)), key=lambda i: abs((self.cores[i][0] + self.cores[i][1]) / 2 - centre))]
        return hit

    def runs(self, scores: Sequence[float], on: float, off: float) -> list[tuple[int, int]]:
        """Hysteresis: frame runs that reach ``on`` and stay above ``off``."""
        runs: list[tuple[int, int]] = []
        start, peak = None, 0.0
        for i, score in enumerate(scores):
            if score >= off:
                if start is None:
                    start, peak = i, score
                else:
                    peak = max(peak, score)
                continue
            if start is not None and peak >= on:
                runs.append((start, i - 1))
            start = None
        if start is not None and peak >= on:
            runs.append((start, len(scores) - 1))
        return runs

    def run_span(self, run: tuple[int, int]) -> Span:
        return self.cores[run[0]][0], self.cores[run[1]][1]

    def mean_scores(self, frame_ids: Sequence[int], labels: Iterable[str] | None = None) -> dict[str, float]:
        if not frame_ids:
            return {}
        totals: dict[str, float] = {}
        for i in frame_ids:
            for label, score in self.frames[i].items():
                if labels is None or label in labels:
                    totals[label] = totals.get(label, 0.0) + score
        return {label: total / len(frame_ids) for label, total in totals.items()}

    def percentile_scores(self, frame_ids: Sequence[int], labels: Iterable[str], q: float = 80.0) -> dict[str, float]:
        """Per label, the ``q``-th percentile of its score over the frames (absent = 0)."""
        labels = set(labels)
        if not frame_ids:
            return {}
        values: dict[str, list[float]] = {}
        for i in frame_ids:
            for label, score in self.frames[i].items():
                if label in labels:
                    values.setdefault(label, []).append(score)
        out = {}
        for label, found in values.items():
            ranked = sorted(found + [0.0] * (len(frame_ids) - len(found)))
            out[label] = ranked[min(len(ranked) - 1, int(math.ceil(q / 100 * len(ranked))) - 1)]
        return out

    def level_dbfs(self, frame_ids: Sequence[int]) -> float | None:
        powers = [10 ** (self.rms_db[i] / 10) for i in frame_ids if self.rms_db[i] > -150]
        return 10 * math.log10(sum(powers) / len(powers)) if powers else None


def _loudness(level: float | None, config: RulesConfig) -> str | None:
    if level is None:
        return None
    for bound, word in config.loudness_bands_dbfs:
        if bound is None or level < bound:
            return word
    return config.loudness_bands_dbfs[-1][1]


# --------------------------------------------------------------------------------------------
# the rules
# --------------------------------------------------------------------------------------------
def _by_schema(outputs: Mapping[str, Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    found: dict[str, list[Mapping[str, Any]]] = {}
    for _name, payload in outputs.items():
        if isinstance(payload, Mapping) and "schema" in payload:
            found.setdefault(str(payload["schema"]), []).append(payload)
    return found


def fuse(outputs: Mapping[str, Mapping[str, Any]], config: RulesConfig | Mapping[str, Any] | None = None) -> list[Event]:
    """UAAP events of one clip from its experts' payloads.

    Args:
        outputs: expert name → payload (``ExpertOutput.payload``) of the experts that succeeded.
        config: a :class:`RulesConfig` or the ``fusion.params`` mapping of a system.

    Returns:
        Events sorted by start time; empty when no expert heard anything.
    """
    cfg = config if isinstance(config, RulesConfig) else RulesConfig.from_params(config)
    payloads = _by_schema(outputs)
    tags = _Tags.from_payload(payloads["tags/v1"][0]) if payloads.get("tags/v1") else None
    events: list[Event] = []
    for payload in payloads.get("events/v1", []):
        events.extend(_passthrough(payload))
    from_asr = _speech_events(payloads, tags, cfg)
    speech = [e for e in from_asr if e.type == "speech"]
    bursts = [e for e in from_asr if e.type == "vocal_burst"]
    events.extend(speech)
    if tags is not None:
        bursts.extend(_burst_events(tags, speech, cfg))
        events.extend(_sound_events(tags, cfg))
    events.extend(_strongest(bursts, cfg.overlap_suppress, cfg.max_vocal_bursts))
    events.extend(_music_events(payloads, tags, cfg))
    d = cfg.time_decimals
    rounded = []
    for event in events:
        start, end = round(event.start_s, d), round(event.end_s, d)
        if end > start:
            rounded.append(dataclasses.replace(event, start_s=start, end_s=end))
    return sorted(rounded, key=lambda e: (e.start_s, e.end_s, e.type))


def _passthrough(payload: Mapping[str, Any]) -> list[Event]:
    out = []
    for raw in payload.get("events", []):
        fields = {k: v for k, v in raw.items() if k not in ("type", "start_time", "end_time")}
        known = {f.name for f in dataclasses.fields(Event)}
        extras = {k: v for k, v in fields.items() if k not in known}
        texts = {k: v for k, v in fields.items() if k in known and k != "extras"}
        out.append(Event(type=raw["type"], start_s=float(raw["start_time"]), end_s=float(raw["end_time"]),
                         extras=extras, **texts))
    return out


# --- speech --------------------------------------------------------------------------------
def _speech_events(payloads: Mapping[str, list[Mapping[str, Any]]], tags: _Tags | None,
                   cfg: RulesConfig) -> list[Event]:
    transcripts = payloads.get("transcript/v1", [])
    if not transcripts:
        return []
    evidence: list[Span] = []
    for payload in payloads.get("segments/v1", []):
        evidence.extend(_spans_of(payload, "segments"))
    for payload in payloads.get("segmenter/v1", []):
        evidence.extend(_spans_of(payload, "speech"))
    evidence = _merge_spans(evidence, 0.0)
    speech_scores = tags.group_scores(SPEECH_LABELS) if tags else None

    kept = []
    for seg in transcripts[0].get("segments", []):
        span = (float(seg["start_s"]), float(seg["end_s"]))
        length = span[1] - span[0]
        text = str(seg.get("text", "")).strip()
        if length <= 0 or not any(ch.isalnum() for ch in text):
            continue
        if seg.get("avg_logprob", 0.0) < cfg.asr_min_avg_logprob:
            continue
        if seg.get("no_speech_prob", 0.0) > cfg.asr_max_no_speech_prob:
            continue
        if seg.get("compression_ratio", 0.0) > cfg.asr_max_compression_ratio:
            continue
        if evidence and sum(_overlap(span, e) for e in evidence) < cfg.speech_min_vad_overlap * length:
            continue
        if speech_scores is not None:
            frames = tags.frames_in(span)
            if max((speech_scores[i] for i in frames), default=0.0) < cfg.speech_tagger_min_score:
                continue
        kept.append({**seg, "text": text})

    turns_payload = payloads.get("turns/v1", [])
    diar_turns = [(float(t["start_s"]), float(t["end_s"]), str(t["speaker"]))
                  for t in (turns_payload[0].get("turns", []) if turns_payload else [])]
    for seg in kept:
        seg["speaker"] = _speaker_for((seg["start_s"], seg["end_s"]), diar_turns, cfg.default_speaker)
    bursts: list[Event] = []
    if cfg.interjections_as_bursts:
        words_only = []
        for seg in kept:
            burst = interjection_burst(seg["text"]) if seg["end_s"] - seg["start_s"] <= cfg.interjection_max_s else None
            if burst is None:
                words_only.append(seg)
                continue
            bursts.append(Event(
                type="vocal_burst", start_s=seg["start_s"], end_s=seg["end_s"], vocal_burst=burst.name,
                description=burst.description, emotion=burst.emotion if cfg.burst_emotions else None,
                speaker_id=seg["speaker"],
                extras={"confidence": round(math.exp(min(0.0, seg.get("avg_logprob", 0.0))), 3),
                        "label": f"asr:{seg['text']}"},
            ))
        kept = words_only

    prosody_units = payloads["prosody/v1"][0].get("units", []) if payloads.get("prosody/v1") else []
    bands = payloads["prosody/v1"][0].get("bands", DEFAULT_BANDS) if payloads.get("prosody/v1") else DEFAULT_BANDS

    groups: list[list[dict[str, Any]]] = []
    for seg in sorted(kept, key=lambda s: s["start_s"]):
        if groups:
            last = groups[-1]
            same = last[-1]["speaker"] == seg["speaker"] and last[-1]["language"] == seg["language"]
            close = seg["start_s"] - last[-1]["end_s"] <= cfg.speech_merge_gap_s
            short = seg["end_s"] - last[0]["start_s"] <= cfg.speech_max_turn_s
            if same and close and short:
                last.append(seg)
                continue
        groups.append([seg])

    events = []
    for group in groups:
        start, end = group[0]["start_s"], max(s["end_s"] for s in group)
        if end - start < cfg.speech_min_duration_s:
            continue
        language = group[0]["language"]
        style, rate = None, None
        units = [u for u in prosody_units if _overlap((u["start_s"], u["end_s"]), (start, end)) > 0]
        if units and cfg.speaking_style_from_prosody:
            words = describe(combine_measures(units), language, bands)
            style, rate = words["description"], words["speaking_rate"]
        confidence = sum(math.exp(min(0.0, s.get("avg_logprob", 0.0))) for s in group) / len(group)
        events.append(Event(
            type="speech", start_s=start, end_s=end,
            transcription=" ".join(s["text"] for s in group),
            speaker_id=group[0]["speaker"], language=language,
            emotion=cfg.speech_emotion, speaking_style=style, speaking_rate=rate,
            extras={"confidence": round(confidence, 3),
                    "language_probability": round(min(s.get("language_probability", 1.0) for s in group), 3)},
        ))
    events.sort(key=lambda e: e.extras["confidence"], reverse=True)
    return events[: cfg.max_speech_events] + bursts


def _speaker_for(span: Span, turns: Sequence[tuple[float, float, str]], default: str) -> str:
    if not turns:
        return default
    best = max(turns, key=lambda t: _overlap(span, (t[0], t[1])))
    if _overlap(span, (best[0], best[1])) > 0:
        return best[2]
    centre = (span[0] + span[1]) / 2
    return min(turns, key=lambda t: min(abs(t[0] - centre), abs(t[1] - centre)))[2]


# --- vocal bursts --------------------------------------------------------------------------------
def _burst_events(tags: _Tags, speech: Sequence[Event], cfg: RulesConfig) -> list[Event]:
    families: dict[str, list[str]] = {}
    for label, info in BURST_LABELS.items():
        if label not in cfg.burst_exclude:
            families.setdefault(info.family, []).append(label)
    speech_turns = [(e.start_s, e.end_s, e.speaker_id or cfg.default_speaker) for e in speech]
    events = []
    for family, labels in families.items():
        scores = tags.group_scores(labels)
        runs = tags.runs(scores, cfg.burst_on, cfg.burst_off)
        for span, frame_ids, peak in _refined_runs(tags, runs, scores, cfg, cfg.burst_merge_gap_s):
            if span[1] - span[0] < cfg.burst_min_duration_s:
                continue
            means = tags.mean_scores(frame_ids, labels)
            best = max(means, key=means.__getitem__) if means else labels[0]
            info = BURST_LABELS[best]
            events.append(Event(
                type="vocal_burst", start_s=span[0], end_s=span[1], vocal_burst=info.name,
                description=info.description, emotion=info.emotion if cfg.burst_emotions else None,
                speaker_id=_speaker_for(span, speech_turns, cfg.default_speaker),
                extras={"confidence": round(peak, 3), "label": best},
            ))
    return _strongest(events, cfg.overlap_suppress, cfg.max_vocal_bursts)


def _strongest(events: Sequence[Event], overlap: float, limit: int) -> list[Event]:
    """Most confident first; drop events mostly inside a more confident kept one; keep ``limit``."""
    kept: list[Event] = []
    for event in sorted(events, key=lambda e: (-e.extras["confidence"], e.start_s)):
        length = event.end_s - event.start_s
        inside = sum(_overlap((event.start_s, event.end_s), (k.start_s, k.end_s)) for k in kept)
        if length > 0 and inside >= overlap * length:
            continue
        kept.append(event)
        if len(kept) == limit:
            break
    return kept


def _merged_runs(tags: _Tags, runs: Sequence[tuple[int, int]], scores: Sequence[float],
                 gap_s: float) -> list[tuple[Span, list[int], float]]:
    """Join runs closer than ``gap_s``: (span, frame ids, peak score)."""
    out: list[tuple[Span, list[int], float]] = []
    for run in runs:
        span = tags.run_span(run)
        ids = list(range(run[0], run[1] + 1))
        peak = max(scores[i] for i in ids)
        if out and span[0] - out[-1][0][1] <= gap_s:
            prev_span, prev_ids, prev_peak = out[-1]
            out[-1] = ((prev_span[0], max(prev_span[1], span[1])), prev_ids + ids, max(prev_peak, peak))
        else:
            out.append((span, ids, peak))
    return out


def _refined_runs(tags: _Tags, runs: Sequence[tuple[int, int]], scores: Sequence[float], cfg: RulesConfig,
                  gap_s: float) -> list[tuple[Span, list[int], float]]:
    """Merged runs with refined edges; runs that touch after refinement are joined again."""
    out: list[tuple[Span, list[int], float]] = []
    for span, ids, peak in _merged_runs(tags, runs, scores, gap_s):
        span = tags.refine(span, cfg)
        if out and span[0] - out[-1][0][1] <= gap_s:
            prev_span, prev_ids, prev_peak = out[-1]
            out[-1] = ((prev_span[0], max(prev_span[1], span[1])), prev_ids + ids, max(prev_peak, peak))
        else:
            out.append((span, ids, peak))
    return out


# --- sound events -----------------------------------------------------------------------------
def _sound_events(tags: _Tags, cfg: RulesConfig) -> list[Event]:
    families: dict[str, list[str]] = {}
    for label, info in SOUND_LABELS.items():
        if label in cfg.sound_exclude or label in IGNORED_LABELS:
            continue
        families.setdefault(info.family, []).append(label)
    found: list[tuple[Span, str, str, bool, float, list[int]]] = []  # span, caption, group, generic, peak, ids
    for family, labels in families.items():
        generic_family = all(SOUND_LABELS[label].generic for label in labels)
        scores = tags.group_scores(labels)
        on = cfg.sound_generic_on if generic_family else cfg.sound_on
        runs = tags.runs(scores, on, cfg.sound_off)
        for span, frame_ids, peak in _refined_runs(tags, runs, scores, cfg, cfg.sound_merge_gap_s):
            if span[1] - span[0] < cfg.sound_min_duration_s:
                continue
            means = tags.mean_scores(frame_ids, labels)
            specific = {l: s for l, s in means.items() if not SOUND_LABELS[l].generic and s >= cfg.sound_caption_min_score}
            pool = specific or means
            best = max(pool, key=pool.__getitem__)
            info = SOUND_LABELS[best]
            found.append((span, best, info.group, info.generic, peak, frame_ids))
    events = []
    for span, label, group, generic, peak, frame_ids in found:
        caption = SOUND_LABELS[label].caption
        if generic:
            covered = sum(_overlap(span, other[0]) for other in found if other[2] == group and not other[3])
            if covered >= cfg.generic_overlap_suppress * (span[1] - span[0]):
                continue
        events.append(Event(
            type="sound_event", start_s=span[0], end_s=span[1], description=caption,
            loudness=_loudness(tags.level_dbfs(frame_ids), cfg),
            extras={"confidence": round(peak, 3), "label": label},
        ))
    return _strongest(events, cfg.overlap_suppress, cfg.max_sound_events)


def _speech_evidence(payloads: Mapping[str, list[Mapping[str, Any]]]) -> list[Span]:
    spans: list[Span] = []
    for payload in payloads.get("segments/v1", []):
        spans.extend(_spans_of(payload, "segments"))
    for payload in payloads.get("segmenter/v1", []):
        spans.extend(_spans_of(payload, "speech"))
    for payload in payloads.get("transcript/v1", []):
        spans.extend(_spans_of(payload, "segments"))
    return _merge_spans(spans, 0.0)


def _bridge_music(spans: list[Span], speech: list[Span], cfg: RulesConfig) -> list[Span]:
    """Join music spans whose gap is mostly speech: a bed under a voice is masked, not stopped."""
    out: list[Span] = []
    for span in spans:
        if out:
            gap = (out[-1][1], span[0])
            width = gap[1] - gap[0]
            covered = sum(_overlap(gap, s) for s in speech)
            if 0 < width <= cfg.music_bridge_max_s and covered >= cfg.music_bridge_speech_fraction * width:
                out[-1] = (out[-1][0], max(out[-1][1], span[1]))
                continue
        out.append(span)
    return out


# --- music --------------------------------------------------------------------------------------
def _music_events(payloads: Mapping[str, list[Mapping[str, Any]]], tags: _Tags | None,
                  cfg: RulesConfig) -> list[Event]:
    segmenter = payloads["segmenter/v1"][0] if payloads.get("segmenter/v1") else None
    music_scores = tags.group_scores(MUSIC_LABELS) if tags else None
    spans: list[Span] = []
    if segmenter is not None:
        for span in _merge_spans(_spans_of(segmenter, "music") + _spans_of(segmenter, "singing"), cfg.music_merge_gap_s):
            if music_scores is not None:
                frames = tags.frames_in(span)
                if max((music_scores[i] for i in frames), default=0.0) < cfg.music_tagger_min_score:
                    continue
            spans.append(span)
    if tags is not None:  # music the segmenter missed (its spans have the sharper edges)
        for run in tags.runs(music_scores, cfg.music_on, cfg.music_off):
            span = tags.refine(tags.run_span(run), cfg)
            if not any(_overlap(span, kept) > 0 for kept in spans):
                spans.append(span)
    singing_spans = _spans_of(segmenter, "singing") if segmenter is not None else []
    singing_scores = tags.group_scores(SINGING_LABELS) if tags else None
    events = []
    for span in _bridge_music(_merge_spans(spans, cfg.music_merge_gap_s), _speech_evidence(payloads), cfg):
        length = span[1] - span[0]
        if length < cfg.music_min_duration_s:
            continue
        frame_ids = tags.frames_in(span) if tags else []
        labels = tags.percentile_scores(frame_ids, MUSIC_LABELS) if tags else {}
        segmenter_sung = sum(_overlap(span, s) for s in singing_spans) >= cfg.singing_min_fraction * length
        if singing_scores is not None and frame_ids:  # the tagger decides; the segmenter mistakes guitars for voices
            active = sum(1 for i in frame_ids if singing_scores[i] >= cfg.music_tagger_min_score)
            heard = max(singing_scores[i] for i in frame_ids)
            sung = active >= cfg.singing_min_fraction * len(frame_ids) or (segmenter_sung and heard >= 0.2)
        else:
            sung = segmenter_sung
        peak = max((music_scores[i] for i in frame_ids), default=0.0) if music_scores else 0.5
        events.append(Event(
            type="music", start_s=span[0], end_s=span[1],
            description=music_caption(labels, sung, min_score=cfg.music_label_min_score),
            loudness=_loudness(tags.level_dbfs(frame_ids), cfg) if tags else None,
            extras={"confidence": round(peak, 3)},
        ))
    events.sort(key=lambda e: e.extras["confidence"], reverse=True)
    return events[: cfg.max_music_events]

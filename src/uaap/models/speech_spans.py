"""Where speech is: the union of VAD spans, kept where the tagger (if any) hears speech.

Shared by the experts that work on speech (ASR, diarization) and by fusion, so that all of
them agree on what counts as speech. Each VAD payload contributes its ``segments``
(``segments/v1`` and ``segmenter/v1`` both have them).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from uaap.models.fusion.captions import SPEECH_LABELS

__all__ = ["union_spans", "tagger_speech_score", "speech_spans", "as_list"]

Span = tuple[float, float]


def as_list(payloads: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None) -> list[Mapping[str, Any]]:
    """One payload or several → a list."""
    if payloads is None:
        return []
    if isinstance(payloads, Mapping):
        return [payloads]
    return list(payloads)


def union_spans(spans: Iterable[Span], gap_s: float = 0.0) -> list[Span]:
    """Sorted union; spans closer than ``gap_s`` are joined.

    >>> union_spans([(3.0, 4.0), (0.0, 1.0), (0.5, 2.0)])
    [(0.0, 2.0), (3.0, 4.0)]
    """
    out: list[list[float]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start - out[-1][1] <= gap_s:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(round(s, 3), round(e, 3)) for s, e in out]


def tagger_speech_score(tags: Mapping[str, Any], span: Span) -> float:
    """Highest speech-label score over the tagger frames whose centre half overlaps ``span``."""
    frames = tags.get("frames", [])
    hop = float(tags.get("hop_s", 0.48))
    window = float(tags.get("window_s", 0.96))
    margin = max(0.0, (window - hop) / 2)
    best, nearest, nearest_d = 0.0, 0.0, float("inf")
    hit = False
    for i, frame in enumerate(frames):
        lo = 0.0 if i == 0 else float(frame["start_s"]) + margin
        hi = float(frame["start_s"]) + window - margin if i < len(frames) - 1 else float(frame["end_s"]) + window
        score = max((frame["scores"].get(label, 0.0) for label in SPEECH_LABELS), default=0.0)
        if min(hi, span[1]) > max(lo, span[0]):
            best, hit = max(best, score), True
        distance = abs((lo + hi) / 2 - (span[0] + span[1]) / 2)
        if distance < nearest_d:
            nearest, nearest_d = score, distance
    return best if hit else nearest


def speech_spans(vad_payloads: Mapping[str, Any] | Sequence[Mapping[str, Any]],
                 tags: Mapping[str, Any] | None = None, min_tagger_score: float = 0.0) -> list[Span]:
    """Union of every VAD's ``segments``; with a tagger, only spans where it hears speech.

    Each source span is checked on its own before the union, so one VAD's false "speech"
    on a barking dog cannot ride along with a real neighbouring span.
    """
    spans: list[Span] = []
    for payload in as_list(vad_payloads):
        for seg in payload.get("segments", []):
            span = (float(seg["start_s"]), float(seg["end_s"]))
            if span[1] <= span[0]:
                continue
            if tags is not None and min_tagger_score > 0 and tagger_speech_score(tags, span) < min_tagger_score:
                continue
            spans.append(span)
    return union_spans(spans)

"""Frozen records that cross every boundary in uaap (stdlib only).

The UAAP event schema has four types (``speech``, ``vocal_burst``, ``sound_event``,
``music``); one :class:`Event` record carries the fields of all four, unused ones are
``None``. Times are seconds from the start of the clip.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = [
    "EVENT_TYPES",
    "SPEECH_FIELDS",
    "TEXT_FIELDS",
    "Event",
    "InvalidEvent",
    "AnswerKey",
    "Prediction",
    "Clip",
    "ExpertOutput",
    "EventMatch",
    "PredOutcome",
    "ClipScore",
    "ClipResult",
    "canonical_json",
    "sha256_text",
]

EVENT_TYPES: tuple[str, ...] = ("speech", "vocal_burst", "sound_event", "music")

#: Optional free-text fields of the UAAP schema, in the order they are written out.
TEXT_FIELDS: tuple[str, ...] = (
    "transcription",
    "speaker_id",
    "language",
    "emotion",
    "speaking_style",
    "age",
    "gender",
    "voice_timbre",
    "accent",
    "speaking_rate",
    "vocal_burst",
    "description",
    "loudness",
)

SPEECH_FIELDS: tuple[str, ...] = (
    "transcription",
    "speaker_id",
    "language",
    "emotion",
    "speaking_style",
    "age",
    "gender",
    "voice_timbre",
    "accent",
    "speaking_rate",
)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the input of every content hash.

    >>> canonical_json({"b": 1, "a": [1.5, None]})
    '{"a":[1.5,null],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    """Hex sha256 of a UTF-8 string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Event:
    """One UAAP event: a typed, timed segment of a clip."""

    type: str
    start_s: float
    end_s: float
    transcription: str | None = None
    speaker_id: str | None = None
    language: str | None = None
    emotion: str | None = None
    speaking_style: str | None = None
    age: str | None = None
    gender: str | None = None
    voice_timbre: str | None = None
    accent: str | None = None
    speaking_rate: str | None = None
    vocal_burst: str | None = None
    description: str | None = None
    loudness: str | None = None
    extras: Mapping[str, Any] = field(default_factory=dict, compare=True)

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_json(self) -> dict[str, Any]:
        """The UAAP JSON object (``start_time``/``end_time``), without ``None`` fields."""
        out: dict[str, Any] = {"type": self.type, "start_time": self.start_s, "end_time": self.end_s}
        for name in TEXT_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        for key, value in self.extras.items():
            out.setdefault(key, value)
        return out


@dataclass(frozen=True)
class InvalidEvent:
    """A predicted event that failed input hygiene: kept, counted, never matched."""

    index: int
    field: str
    expected: str
    found: str
    raw: Mapping[str, Any] | Any = None
    type: str | None = None

    @property
    def message(self) -> str:
        return f"event {self.index}: field '{self.field}' expected {self.expected}, found {self.found}"

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "field": self.field,
            "expected": self.expected,
            "found": self.found,
            "type": self.type,
            "raw": self.raw,
        }


@dataclass(frozen=True)
class AnswerKey:
    """The exact answer key of one clip (SoundScape-Bench wrapper)."""

    clip_id: str
    duration_s: float
    events: tuple[Event, ...]
    num_speakers: int = 0
    languages: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "clip_id": self.clip_id,
            "duration": self.duration_s,
            "num_speakers": self.num_speakers,
            "languages": list(self.languages),
            "events": [e.to_json() for e in self.events],
        }
        for key, value in self.meta.items():
            out.setdefault(key, value)
        return out

    @property
    def sha256(self) -> str:
        return sha256_text(canonical_json(self.to_json()))


@dataclass(frozen=True)
class Prediction:
    """One system's annotation of one clip: valid events plus those that failed hygiene.

    ``missing`` is true when the system produced no file for the clip (it annotated
    nothing); ``file_error`` is set when the file could not be read at all.
    """

    system: str
    clip_id: str
    events: tuple[Event, ...] = ()
    invalid: tuple[InvalidEvent, ...] = ()
    source: str | None = None
    missing: bool = False
    file_error: str | None = None

    @property
    def n_predictions(self) -> int:
        return len(self.events) + len(self.invalid)

    def to_json(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "clip_id": self.clip_id,
            "events": [e.to_json() for e in self.events],
            "invalid": [i.to_json() for i in self.invalid],
            "source": self.source,
            "missing": self.missing,
            "file_error": self.file_error,
        }

    @property
    def sha256(self) -> str:
        """Content hash (events and invalid entries; not the source path)."""
        body = self.to_json()
        body.pop("source")
        body.pop("system")
        return sha256_text(canonical_json(body))


@dataclass(frozen=True)
class Clip:
    """One audio clip of a bench."""

    clip_id: str
    bench: str
    audio_path: str
    audio_sha256: str
    duration_s: float
    sample_rate: int = 0
    channels: int = 0
    languages: tuple[str, ...] = ()
    num_speakers: int = 0
    snr_db: float | None = None
    overlap: bool = False
    recipe: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExpertOutput:
    """What one expert said about one clip, cached by content."""

    clip_sha256: str
    expert: str
    expert_version: str
    config_hash: str
    payload: Mapping[str, Any]
    elapsed_s: float = 0.0
    status: str = "ok"
    error: str | None = None

    @property
    def output_id(self) -> str:
        return f"{self.clip_sha256[:12]}:{self.expert}:{self.config_hash[:8]}"


@dataclass(frozen=True)
class EventMatch:
    """How one answer-key event fared: its partner (if any) and every factor of its score."""

    clip_id: str
    type: str
    key_idx: int
    pred_idx: int | None
    iou: float
    cos: float
    wer_edits: int
    wer_ref_units: int
    word_acc: float | None
    meaning: float
    spk_ok: bool | None
    reward: float
    score: float
    iou_cos: float
    language: str | None = None

    @property
    def matched(self) -> bool:
        return self.pred_idx is not None


@dataclass(frozen=True)
class ClipScore:
    """Sums and counts of one clip (or, added up, of a bench).

    Rates are derived properties; ``+`` adds two of them, so a bench total is
    ``sum(clip_scores, ClipScore.zero())``. ``f1_sum`` and ``recall_sum`` add per-clip
    F1 and recall so that bench F1 and recall are means over clips.
    """

    n_clips: int = 0
    n_key: int = 0
    n_pred: int = 0
    n_invalid: int = 0
    n_halluc: int = 0
    n_matched: int = 0
    score_sum: float = 0.0
    reward_sum: float = 0.0
    iou_cos_sum: float = 0.0
    iou_sum: float = 0.0
    f1_sum: float = 0.0
    recall_sum: float = 0.0
    precision_sum: float = 0.0
    wer_edits: int = 0
    wer_ref_units: int = 0
    n_speech_matched: int = 0
    how_cos_sum: float = 0.0
    n_snd_matched: int = 0
    snd_cos_sum: float = 0.0
    n_spk_ok: int = 0

    @classmethod
    def zero(cls) -> "ClipScore":
        return cls()

    def __add__(self, other: "ClipScore") -> "ClipScore":
        if not isinstance(other, ClipScore):
            return NotImplemented
        return ClipScore(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in dataclasses.fields(self)}
        )

    def __radd__(self, other: Any) -> "ClipScore":
        if other == 0:
            return self
        return self.__add__(other)

    # --- per-clip soft P/R/F1 (meaningful when n_clips == 1) -------------------------
    @property
    def recall(self) -> float:
        """Bench recall = mean per-clip recall."""
        return self.recall_sum / self.n_clips if self.n_clips else 0.0

    @property
    def precision(self) -> float:
        return self.precision_sum / self.n_clips if self.n_clips else 0.0

    @property
    def f1(self) -> float:
        return self.f1_sum / self.n_clips if self.n_clips else 0.0

    # --- micro averages over key events -------------------------------------------------
    @property
    def reward(self) -> float:
        return self.reward_sum / self.n_key if self.n_key else 0.0

    @property
    def iou_cos(self) -> float:
        return self.iou_cos_sum / self.n_key if self.n_key else 0.0

    @property
    def iou(self) -> float:
        return self.iou_sum / self.n_key if self.n_key else 0.0

    @property
    def wer(self) -> float | None:
        return self.wer_edits / self.wer_ref_units if self.wer_ref_units else None

    @property
    def how_cos(self) -> float | None:
        return self.how_cos_sum / self.n_speech_matched if self.n_speech_matched else None

    @property
    def snd_cos(self) -> float | None:
        return self.snd_cos_sum / self.n_snd_matched if self.n_snd_matched else None

    @property
    def spk_acc(self) -> float | None:
        return self.n_spk_ok / self.n_speech_matched if self.n_speech_matched else None

    @property
    def halluc(self) -> float:
        return self.n_halluc / self.n_pred if self.n_pred else 0.0

    @property
    def pred_per_clip(self) -> float:
        return self.n_pred / self.n_clips if self.n_clips else 0.0

    @property
    def true_per_clip(self) -> float:
        return self.n_key / self.n_clips if self.n_clips else 0.0

    def is_finite(self) -> bool:
        return all(
            math.isfinite(getattr(self, f.name)) for f in dataclasses.fields(self) if isinstance(getattr(self, f.name), float)
        )


@dataclass(frozen=True)
class PredOutcome:
    """How one prediction fared: its partner (if any) and whether it is a hallucination.

    ``pred_idx`` indexes ``Prediction.events`` when ``pred_idx < len(events)``; the
    entries of ``Prediction.invalid`` follow, so ``invalid[j]`` has ``len(events) + j``.
    """

    clip_id: str
    pred_idx: int
    type: str | None
    valid: bool
    halluc: bool
    key_idx: int | None
    iou_max: float = 0.0

    @property
    def matched(self) -> bool:
        return self.key_idx is not None


@dataclass(frozen=True)
class ClipResult:
    """Everything scoring says about one system on one clip.

    ``matches`` has one entry per answer-key event (in key order), ``pred_outcomes``
    one per prediction (valid, then invalid), ``totals`` the clip's sums and counts,
    ``speaker_map`` the predicted speaker → key speaker map used for ``spk``.
    """

    clip_id: str
    system: str
    matches: tuple[EventMatch, ...]
    pred_outcomes: tuple[PredOutcome, ...]
    totals: ClipScore
    speaker_map: Mapping[str, str] = field(default_factory=dict)

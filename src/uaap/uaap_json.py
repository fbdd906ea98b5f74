"""Reading and writing UAAP JSON: the edge where text becomes records.

Predictions never raise on bad content: every event that fails hygiene becomes an
:class:`~uaap.records.InvalidEvent` naming the event index, the field, what was expected
and what was found; the valid events of the same file are kept. Answer keys are strict:
a bad key raises :class:`AnswerKeyError`, because a bench with a wrong key cannot be
trusted.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from uaap.records import EVENT_TYPES, TEXT_FIELDS, AnswerKey, Event, InvalidEvent, Prediction

__all__ = [
    "AnswerKeyError",
    "parse_events",
    "parse_answer_key",
    "read_answer_key",
    "read_prediction",
    "prediction_from_json",
]

_KNOWN_FIELDS = {"type", "start_time", "end_time", *TEXT_FIELDS}


class AnswerKeyError(ValueError):
    """An answer key that cannot be used: names the file, the event and the field."""


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _coerce_time(raw: dict[str, Any], name: str) -> tuple[float | None, str | None]:
    """Return (seconds, None) or (None, what was found)."""
    if name not in raw:
        return None, "nothing (field missing)"
    value = raw[name]
    if isinstance(value, bool):
        return None, _short(value)
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None, _short(value)
    if math.isnan(seconds) or math.isinf(seconds):
        return None, _short(value)
    if seconds < 0:
        return None, f"{seconds:g} (negative)"
    return seconds, None


def _parse_event(index: int, raw: Any) -> Event | InvalidEvent:
    if not isinstance(raw, dict):
        return InvalidEvent(index, "event", "a JSON object", _short(raw), raw=raw)
    etype = raw.get("type")
    if not isinstance(etype, str) or etype not in EVENT_TYPES:
        expected = "one of " + ", ".join(EVENT_TYPES)
        found = "nothing (field missing)" if "type" not in raw else _short(etype)
        return InvalidEvent(index, "type", expected, found, raw=raw, type=etype if isinstance(etype, str) else None)
    times: dict[str, float] = {}
    for name in ("start_time", "end_time"):
        seconds, found = _coerce_time(raw, name)
        if found is not None:
            return InvalidEvent(index, name, "a finite number of seconds >= 0", found, raw=raw, type=etype)
        times[name] = seconds  # type: ignore[assignment]
    if times["end_time"] <= times["start_time"]:
        return InvalidEvent(
            index,
            "end_time",
            f"a time after start_time ({times['start_time']:g})",
            f"{times['end_time']:g}",
            raw=raw,
            type=etype,
        )
    texts: dict[str, str | None] = {}
    for name in TEXT_FIELDS:
        value = raw.get(name)
        if value is None or isinstance(value, str):
            texts[name] = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            texts[name] = str(value)
        else:
            return InvalidEvent(index, name, "a string or null", _short(value), raw=raw, type=etype)
    extras = {k: v for k, v in raw.items() if k not in _KNOWN_FIELDS}
    return Event(type=etype, start_s=times["start_time"], end_s=times["end_time"], extras=extras, **texts)


def parse_events(items: Any) -> tuple[list[Event], list[InvalidEvent]]:
    """Split a list of raw UAAP event objects into valid events and invalid ones.

    >>> ok, bad = parse_events([{"type": "music", "start_time": "1", "end_time": 2},
    ...                         {"type": "speech", "start_time": 3, "end_time": 3}])
    >>> ok[0].start_s, bad[0].field, bad[0].index
    (1.0, 'end_time', 1)
    """
    events: list[Event] = []
    invalid: list[InvalidEvent] = []
    for index, raw in enumerate(items):
        parsed = _parse_event(index, raw)
        (events if isinstance(parsed, Event) else invalid).append(parsed)  # type: ignore[arg-type]
    return events, invalid


def _load_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def parse_answer_key(data: Any, *, source: str, clip_id: str | None = None) -> AnswerKey:
    """Build an :class:`AnswerKey` from the SoundScape-Bench wrapper; strict."""
    if isinstance(data, list):
        data = {"events": data}
    if not isinstance(data, dict):
        raise AnswerKeyError(f"{source}: expected a JSON object with 'events', found {_short(data)}")
    raw_events = data.get("events")
    if not isinstance(raw_events, list):
        raise AnswerKeyError(f"{source}: field 'events' expected a list, found {_short(raw_events)}")
    events, invalid = parse_events(raw_events)
    if invalid:
        bad = invalid[0]
        raise AnswerKeyError(f"{source}: {bad.message}; fix the answer key and import it again")
    cid = clip_id or data.get("clip_id")
    if not isinstance(cid, str) or not cid:
        raise AnswerKeyError(f"{source}: field 'clip_id' expected a non-empty string, found {_short(cid)}")
    duration = data.get("duration", data.get("duration_s"))
    try:
        duration_s = float(duration) if duration is not None else max((e.end_s for e in events), default=0.0)
    except (TypeError, ValueError):
        raise AnswerKeyError(f"{source}: field 'duration' expected seconds, found {_short(duration)}") from None
    speakers = {e.speaker_id for e in events if e.type in ("speech", "vocal_burst") and e.speaker_id}
    languages = data.get("languages")
    if not isinstance(languages, list):
        languages = sorted({e.language for e in events if e.type == "speech" and e.language})
    num_speakers = data.get("num_speakers")
    if not isinstance(num_speakers, int) or isinstance(num_speakers, bool):
        num_speakers = len(speakers)
    meta = {k: v for k, v in data.items() if k not in {"clip_id", "duration", "duration_s", "events", "languages", "num_speakers"}}
    return AnswerKey(
        clip_id=cid,
        duration_s=duration_s,
        events=tuple(events),
        num_speakers=num_speakers,
        languages=tuple(str(x) for x in languages),
        meta=meta,
    )


def read_answer_key(path: str | Path, clip_id: str | None = None) -> AnswerKey:
    """Read ``<clip_id>.json`` of a bench; raises :class:`AnswerKeyError` naming the file."""
    path = Path(path)
    try:
        data = _load_json(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnswerKeyError(f"{path}: not readable as JSON ({exc}); expected the SoundScape-Bench wrapper") from None
    return parse_answer_key(data, source=str(path), clip_id=clip_id or path.stem)


def prediction_from_json(data: Any, *, system: str, clip_id: str, source: str | None = None) -> Prediction:
    """A :class:`Prediction` from a bare event array or the wrapper; never raises."""
    if isinstance(data, dict):
        items = data.get("events")
        if not isinstance(items, list):
            return Prediction(
                system, clip_id, source=source,
                file_error=f"field 'events' expected a list of events, found {_short(items)}",
            )
    elif isinstance(data, list):
        items = data
    else:
        return Prediction(
            system, clip_id, source=source,
            file_error=f"expected a JSON array of events or an object with 'events', found {_short(data)}",
        )
    events, invalid = parse_events(items)
    return Prediction(system, clip_id, events=tuple(events), invalid=tuple(invalid), source=source)


def read_prediction(path: str | Path, *, system: str, clip_id: str) -> Prediction:
    """Read one prediction file; a missing file is a clip annotated with nothing."""
    path = Path(path)
    if not path.exists():
        return Prediction(system, clip_id, source=str(path), missing=True)
    try:
        data = _load_json(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Prediction(system, clip_id, source=str(path), file_error=f"not readable as JSON ({exc})")
    return prediction_from_json(data, system=system, clip_id=clip_id, source=str(path))

"""Loading records back out of the warehouse (the scorer reads keys and predictions from here)."""

from __future__ import annotations

import json
from typing import Any, Sequence

import numpy as np

from uaap.records import AnswerKey, Clip, Prediction
from uaap.uaap_json import parse_events

__all__ = [
    "bench_exists",
    "load_clips",
    "load_answer_keys",
    "load_predictions",
    "systems_with_predictions",
    "load_embeddings",
]


def bench_exists(con, bench_id: str) -> bool:
    return bool(con.execute("select count(*) from benches where bench_id = ?", [bench_id]).fetchall()[0][0])


def load_clips(con, bench_id: str) -> list[Clip]:
    rows = con.execute(
        "select clip_id, audio_path, audio_sha256, duration_s, sample_rate, channels, languages, num_speakers, "
        "snr_db, overlap, recipe, meta from clips where bench_id = ? order by clip_id",
        [bench_id],
    ).fetchall()
    return [
        Clip(
            clip_id=r[0], bench=bench_id, audio_path=r[1], audio_sha256=r[2], duration_s=r[3],
            sample_rate=r[4] or 0, channels=r[5] or 0, languages=tuple(r[6] or ()), num_speakers=r[7] or 0,
            snr_db=r[8], overlap=bool(r[9]), recipe=r[10], meta=json.loads(r[11]) if r[11] else {},
        )
        for r in rows
    ]


def load_answer_keys(con, bench_id: str) -> dict[str, AnswerKey]:
    """Every answer key of a bench, rebuilt from the stored events (clip order)."""
    clips = con.execute(
        "select clip_id, duration_s, num_speakers, languages, meta from clips where bench_id = ? order by clip_id",
        [bench_id],
    ).fetchall()
    events: dict[str, list[Any]] = {}
    for clip_id, event_json in con.execute(
        "select clip_id, event_json from answer_events where bench_id = ? order by clip_id, event_idx", [bench_id]
    ).fetchall():
        events.setdefault(clip_id, []).append(json.loads(event_json))
    keys = {}
    for clip_id, duration_s, num_speakers, languages, meta in clips:
        parsed, _ = parse_events(events.get(clip_id, []))
        key_meta = json.loads(meta).get("key_meta", {}) if meta else {}
        keys[clip_id] = AnswerKey(
            clip_id=clip_id, duration_s=duration_s, events=tuple(parsed), num_speakers=num_speakers or 0,
            languages=tuple(languages or ()), meta=key_meta,
        )
    return keys


def load_predictions(con, system_id: str, bench_id: str, clip_ids: Sequence[str]) -> dict[str, Prediction]:
    """One :class:`Prediction` per clip; a clip without a stored set is a clip annotated with nothing."""
    sets = {
        r[0]: r
        for r in con.execute(
            "select clip_id, status, source, error from prediction_sets where system_id = ? and bench_id = ?",
            [system_id, bench_id],
        ).fetchall()
    }
    raw: dict[str, list[Any]] = {}
    for clip_id, event_json in con.execute(
        "select clip_id, event_json from predictions where system_id = ? and bench_id = ? order by clip_id, event_idx",
        [system_id, bench_id],
    ).fetchall():
        raw.setdefault(clip_id, []).append(json.loads(event_json))
    out = {}
    for clip_id in clip_ids:
        row = sets.get(clip_id)
        if row is None or row[1] == "missing":
            out[clip_id] = Prediction(system_id, clip_id, source=row[2] if row else None, missing=True)
        elif row[1] == "file_error":
            out[clip_id] = Prediction(system_id, clip_id, source=row[2], file_error=row[3])
        else:
            events, invalid = parse_events(raw.get(clip_id, []))
            out[clip_id] = Prediction(system_id, clip_id, events=tuple(events), invalid=tuple(invalid), source=row[2])
    return out


def systems_with_predictions(con, bench_id: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select distinct system_id from prediction_sets where bench_id = ? order by system_id", [bench_id]
        ).fetchall()
    ]


def load_embeddings(con, embedder_id: str, shas: Sequence[str]) -> dict[str, np.ndarray]:
    """Cached vectors of one embedder, by text sha256."""
    if not shas:
        return {}
    rows = con.execute(
        "select text_sha256, vector from embeddings where embedder_id = ? and text_sha256 in (select unnest(?))",
        [embedder_id, list(shas)],
    ).fetchall()
    return {sha: np.asarray(vec, dtype=np.float32) for sha, vec in rows}

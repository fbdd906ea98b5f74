"""Prefect tasks of the import flows: read a clip and its key, read prediction files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from uaap.records import AnswerKey, Clip, Prediction
from uaap.tasks.retry import retry_transient
from uaap.uaap_json import prediction_from_json, read_answer_key

__all__ = ["AUDIO_SUFFIXES", "file_sha256", "read_clip_task", "read_prediction_file", "speech_overlaps"]

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a")


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def speech_overlaps(key: AnswerKey) -> bool:
    """True when two speech turns of the key overlap in time."""
    turns = sorted((e.start_s, e.end_s) for e in key.events if e.type == "speech")
    return any(b[0] < a[1] for a, b in zip(turns, turns[1:]))


def _audio_info(path: Path) -> tuple[float, int, int]:
    import soundfile

    try:
        info = soundfile.info(str(path))
        return float(info.duration), int(info.samplerate), int(info.channels)
    except Exception as exc:  # noqa: BLE001 - soundfile raises several types for bad files
        raise ValueError(f"{path}: not readable as audio ({exc}); expected a wav/flac/mp3/ogg file") from None


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1, retry_condition_fn=retry_transient,
      task_run_name="read-clip-{clip_id}")
def read_clip_task(bench_id: str, clip_id: str, audio_path: str, key_path: str, known_sha256: str | None) -> tuple[Clip, AnswerKey]:
    """Read one clip's audio header and answer key; hash the audio unless its hash is known."""
    audio = Path(audio_path)
    key = read_answer_key(key_path, clip_id=clip_id)
    duration_s, sample_rate, channels = _audio_info(audio)
    sha = known_sha256 or file_sha256(audio)
    meta = dict(key.meta)
    snr = meta.get("snr_db")
    clip = Clip(
        clip_id=clip_id, bench=bench_id, audio_path=str(audio.resolve()), audio_sha256=sha,
        duration_s=duration_s, sample_rate=sample_rate, channels=channels, languages=key.languages,
        num_speakers=key.num_speakers, snr_db=float(snr) if isinstance(snr, (int, float)) else None,
        overlap=bool(meta["overlap"]) if "overlap" in meta else speech_overlaps(key),
        recipe=meta.get("recipe") if isinstance(meta.get("recipe"), str) else None,
        meta={"key_meta": meta},
    )
    return clip, key


def read_prediction_file(path: Path, system: str, clip_id: str) -> tuple[Prediction, list[Any]]:
    """Parse one prediction file; returns the record and the raw submitted events."""
    if not path.exists():
        return Prediction(system, clip_id, source=str(path), missing=True), []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Prediction(system, clip_id, source=str(path), file_error=f"not readable as JSON ({exc})"), []
    pred = prediction_from_json(data, system=system, clip_id=clip_id, source=str(path))
    raw = data if isinstance(data, list) else (data.get("events") if isinstance(data, dict) else None)
    return pred, raw if isinstance(raw, list) and not pred.file_error else []

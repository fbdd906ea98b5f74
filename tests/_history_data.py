"""Synthetic scored benches and nightly snapshots written straight through the writer (no Prefect).

Keys and predictions come from :mod:`uaap.synthetic`; captions compare by exact text, so no
embedding model is needed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from uaap.records import Event
from uaap.scoring import load_profile, score_clip
from uaap.synthetic import synthetic_keys, synthetic_prediction
from uaap.warehouse.history import snapshot_run
from uaap.warehouse.writer import (
    finish_run, start_run, write_bench, write_clip_results, write_clips, write_predictions, write_profile, write_system,
)

PROFILE_ID = "soundscape-v1:test:exact"


def _exact(a: str, b: str) -> float:
    return float(a == b)


def write_audio(folder: Path, clip_id: str, seconds: float = 0.5, rate: int = 8000) -> Path:
    import soundfile

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{clip_id}.wav"
    t = np.arange(int(seconds * rate)) / rate
    soundfile.write(path, (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), rate)
    return path


def make_bench(con, bench: str = "hist", n_clips: int = 24, seed: int = 5, audio_dir: Path | None = None):
    """A bench with varied languages, SNR and overlap (and one clip whose key lists no language)."""
    items = []
    for i, (clip, key) in enumerate(synthetic_keys(n_clips, seed=seed, bench=bench)):
        clip = replace(clip, overlap=(i % 3 == 0))
        if i == 1:  # speech events in a language the clip does not list: counted like lb_by_language does
            key = replace(key, languages=())
            clip = replace(clip, languages=())
        if i == 2:  # a key event without language
            events = tuple(replace(e, language=None) if e.type == "speech" else e for e in key.events)
            key = replace(key, events=events)
        if audio_dir is not None:
            clip = replace(clip, audio_path=str(write_audio(audio_dir, clip.clip_id)))
        items.append((clip, key))
    write_bench(con, bench, recipe="synthetic", params={"clips": n_clips}, source_dir=None)
    write_clips(con, bench, items)
    write_profile(con, PROFILE_ID, name="soundscape-v1", params={}, embedder_id="exact")
    return items


def score_system(con, bench: str, items, system: str, skill: float, seed: int = 0, extra_junk: bool = False) -> None:
    """Predict with a synthetic system of ``skill`` and write its scores (replacing earlier ones)."""
    profile = load_profile("soundscape-v1")
    preds = [synthetic_prediction(k, system, skill=skill, seed=seed) for _, k in items]
    if extra_junk:
        preds = [replace(p, events=p.events + (Event("sound_event", 0.0, 0.5, description="static"),)) for p in preds]
    write_system(con, system, kind="imported")
    write_predictions(con, bench, preds, {p.clip_id: [e.to_json() for e in p.events] for p in preds})
    results = [score_clip(k, p, profile, _exact) for (_, k), p in zip(items, preds)]
    write_clip_results(con, PROFILE_ID, bench, [(system, r.clip_id, k.sha256, p.sha256, r)
                                                for (_, k), p, r in zip(items, preds, results)])


def nightly_snapshot(con, run_id: str, night: date, bench: str, systems, resamples: int = 200) -> dict:
    """What the nightly flow records for one night: a runs row and the history snapshot."""
    start_run(con, run_id, "nightly", {"night": night.isoformat()}, None, {})
    counts = snapshot_run(con, run_id, night, bench, PROFILE_ID, systems, resamples=resamples)
    finish_run(con, run_id, "completed", {"night": night.isoformat(), "steps": []})
    return counts

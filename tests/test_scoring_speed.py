"""score_clip is fast enough for nightly benches: 200 clips × 10 systems with a cosine table."""

from __future__ import annotations

import random
import time

import numpy as np

from uaap.records import AnswerKey, Event, Prediction
from uaap.scoring import DEFAULT_PROFILE, CosineTable, bench_totals, score_clip, text_key, texts_needing_embedding

WORDS = "the a cat dog sat on mat and we will go to market today it is raining hard again".split()
CAPTIONS = ["dog barking", "door slam", "calm", "angry; fast", "laugh", "piano", "rain on a roof", "sigh"]


def _events(rng: random.Random, n: int, speakers: list[str], jitter: float = 0.0) -> list[Event]:
    out = []
    for i in range(n):
        etype = rng.choice(["speech", "speech", "speech", "vocal_burst", "sound_event", "music"])
        start = max(0.0, i * 4.0 + rng.uniform(-jitter, jitter))
        out.append(Event(
            etype, start, start + rng.uniform(1.0, 6.0),
            transcription=" ".join(rng.choices(WORDS, k=rng.randint(3, 14))),
            speaker_id=rng.choice(speakers), language=rng.choice(["en", "en", "zh"]),
            emotion=rng.choice(CAPTIONS), vocal_burst=rng.choice(CAPTIONS), description=rng.choice(CAPTIONS),
        ))
    return out


def test_two_hundred_clips_by_ten_systems_score_in_seconds():
    rng = random.Random(7)
    keys = [AnswerKey(f"clip-{c:05d}", 60.0, tuple(_events(rng, rng.randint(3, 8), ["s1", "s2", "s3"])))
            for c in range(200)]
    preds = [
        Prediction(f"sys-{s}", key.clip_id, tuple(_events(rng, rng.randint(2, 12), ["A", "B", "C"], jitter=2.0)))
        for s in range(10) for key in keys
    ]
    texts = sorted(texts_needing_embedding(keys, preds))
    vectors = np.random.default_rng(0).normal(size=(len(texts), 384)).astype(np.float32)
    table = CosineTable.for_profile({text_key(t): v for t, v in zip(texts, vectors)}, DEFAULT_PROFILE)
    key_of = {k.clip_id: k for k in keys}

    started = time.perf_counter()
    results = [score_clip(key_of[p.clip_id], p, DEFAULT_PROFILE, table) for p in preds]
    elapsed = time.perf_counter() - started

    assert len(results) == 2000
    assert bench_totals(results).n_matched > 0
    assert elapsed < 20.0, f"2000 clip scorings took {elapsed:.1f} s"

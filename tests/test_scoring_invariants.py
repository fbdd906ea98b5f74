"""Hypothesis invariants of score_clip: the oracle is perfect; order and speaker names do not matter."""

from __future__ import annotations

import dataclasses
import hashlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uaap.records import AnswerKey, ClipScore, Event, InvalidEvent, Prediction
from uaap.scoring import DEFAULT_PROFILE, bench_totals, leaderboard_row, score_clip

WORDS = ["the", "cat", "dog", "sat", "on", "a", "mat", "red", "runs", "fast", "Hello,", "world!"]
HANZI = list("我们今天去公园玩你好世界")
CAPTIONS = ["calm", "angry", "whispered", "fast", "laugh", "sigh", "dog barking", "door slam", "piano", "rain"]
SETTINGS = settings(max_examples=100, deadline=None)


def similarity(a: str, b: str) -> float:
    """1 for identical texts; a fixed pseudo-random cosine in [-0.2, 0.95) otherwise."""
    if a == b:
        return 1.0
    digest = hashlib.sha256(f"{min(a, b)}\0{max(a, b)}".encode()).digest()
    return -0.2 + 1.15 * digest[0] / 256


def captions(draw, n_min: int = 1) -> str:
    return " ".join(draw(st.lists(st.sampled_from(CAPTIONS), min_size=n_min, max_size=3)))


times = st.one_of(st.integers(0, 12).map(float), st.floats(0.0, 12.0, allow_nan=False))
durations = st.one_of(st.integers(1, 4).map(float), st.floats(0.1, 5.0, allow_nan=False))


@st.composite
def answer_keys(draw, min_events: int = 0) -> AnswerKey:
    """Keys an oracle can score 1.0 on: within a type no two events share (start, end),
    speech turns never overlap (so each speaker's voice is unique) and captions are non-empty."""
    events: list[Event] = []
    speakers = [f"spk{i}" for i in range(draw(st.integers(1, 3)))]
    slots = draw(st.lists(st.integers(0, 7), unique=True, max_size=4))
    talkers: set[str] = set()
    for slot in slots:  # slot k is [3k, 3k+3): turns cannot overlap
        language = draw(st.sampled_from(["en", "zh-CN", None]))
        pool = HANZI if language == "zh-CN" else WORDS
        who = draw(st.sampled_from(speakers))
        talkers.add(who)
        events.append(Event(
            "speech", 3.0 * slot + draw(st.floats(0.0, 1.0)), 3.0 * slot + 1.0 + draw(st.floats(0.1, 1.9)),
            transcription=" ".join(draw(st.lists(st.sampled_from(pool), max_size=6))),
            speaker_id=who, language=language,
            emotion=captions(draw), speaking_style=captions(draw, 0) or None,
        ))
    for etype in ("vocal_burst", "sound_event", "music"):
        spans = draw(st.lists(st.tuples(times, durations), unique=True, max_size=3))
        for start, dur in spans:
            fields = {"description": captions(draw)}
            if etype == "vocal_burst":
                fields = {"vocal_burst": captions(draw),
                          "speaker_id": draw(st.sampled_from(sorted(talkers))) if talkers else None}
            events.append(Event(etype, start, start + dur, **fields))
    if len(events) < min_events:
        events.append(Event("music", 0.0, 30.0, description="piano"))
    random.Random(draw(st.integers(0, 2**16))).shuffle(events)
    return AnswerKey("clip-00001", 30.0, tuple(events))


@st.composite
def predictions(draw, key: AnswerKey | None = None) -> Prediction:
    """Arbitrary predictions: any type, overlaps, repeated times, shared or missing speakers,
    junk; copies of key events, echoes of earlier guesses under another speaker and other
    guesses over the same span make ties."""
    events: list[Event] = []
    for _ in range(draw(st.integers(0, 8))):
        source = draw(st.sampled_from(["new", "new", "key", "echo", "same_time"]))
        if source == "key" and key is not None and key.events:
            events.append(dataclasses.replace(
                draw(st.sampled_from(key.events)), speaker_id=draw(st.sampled_from(["A", "B", "C", None]))
            ))
            continue
        if source == "echo" and events:
            events.append(dataclasses.replace(
                draw(st.sampled_from(events)), speaker_id=draw(st.sampled_from(["A", "B", "C", None]))
            ))
            continue
        start, dur = draw(times), draw(durations)
        etype = draw(st.sampled_from(["speech", "speech", "vocal_burst", "sound_event", "music"]))
        if source == "same_time" and events:  # another guess over the same span
            earlier = draw(st.sampled_from(events))
            start, dur, etype = earlier.start_s, earlier.end_s - earlier.start_s, earlier.type
        events.append(Event(
            etype, start, start + dur,
            transcription=" ".join(draw(st.lists(st.sampled_from(WORDS + HANZI), max_size=5))),
            speaker_id=draw(st.sampled_from(["A", "B", "C", None])),
            emotion=draw(st.sampled_from(CAPTIONS + [None])),
            vocal_burst=draw(st.sampled_from(CAPTIONS + [None])),
            description=draw(st.sampled_from(CAPTIONS + [None])),
        ))
    invalid = tuple(
        InvalidEvent(i, "start_time", "a finite number of seconds >= 0", "'soon'", type="speech")
        for i in range(draw(st.integers(0, 2)))
    )
    return Prediction("sys", "clip-00001", tuple(events), invalid)


@st.composite
def clips(draw) -> tuple[AnswerKey, Prediction]:
    key = draw(answer_keys())
    return key, draw(predictions(key))


def relabel(pred: Prediction, names: dict[str, str]) -> Prediction:
    events = tuple(
        dataclasses.replace(e, speaker_id=names.get(e.speaker_id, e.speaker_id)) for e in pred.events
    )
    return dataclasses.replace(pred, events=events)


def per_key(result) -> list[tuple]:
    return [(m.key_idx, m.matched, m.iou, m.cos, m.meaning, m.reward, m.score, m.spk_ok) for m in result.matches]


@SETTINGS
@given(key=answer_keys(min_events=1), seed=st.integers(0, 2**16))
def test_oracle_prediction_scores_perfectly(key, seed):
    events = list(key.events)
    random.Random(seed).shuffle(events)
    rename = {f"spk{i}": f"voice_{(i * 7 + seed) % 11}_{i}" for i in range(3)}
    pred = relabel(Prediction("oracle", key.clip_id, tuple(events)), rename)
    row = leaderboard_row(score_clip(key, pred, DEFAULT_PROFILE, similarity).totals)
    for column in ("reward", "iou_cos", "iou", "f1", "recall"):
        assert row[column] == pytest.approx(1.0), column
    for column in ("spk_acc", "how_cos", "snd_cos"):
        assert row[column] is None or row[column] == pytest.approx(1.0), column
    assert row["wer"] in (None, 0.0)
    assert row["halluc"] == 0.0


@SETTINGS
@given(clip=clips(), seed=st.integers(0, 2**16))
def test_shuffling_predictions_changes_nothing(clip, seed):
    key, pred = clip
    rng = random.Random(seed)
    events, invalid = list(pred.events), list(pred.invalid)
    rng.shuffle(events)
    rng.shuffle(invalid)
    shuffled = dataclasses.replace(pred, events=tuple(events), invalid=tuple(invalid))
    a = score_clip(key, pred, DEFAULT_PROFILE, similarity)
    b = score_clip(key, shuffled, DEFAULT_PROFILE, similarity)
    assert per_key(a) == per_key(b)
    assert a.totals == b.totals
    # partners move with their events
    for m in b.matches:
        if m.matched:
            assert shuffled.events[m.pred_idx] in pred.events


@SETTINGS
@given(clip=clips(), target=st.permutations(["A", "B", "C"]))
def test_relabelling_predicted_speakers_changes_nothing(clip, target):
    key, pred = clip
    names = {old: f"new_{new}" for old, new in zip(["A", "B", "C"], target)}
    a = score_clip(key, pred, DEFAULT_PROFILE, similarity)
    b = score_clip(key, relabel(pred, names), DEFAULT_PROFILE, similarity)
    assert per_key(a) == per_key(b)
    assert a.totals == b.totals
    # the same key speakers are mapped (which of two identical voices gets one is immaterial)
    assert sorted(a.speaker_map.values()) == sorted(b.speaker_map.values())


@SETTINGS
@given(clip=clips())
def test_clip_totals_are_the_sums_of_its_events_and_predictions(clip):
    key, pred = clip
    result = score_clip(key, pred, DEFAULT_PROFILE, similarity)
    t = result.totals
    assert len(result.matches) == t.n_key == len(key.events)
    assert len(result.pred_outcomes) == t.n_pred == pred.n_predictions
    assert t.score_sum == pytest.approx(sum(m.score for m in result.matches))
    assert t.reward_sum == pytest.approx(sum(m.reward for m in result.matches))
    assert t.n_halluc == sum(o.halluc for o in result.pred_outcomes)
    matched_preds = [m.pred_idx for m in result.matches if m.matched]
    assert len(matched_preds) == len(set(matched_preds)) == t.n_matched  # one-to-one
    for m in result.matches:
        if m.matched:
            assert pred.events[m.pred_idx].type == m.type == key.events[m.key_idx].type
            assert m.iou > 0.0 and 0.0 <= m.score <= m.reward <= 1.0 + 1e-12
            assert result.pred_outcomes[m.pred_idx].key_idx == m.key_idx
            assert not result.pred_outcomes[m.pred_idx].halluc
    assert 0.0 <= t.f1 <= 1.0 + 1e-12
    if t.n_pred >= t.n_key > 0:
        assert t.precision <= t.recall + 1e-12


@settings(max_examples=25, deadline=None)
@given(bench=st.lists(clips(), min_size=1, max_size=6))
def test_bench_totals_equal_the_sum_of_clip_sums(bench):
    results = [score_clip(k, p, DEFAULT_PROFILE, similarity) for k, p in bench]
    total = bench_totals(results)
    expected = ClipScore.zero()
    for r in results:
        expected = expected + r.totals
    assert total == expected
    assert total.n_clips == len(bench)
    assert total.f1 == pytest.approx(sum(r.totals.f1 for r in results) / len(results))
    n_key = sum(len(k.events) for k, _ in bench)
    reward = sum(m.reward for r in results for m in r.matches)
    assert total.reward == pytest.approx(reward / n_key if n_key else 0.0)

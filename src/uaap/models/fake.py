"""``fake``: a deterministic expert for tests and dry runs, registered like a real one.

It loads nothing and hears nothing: its events are drawn from a generator seeded with the
clip's sha256 and ``seed``, so the same clip always gives the same payload. Fusion passes its
events through unchanged. ``fail: true`` makes it raise, to exercise error paths.
"""

from __future__ import annotations

import random
import time
from typing import Any, Mapping

from uaap.models.audio import AudioInput
from uaap.models.base import Expert, ExpertError, Payload

__all__ = ["FakeExpert"]

_CAPTIONS = ("a dog barking", "a door slamming shut", "a telephone ringing", "rain falling steadily")
_WORDS = ("the", "cat", "sat", "on", "a", "mat", "hello", "world", "good", "morning")


class FakeExpert(Expert):
    """Deterministic pseudo-events. Payload (``events/v1``): ``{"events": [<UAAP event JSON>]}``."""

    name = "fake"
    CODE_REVISION = "1"
    DEFAULT_PARAMS: Mapping[str, Any] = {"seed": 0, "n_events": 2, "fail": False, "delay_s": 0.0}

    load_count = 0  # class-wide: how many instances ran _load (tests check "loads once")

    def _weights_id(self) -> tuple[str, str]:
        return "0", "none"

    def _load(self) -> None:
        type(self).load_count += 1

    def process(self, audio: AudioInput, inputs: Mapping[str, Payload]) -> Payload:
        if self.params["fail"]:
            raise ExpertError(f"fake expert asked to fail (clip {audio.sha256[:12]})")
        if self.params["delay_s"]:
            time.sleep(float(self.params["delay_s"]))
        rng = random.Random(f"{audio.sha256}:{self.params['seed']}")
        duration = audio.duration_s
        events = []
        if duration >= 0.2 and not audio.is_silent():
            for _ in range(int(self.params["n_events"])):
                start = round(rng.uniform(0.0, duration * 0.8), 2)
                end = round(min(duration, start + rng.uniform(0.1, max(0.2, duration * 0.3))), 2)
                if rng.random() < 0.5:
                    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 6)))
                    events.append({"type": "speech", "start_time": start, "end_time": end, "transcription": words,
                                   "speaker_id": f"speaker_{rng.randint(1, 2)}", "language": "en",
                                   "speaking_style": "a voice speaking at a moderate pace"})
                else:
                    events.append({"type": "sound_event", "start_time": start, "end_time": end,
                                   "description": rng.choice(_CAPTIONS)})
        return {"schema": "events/v1", "duration_s": round(duration, 3), "events": events}

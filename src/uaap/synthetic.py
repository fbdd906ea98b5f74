"""Synthetic answer keys and predictions (no audio) for tests and benchmarks.

Keys look like SoundScape-Bench keys (speech turns with words and speakers, bursts, sound
events, a music bed); predictions are keys perturbed by a system of a given ``skill``:
jittered times, word errors, paraphrased or wrong captions, swapped speakers, misses and
hallucinations. Everything comes from one seed.
"""

from __future__ import annotations

import random
from dataclasses import replace

from uaap.records import AnswerKey, Clip, Event, Prediction, sha256_text

__all__ = ["synthetic_keys", "synthetic_prediction", "synthetic_clip"]

_WORDS = (
    "the morning train was late again so we walked along the river past the old mill and talked about "
    "music weather dinner plans the new library opens next week please bring the documents before friday"
).split()
_STYLES = ["calm and measured", "fast and excited", "slow, low voice", "whispering softly", "loud and angry",
           "cheerful, high pitched", "tired monotone", "hesitant and unsure"]
_EMOTIONS = ["neutral", "happy", "sad", "angry", "surprised", "bored"]
_SOUNDS = ["a dog barks twice", "a door slams shut", "a telephone rings", "glass shatters on the floor",
           "footsteps on gravel", "a bell tolls", "water pours into a sink", "a cat meows", "a car horn honks",
           "fire crackles"]
_MUSIC = ["solo piano in a minor key", "upbeat pop with drums and bass", "string quartet, slow tempo",
          "electronic dance beat", "acoustic guitar strumming"]
_BURSTS = [("laughter", "a short amused laugh"), ("cough", "a dry cough"), ("sigh", "a tired sigh"),
           ("gasp", "a surprised gasp")]
_LANGS = ["en", "fr", "de", "es", "nl", "zh"]


def synthetic_clip(rng: random.Random, clip_id: str) -> AnswerKey:
    """One key: a music bed (60 %), 1–3 speech turns, bursts, 1–2 sound events."""
    duration = round(rng.uniform(10, 60), 1)
    events: list[Event] = []
    if rng.random() < 0.6:
        events.append(Event("music", 0.0, duration, description=rng.choice(_MUSIC)))
    n_turns = rng.randint(1, 3)
    speakers = [f"spk{i}" for i in range(rng.randint(1, 2))]
    t = rng.uniform(0, 3)
    langs = set()
    for _ in range(n_turns):
        length = rng.uniform(1.5, 6)
        if t + length > duration:
            break
        lang = rng.choice(_LANGS)
        langs.add(lang)
        words = " ".join(rng.choice(_WORDS) for _ in range(max(2, int(length * 2.5))))
        spk = rng.choice(speakers)
        events.append(Event("speech", round(t, 2), round(t + length, 2), transcription=words, speaker_id=spk,
                            language=lang, emotion=rng.choice(_EMOTIONS), speaking_style=rng.choice(_STYLES)))
        if rng.random() < 0.4 and t + length + 1 < duration:
            label, desc = rng.choice(_BURSTS)
            events.append(Event("vocal_burst", round(t + length + 0.1, 2), round(t + length + 0.9, 2),
                                speaker_id=spk, vocal_burst=label, description=desc))
        t += length + rng.uniform(-1.0, 3.0)
    for _ in range(rng.randint(1, 2)):
        s = rng.uniform(0, max(0.1, duration - 3))
        events.append(Event("sound_event", round(s, 2), round(s + rng.uniform(0.5, 3), 2), description=rng.choice(_SOUNDS)))
    events.sort(key=lambda e: (e.start_s, e.type))
    return AnswerKey(clip_id=clip_id, duration_s=duration, events=tuple(events),
                     num_speakers=len({e.speaker_id for e in events if e.speaker_id}), languages=tuple(sorted(langs)),
                     meta={"recipe": "synthetic", "snr_db": round(rng.uniform(-10, 10), 1)})


def synthetic_keys(n: int, seed: int = 0, bench: str = "synthetic") -> list[tuple[Clip, AnswerKey]]:
    """``n`` clips with keys; clip ``i`` depends only on ``seed`` and ``i``."""
    out = []
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        clip_id = f"clip-{i:05d}"
        key = synthetic_clip(rng, clip_id)
        clip = Clip(clip_id=clip_id, bench=bench, audio_path="", audio_sha256=sha256_text(f"{seed}:{i}"),
                    duration_s=key.duration_s, languages=key.languages, num_speakers=key.num_speakers,
                    snr_db=key.meta["snr_db"], overlap=False, recipe="synthetic", meta={"key_meta": dict(key.meta)})
        out.append((clip, key))
    return out


def synthetic_prediction(key: AnswerKey, system: str, skill: float, seed: int = 0) -> Prediction:
    """A prediction of ``key`` by a system whose ``skill`` in [0, 1] sets its error rates."""
    rng = random.Random(f"{system}:{seed}:{key.clip_id}")
    events: list[Event] = []
    relabel = {f"spk{i}": f"SPEAKER_{(i + rng.randint(0, 1)) % 3:02d}" for i in range(3)}
    for e in key.events:
        if rng.random() > 0.5 + 0.5 * skill:
            continue  # missed
        jitter = (1 - skill) * 1.5
        start = max(0.0, e.start_s + rng.uniform(-jitter, jitter))
        end = max(start + 0.1, e.end_s + rng.uniform(-jitter, jitter))
        p = replace(e, start_s=round(start, 2), end_s=round(end, 2))
        if e.type == "speech":
            words = (e.transcription or "").split()
            words = [w if rng.random() < 0.6 + 0.4 * skill else rng.choice(_WORDS) for w in words]
            p = replace(p, transcription=" ".join(words), speaker_id=relabel.get(e.speaker_id or "", "SPEAKER_09"),
                        speaking_style=e.speaking_style if rng.random() < skill else rng.choice(_STYLES))
        elif e.type == "vocal_burst":
            p = replace(p, speaker_id=relabel.get(e.speaker_id or "", "SPEAKER_09"))
        elif e.type == "sound_event":
            p = replace(p, description=e.description if rng.random() < skill else rng.choice(_SOUNDS))
        events.append(p)
    for _ in range(rng.randint(0, 3 - int(2 * skill))):
        s = rng.uniform(0, key.duration_s - 1)
        events.append(Event("sound_event", round(s, 2), round(s + 1, 2), description=rng.choice(_SOUNDS)))
    rng.shuffle(events)
    return Prediction(system, key.clip_id, events=tuple(events), source=f"synthetic:{system}")

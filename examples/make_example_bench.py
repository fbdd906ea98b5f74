"""Make the small example bench of the demo with espeak-ng and sox, with exact answer keys.

Each clip is mixed from stems rendered here (speech with espeak-ng, sounds and music with
sox's synthesiser); every key event's span is the measured non-silent extent of its stem
where it was placed, so the key is exact. Also writes the predictions of two example
systems, derived from the keys by a fixed random perturbation (one careful, one sloppy,
with the kinds of mistakes and malformed input real systems produce).

    python examples/make_example_bench.py examples/bench examples/predictions
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

SR = 16000

SPEECH = [
    # clip, voice, language, speaker, text, rate, pitch, start_s, style
    ("ex-0001", "en-us+m3", "en", "spk1", "the cat sat on the mat and looked at the rain", 150, 40, 0.8,
     "a synthetic male voice, calm, at an even pace"),
    ("ex-0001", "en-us+f2", "en", "spk2", "did you remember to close the kitchen window", 170, 70, 5.2,
     "a synthetic female voice, slightly fast and high"),
    ("ex-0002", "fr+m1", "fr", "spk1", "bonjour, je voudrais un billet pour Paris", 140, 45, 1.0,
     "a synthetic male voice, slow and clear"),
    ("ex-0002", "de+f3", "de", "spk2", "guten morgen, der zug kommt heute später", 160, 60, 6.0,
     "a synthetic female voice, neutral, at a normal pace"),
    ("ex-0003", "en-gb+m2", "en", "spk1", "please leave your message after the tone", 130, 30, 2.0,
     "a low synthetic male voice speaking slowly"),
    ("ex-0003", "es+f1", "es", "spk2", "la cena está lista, ven a la mesa", 165, 65, 4.3,
     "a synthetic female voice, lively and quick"),
]

# (clip, kind, sox synth args, start_s, type, description/label)
SOUNDS = [
    ("ex-0001", "doorbell", ["synth", "0.5", "sine", "660", "synth", "0.5", "sine", "523", "fade", "0", "1.0", "0.3"], 3.6,
     "sound_event", "a two-tone electronic doorbell chimes"),
    ("ex-0002", "phone", ["synth", "0.4", "sine", "440", "sine", "480", "repeat", "2", "pad", "0", "0.2"], 4.2,
     "sound_event", "a telephone rings three short times"),
    ("ex-0003", "alarm", ["synth", "1.2", "square", "880", "tremolo", "8", "90", "gain", "-8"], 0.3,
     "sound_event", "a harsh electronic alarm beeps"),
    ("ex-0003", "laugh", None, 7.6, "vocal_burst", "laughter"),
]

MUSIC = {
    "ex-0001": None,
    "ex-0002": ("a soft plucked melody in C major, synthesised", [60, 64, 67, 72, 67, 64]),
    "ex-0003": None,
}
AMBIENCE = {"ex-0001": "steady rain falling outside"}
DURATIONS = {"ex-0001": 10.0, "ex-0002": 11.0, "ex-0003": 10.0}
LEVELS = {"speech": 0.11, "music": 0.045, "sound_event": 0.075, "vocal_burst": 0.09, "ambience": 0.03}


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


def _read(path: Path) -> np.ndarray:
    audio, sr = sf.read(str(path), dtype="float64", always_2d=True)
    audio = audio.mean(axis=1)
    if sr != SR:
        from scipy.signal import resample_poly

        audio = resample_poly(audio, SR, sr)
    return audio


def _trim(audio: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    idx = np.flatnonzero(np.abs(audio) > threshold * np.abs(audio).max())
    return audio[idx[0] : idx[-1] + 1] if idx.size else audio


def _at_rms(audio: np.ndarray, rms: float) -> np.ndarray:
    return audio * (rms / max(np.sqrt(np.mean(audio**2)), 1e-9))


def _espeak(tmp: Path, voice: str, text: str, rate: int, pitch: int) -> np.ndarray:
    out = tmp / "speech.wav"
    _run(["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(out), text])
    return _trim(_read(out))


def _sox(tmp: Path, args: list[str], rate: int = SR) -> np.ndarray:
    out = tmp / "sox.wav"
    _run(["sox", "-n", "-r", str(rate), "-c", "1", "-b", "16", str(out), *args])
    return _read(out)


def _music(tmp: Path, notes: list[int], duration: float) -> np.ndarray:
    parts = []
    for i in range(int(duration / 0.5) + 1):
        note = notes[i % len(notes)]
        parts += ["synth", "0.5", "pluck", f"%{note - 69}"]
    pieces = []
    for i in range(0, len(parts), 4):
        pieces.append(_sox(tmp, parts[i : i + 4] + ["fade", "0", "0.5", "0.2"]))
    return np.concatenate(pieces)[: int(duration * SR)]


def _place(mix: np.ndarray, stem: np.ndarray, start_s: float) -> tuple[float, float]:
    start = int(round(start_s * SR))
    end = min(len(mix), start + len(stem))
    mix[start:end] += stem[: end - start]
    nz = np.flatnonzero(np.abs(stem[: end - start]) > 0.01 * np.abs(stem).max())
    return round((start + nz[0]) / SR, 3), round((start + nz[-1] + 1) / SR, 3)


def make_bench(out_dir: Path) -> dict[str, dict]:
    out_dir.mkdir(parents=True, exist_ok=True)
    keys: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        for clip_id, duration in DURATIONS.items():
            mix = np.zeros(int(duration * SR))
            events: list[dict] = []
            background = "silence"
            if MUSIC.get(clip_id):
                caption, notes = MUSIC[clip_id]
                bed = _at_rms(_music(tmp, notes, duration), LEVELS["music"])
                s, e = _place(mix, bed, 0.0)
                events.append({"type": "music", "start_time": s, "end_time": e, "description": caption, "loudness": "quiet"})
                background = "music"
            if clip_id in AMBIENCE:
                rain = _sox(tmp, ["synth", str(duration), "pinknoise", "band", "-n", "3000", "2500", "tremolo", "23", "8",
                                  "fade", "0.5", str(duration), "0.5"])
                s, e = _place(mix, _at_rms(rain, LEVELS["ambience"]), 0.0)
                events.append({"type": "sound_event", "start_time": s, "end_time": e, "description": AMBIENCE[clip_id],
                               "loudness": "quiet"})
                background = "ambience"
            for cid, voice, lang, spk, text, rate, pitch, start, style in SPEECH:
                if cid != clip_id:
                    continue
                stem = _at_rms(_espeak(tmp, voice, text, rate, pitch), LEVELS["speech"])
                s, e = _place(mix, stem, start)
                events.append({
                    "type": "speech", "start_time": s, "end_time": e, "transcription": text, "speaker_id": spk,
                    "language": lang, "emotion": "neutral", "speaking_style": style,
                    "gender": "female" if "+f" in voice else "male", "voice": voice,
                })
            for cid, kind, args, start, etype, label in SOUNDS:
                if cid != clip_id:
                    continue
                if etype == "vocal_burst":
                    stem = _espeak(tmp, "en-us+m3", "ha ha ha ha", 220, 80)
                    s, e = _place(mix, _at_rms(stem, LEVELS["vocal_burst"]), start)
                    events.append({"type": "vocal_burst", "start_time": s, "end_time": e, "speaker_id": "spk1",
                                   "vocal_burst": label, "description": "a short synthetic laugh", "emotion": "amused"})
                    continue
                stem = _at_rms(_sox(tmp, args), LEVELS["sound_event"])
                s, e = _place(mix, stem, start)
                events.append({"type": etype, "start_time": s, "end_time": e, "description": label, "loudness": "moderate"})
            peak = np.abs(mix).max()
            if peak > 0.97:
                mix *= 0.97 / peak
            sf.write(str(out_dir / f"{clip_id}.wav"), mix.astype(np.float32), SR, subtype="PCM_16")
            events.sort(key=lambda ev: (ev["start_time"], ev["type"]))
            speakers = sorted({ev["speaker_id"] for ev in events if ev.get("speaker_id")})
            turns = sorted((ev["start_time"], ev["end_time"]) for ev in events if ev["type"] == "speech")
            key = {
                "clip_id": clip_id, "duration": duration, "num_speakers": len(speakers),
                "languages": sorted({ev["language"] for ev in events if ev["type"] == "speech"}),
                "events": events, "background": background, "recipe": "example",
                "overlap": any(b[0] < a[1] for a, b in zip(turns, turns[1:])),
            }
            (out_dir / f"{clip_id}.json").write_text(json.dumps(key, indent=2, ensure_ascii=False) + "\n")
            keys[clip_id] = key
    return keys


PARAPHRASE = {
    "a two-tone electronic doorbell chimes": "a doorbell ringing",
    "a telephone rings three short times": "a phone is ringing",
    "a harsh electronic alarm beeps": "an alarm beeping loudly",
    "steady rain falling outside": "rain",
    "a soft plucked melody in C major, synthesised": "gentle plucked string music",
}


def _careful(key: dict, rng: random.Random) -> list[dict]:
    out = []
    for ev in key["events"]:
        p = {k: v for k, v in ev.items() if k not in ("voice", "gender")}
        p["start_time"] = round(max(0.0, ev["start_time"] + rng.uniform(-0.25, 0.25)), 2)
        p["end_time"] = round(ev["end_time"] + rng.uniform(-0.25, 0.25), 2)
        if ev["type"] == "speech":
            words = ev["transcription"].split()
            words[rng.randrange(len(words))] = "uh"
            p["transcription"] = " ".join(words)
            p["speaker_id"] = {"spk1": "SPEAKER_00", "spk2": "SPEAKER_01"}[ev["speaker_id"]]
            p["speaking_style"] = "calm, measured delivery"
            p["emotion"] = "neutral"
        elif ev["type"] == "vocal_burst":
            p["speaker_id"] = "SPEAKER_00"
            p["description"] = "someone laughs"
        else:
            p["description"] = PARAPHRASE.get(ev["description"], ev["description"])
        out.append(p)
    return out


def _sloppy(key: dict, rng: random.Random) -> list:
    out: list = []
    for i, ev in enumerate(key["events"]):
        if i == 1:
            continue  # a missed event
        p = {k: v for k, v in ev.items() if k not in ("voice", "gender")}
        p["start_time"] = round(max(0.0, ev["start_time"] + rng.uniform(-0.8, 0.8)), 2)
        p["end_time"] = round(ev["end_time"] + rng.uniform(-0.8, 0.8), 2)
        if ev["type"] == "speech":
            p["transcription"] = " ".join(ev["transcription"].split()[: 4])
            p["speaker_id"] = "A"  # everyone is speaker A
            p["speaking_style"] = "speaking"
        elif ev["type"] == "vocal_burst":
            p["speaker_id"] = "B"
        else:
            p["description"] = "noise"
        out.append(p)
    out.append({"type": "sound_event", "start_time": key["duration"] - 1.0, "end_time": key["duration"] - 0.2,
                "description": "a car horn"})  # hallucinated
    out.append({"type": "speech", "start_time": "abc", "end_time": 3.0, "transcription": "??"})  # malformed time
    out.append({"type": "laugh", "start_time": 1.0, "end_time": 1.5})  # unknown type
    return out


def make_predictions(keys: dict[str, dict], out_dir: Path) -> None:
    rng = random.Random(20261122)
    careful, sloppy = out_dir / "careful", out_dir / "sloppy"
    for folder in (careful, sloppy):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for clip_id, key in keys.items():
        (careful / f"{clip_id}.json").write_text(json.dumps(_careful(key, rng), indent=2, ensure_ascii=False) + "\n")
        if clip_id == "ex-0003":
            (sloppy / f"{clip_id}.json").write_text('[{"type": "speech", "start_time": 1.0,')  # truncated file
        else:
            (sloppy / f"{clip_id}.json").write_text(json.dumps(_sloppy(key, rng), indent=2, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> int:
    bench_dir = Path(argv[1] if len(argv) > 1 else "examples/bench")
    pred_dir = Path(argv[2] if len(argv) > 2 else "examples/predictions")
    keys = make_bench(bench_dir)
    make_predictions(keys, pred_dir)
    print(f"wrote {len(keys)} clips to {bench_dir} and 2 example systems to {pred_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

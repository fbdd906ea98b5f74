"""Benchmark: real-time factor and peak memory of a system with its models warm.

    .venv/bin/python benchmarks/annotate_rtf.py [--system cpu-default] [--clips DIR_OR_FILES ...]
        [--n 4] [--repeat 1] [--show]

Clips: the audio files given (or found under the folders given); else the first bench under
``$UAAP_HOME/benches``; else a few soundscape-like mixtures made here with espeak-ng and sox
(speech turns by two voices, a quiet synthetic music bed, a tone burst, silence).

Reported: load time per expert (cold), then per clip wall time, CPU time and RTF
(wall / audio duration), the RTF over all clips (sum of wall / sum of audio), compute time
per expert, peak RSS (``resource.getrusage``), and the machine's load average (the number of
runnable processes: on a shared 2-core machine wall time grows with it). Budget from the
issue: RTF ≤ 0.5 and peak memory ≤ 3 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

RTF_BUDGET = 0.5
MEMORY_BUDGET_GB = 3.0
AUDIO_SUFFIXES = {".wav", ".flac", ".mp3", ".ogg", ".m4a", ".opus"}


def _espeak(path: Path, text: str, voice: str, pitch: int | None = None) -> np.ndarray:
    cmd = ["espeak-ng", "-v", voice, "-w", str(path)] + (["-p", str(pitch)] if pitch is not None else []) + [text]
    subprocess.run(cmd, check=True, capture_output=True)
    data, rate = sf.read(str(path), dtype="float32")
    from uaap.models.audio import to_mono_16k

    return to_mono_16k(data, rate)


def make_clips(folder: Path, n: int) -> list[Path]:
    """Soundscape-like mixtures: two voices taking turns over a quiet chord bed, a beep, silence."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        ("en+m3", None, "Hello, my name is Adam, and I work as an engineer in London."),
        ("en+f4", 80, "Hi Adam, I am Beth, I am a doctor and I live in Manchester."),
        ("en+m3", None, "We should meet again next week to discuss the budget and the schedule."),
        ("en+f4", 80, "That sounds good to me, but please send the documents before Friday."),
        ("fr", None, "Bonjour, je m'appelle Marie et j'habite à Paris avec ma famille."),
        ("de", None, "Guten Morgen, heute ist das Wetter in Berlin sehr schön."),
    ]
    rng = np.random.default_rng(0)
    paths = []
    for index in range(n):
        duration = 20.0 + 10.0 * (index % 3)
        mix = np.zeros(int(duration * 16000), dtype=np.float32)
        t = np.arange(len(mix)) / 16000
        if index % 2 == 0:  # a quiet sustained chord as a music-like bed
            bed = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6)) / 3
            mix += (0.03 * bed * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t))).astype(np.float32)
        cursor = 1.0
        for turn in range(3):
            voice, pitch, text = lines[(index + turn) % len(lines)]
            speech = _espeak(folder / "tmp.wav", text, voice, pitch)
            start = int(cursor * 16000)
            end = min(len(mix), start + len(speech))
            mix[start:end] += 0.3 * speech[: end - start] / max(1e-6, float(np.max(np.abs(speech))))
            cursor += len(speech) / 16000 + float(rng.uniform(0.6, 2.0))
        beep_at = int(min(duration - 1.5, cursor + 0.5) * 16000)
        beep = 0.2 * np.sin(2 * np.pi * 1000.0 * np.arange(8000) / 16000)
        mix[beep_at:beep_at + 8000] += beep[: len(mix[beep_at:beep_at + 8000])].astype(np.float32)
        path = folder / f"mix-{index:02d}.wav"
        sf.write(str(path), np.clip(mix, -0.97, 0.97), 16000)
        paths.append(path)
    (folder / "tmp.wav").unlink(missing_ok=True)
    return paths


def find_clips(sources: list[Path], n: int) -> list[Path]:
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            found.extend(sorted(p for p in source.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES))
        elif source.is_file():
            found.append(source)
    return found[:n]


def default_bench() -> Path | None:
    from uaap.home import uaap_home

    benches = uaap_home() / "benches"
    candidates = sorted(p for p in benches.glob("*") if p.is_dir()) if benches.is_dir() else []
    return candidates[0] if candidates else None


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 ** 2)  # Linux: KiB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--system", default="cpu-default")
    parser.add_argument("--clips", type=Path, nargs="*", default=None)
    parser.add_argument("--n", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=1, help="passes over the clips (all timed)")
    parser.add_argument("--show", action="store_true", help="print the events of each clip")
    args = parser.parse_args(argv)

    from uaap.models.audio import load_audio
    from uaap.models.pipeline import fuse_outputs, run_expert, upstream_for, warm_up
    from uaap.models.system import load_system

    system = load_system(args.system)
    if args.clips:
        clips, origin = find_clips(args.clips, args.n), "given"
    elif (bench := default_bench()) is not None:
        clips, origin = find_clips([bench], args.n), f"bench {bench}"
    else:
        clips, origin = make_clips(Path(tempfile.mkdtemp(prefix="uaap-rtf-")), args.n), "espeak-ng + sox mixtures"
    if not clips:
        print("no clips found", file=sys.stderr)
        return 2

    print(f"system {system.name} ({system.config_hash[:12]}); {len(clips)} clips ({origin}); "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    start = time.perf_counter()
    loads = warm_up(system)
    print(f"cold load {time.perf_counter() - start:.1f} s: " + ", ".join(f"{k} {v:.1f} s" for k, v in loads.items()))
    rss_after_load = peak_rss_gb()

    hashes = system.expert_config_hashes()
    per_expert: dict[str, float] = {spec.name: 0.0 for spec in system.experts}
    total_wall = total_cpu = total_audio = 0.0
    loads_seen = []
    for _ in range(args.repeat):
        for path in clips:
            wall0, cpu0 = time.perf_counter(), time.process_time()
            audio = load_audio(path)
            outputs = {}
            for spec in system.experts:
                out = run_expert(audio, system, spec.name, upstream_for(system, spec.name, outputs),
                                 config_hash=hashes[spec.name])
                outputs[spec.name] = out
                per_expert[spec.name] += out.elapsed_s
                if out.status != "ok":
                    print(f"  {spec.name}: {out.status}: {(out.error or '').splitlines()[0]}")
            events = fuse_outputs(system, outputs)
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            total_wall, total_cpu, total_audio = total_wall + wall, total_cpu + cpu, total_audio + audio.duration_s
            loads_seen.append(os.getloadavg()[0])
            print(f"  {path.name}: {audio.duration_s:5.1f} s audio, wall {wall:5.2f} s (RTF {wall / audio.duration_s:.3f}), "
                  f"CPU {cpu:5.2f} s, {len(events)} events")
            if args.show:
                for event in events:
                    text = event.transcription or event.description or ""
                    print(f"      {event.type:11s} {event.start_s:6.2f}-{event.end_s:6.2f} "
                          f"{event.speaker_id or '':10s} {event.language or '':3s} {text[:70]}")

    rtf = total_wall / total_audio
    peak = peak_rss_gb()
    print(f"RTF (wall, models warm) {rtf:.3f} over {total_audio:.0f} s of audio "
          f"[{'within' if rtf <= RTF_BUDGET else 'OVER'} the {RTF_BUDGET} budget]; "
          f"CPU-time RTF {total_cpu / total_audio:.3f}; mean load average during runs {np.mean(loads_seen):.1f}")
    print("compute per expert (s per 10 s of audio): " + ", ".join(
        f"{name} {10 * t / total_audio:.2f}" for name, t in per_expert.items()))
    print(f"peak RSS {peak:.2f} GB (after loading {rss_after_load:.2f} GB) "
          f"[{'within' if peak <= MEMORY_BUDGET_GB else 'OVER'} the {MEMORY_BUDGET_GB} GB budget]")
    return 0 if rtf <= RTF_BUDGET and peak <= MEMORY_BUDGET_GB else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: `uaap report` for 200 clips × 10 systems.

Synthetic keys and predictions (uaap.synthetic) are scored and written through the writer
functions (captions compared by exact text: no embedding model), with a short WAV per clip and
two nights of nightly snapshots, so the report has everything: leaderboards with intervals,
breakdowns, history, the overnight diff and the clip viewer. Then `uaap report` runs as a user
runs it (a fresh process) and the page size is measured. Goals: ≤ 15 s and HTML ≤ 5 MB.

    .venv/bin/python benchmarks/report_bench.py [--clips 200] [--systems 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=200)
    parser.add_argument("--systems", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--home", default=str(Path(__file__).parent / "out" / "report-home"))
    args = parser.parse_args()

    home = Path(args.home).resolve()
    shutil.rmtree(home, ignore_errors=True)
    os.environ["UAAP_HOME"] = str(home)
    import soundfile

    from uaap.scoring import load_profile, score_clip
    from uaap.synthetic import synthetic_keys, synthetic_prediction
    from uaap.warehouse import open_warehouse
    from uaap.warehouse.history import snapshot_run
    from uaap.warehouse.lb_cache import refresh_lb_cache
    from uaap.warehouse.writer import (
        finish_run, start_run, write_bench, write_clip_results, write_clips, write_predictions, write_profile,
        write_system,
    )
    from dataclasses import replace

    t0 = time.perf_counter()
    profile, profile_id = load_profile("soundscape-v1"), "soundscape-v1:bench:exact"
    audio = home / "audio"
    audio.mkdir(parents=True)
    tone = (0.1 * np.sin(2 * np.pi * 440 * np.arange(8000) / 8000)).astype(np.float32)
    items = []
    for clip, key in synthetic_keys(args.clips, seed=11, bench="report200"):
        path = audio / f"{clip.clip_id}.wav"
        soundfile.write(path, tone, 8000)
        items.append((replace(clip, audio_path=str(path), overlap=hash(clip.clip_id) % 4 == 0), key))
    systems = [f"system-{i:02d}" for i in range(args.systems)]

    def score(con, system: str, skill: float, seed: int) -> None:
        preds = [synthetic_prediction(k, system, skill=skill, seed=seed) for _, k in items]
        write_system(con, system, kind="imported")
        write_predictions(con, "report200", preds, {p.clip_id: [e.to_json() for e in p.events] for p in preds})
        results = [score_clip(k, p, profile, lambda a, b: float(a == b)) for (_, k), p in zip(items, preds)]
        write_clip_results(con, profile_id, "report200",
                           [(system, r.clip_id, k.sha256, p.sha256, r) for (_, k), p, r in zip(items, preds, results)])

    with open_warehouse() as con:
        write_bench(con, "report200", recipe="synthetic", params={"clips": args.clips}, source_dir=str(audio))
        write_clips(con, "report200", items)
        write_profile(con, profile_id, name="soundscape-v1", params={}, embedder_id="exact")
        for night, shift in ((date(2026, 5, 1), 0), (date(2026, 5, 2), 1)):
            for i, system in enumerate(systems):
                score(con, system, skill=min(1.0, i / max(1, len(systems) - 1) + 0.1 * shift * (i % 2)), seed=shift)
            run_id = f"bench-night-{night}"
            start_run(con, run_id, "nightly", {}, None, {})
            snapshot_run(con, run_id, night, "report200", profile_id, systems)
            finish_run(con, run_id, "completed", {"night": night.isoformat(), "steps": []})
        refresh_lb_cache(con, "report200", profile_id)
        n_events = con.execute("select count(*) from predictions").fetchall()[0][0]
    print(f"warehouse: {args.clips} clips × {len(systems)} systems, {n_events:,} predicted events, 2 nights; "
          f"built in {time.perf_counter() - t0:.1f} s")

    uaap = Path(sys.executable).parent / "uaap"
    out = home / "report"
    walls = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        done = subprocess.run([str(uaap), "report", "--bench", "report200", "--out", str(out)],
                              capture_output=True, text=True, env=dict(os.environ))
        walls.append(time.perf_counter() - t)
        if done.returncode:
            print(done.stderr)
            return 1
    html = out / "index.html"
    size_mb = html.stat().st_size / 1e6
    others = sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and p != html)
    wall = statistics.median(walls)
    print(f"uaap report: {wall:.2f} s (median of {args.repeat}: {', '.join(f'{w:.2f}' for w in walls)}); "
          f"index.html {size_mb:.2f} MB, other files {others} bytes (audio is referenced, not copied)")
    print(f"goals: ≤ 15 s {'met' if wall <= 15 else 'NOT met'}; HTML ≤ 5 MB {'met' if size_mb <= 5 else 'NOT met'}")
    print(f"open: {html.as_uri()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

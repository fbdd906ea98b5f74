"""Benchmark: score 200 clips × 10 systems (synthetic keys and predictions).

Prints the wall time of (1) a first run that also embeds every caption, (2) a cold scoring
run with embeddings cached in the warehouse but no task results cached, (3) a rerun with
nothing changed (every task cached), and the ratio cached / cold, all measured in one process.

    .venv/bin/python benchmarks/score_bench.py [--clips 200] [--systems 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=200)
    parser.add_argument("--systems", type=int, default=10)
    parser.add_argument("--home", default=str(Path(__file__).parent / "out" / "score-home"))
    args = parser.parse_args()

    home = Path(args.home).resolve()
    shutil.rmtree(home, ignore_errors=True)
    os.environ["UAAP_HOME"] = str(home)
    from uaap.flows.runtime import configure_prefect

    configure_prefect()
    from uaap.flows import score_system
    from uaap.home import results_dir
    from uaap.synthetic import synthetic_keys, synthetic_prediction
    from uaap.warehouse import open_warehouse
    from uaap.warehouse.writer import write_bench, write_clips, write_predictions, write_system

    items = synthetic_keys(args.clips, seed=7, bench="bench200")
    systems = [f"system-{i:02d}" for i in range(args.systems)]
    with open_warehouse() as con:
        write_bench(con, "bench200", recipe="synthetic", params={"clips": args.clips}, source_dir=None)
        write_clips(con, "bench200", items)
        for i, system in enumerate(systems):
            preds = [synthetic_prediction(key, system, skill=i / max(1, len(systems) - 1)) for _, key in items]
            write_system(con, system, kind="imported")
            write_predictions(con, "bench200", preds, {p.clip_id: [e.to_json() for e in p.events] for p in preds})
    n_preds = sum(len(synthetic_prediction(k, s, 0.5).events) for _, k in items[:20] for s in systems[:1]) / 20
    n_keys = sum(len(k.events) for _, k in items) / len(items)
    print(f"bench: {args.clips} clips × {len(systems)} systems; {n_keys:.1f} key events per clip, ~{n_preds:.1f} predictions")

    def timed(label: str) -> tuple[float, dict]:
        t0 = time.perf_counter()
        summary = score_system("bench200", ["all"], show_progress=False)
        wall = time.perf_counter() - t0
        print(f"{label:<44} {wall:7.2f} s   computed {summary['computed']:5d}  cached {summary['cached']:5d}  "
              f"embedded {summary['embedded']:4d}  failed {summary['failed']}")
        return wall, summary

    first, _ = timed("first run (embeds every caption)")
    shutil.rmtree(results_dir())
    cold, _ = timed("cold run (embeddings cached, no task cache)")
    cached, _ = timed("rerun, nothing changed (all tasks cached)")
    print(f"ratio cached / cold: {cached / cold:.3f}   (goal: cold ≤ 60 s on 2 cores: {'met' if cold <= 60 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

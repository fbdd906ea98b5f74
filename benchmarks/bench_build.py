"""Benchmark: build 50 soundscape clips from the real source pool and report the speed.

    .venv/bin/python benchmarks/bench_build.py [--n 50] [--seed 0] [--recipe soundscape]
        [--pool-dir $UAAP_HOME/sources] [--out DIR]

Builds the pool first if it has no manifest yet (timed separately). The budget from the
issue: 50 soundscape clips in at most 5 minutes on the 2-core machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from uaap.bench import bench_stats, build_clips, build_pool, default_pool_dir, load_pool, print_stats, read_bench_keys
from uaap.bench.pool import MANIFEST_NAME

BUDGET_S = 300.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--recipe", default="soundscape", choices=("soundscape", "snr"))
    parser.add_argument("--pool-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--stats", action="store_true", help="print the bench distribution too")
    args = parser.parse_args(argv)

    pool_dir = args.pool_dir or default_pool_dir()
    if not (pool_dir / MANIFEST_NAME).is_file():
        built = build_pool(pool_dir)
        print(f"pool: built {len(built.items)} items in {built.elapsed_s:.1f} s ({len(built.problems)} skipped)")
    t0 = time.perf_counter()
    pool = load_pool(pool_dir)
    load_s = time.perf_counter() - t0
    out = args.out or Path(tempfile.mkdtemp(prefix="uaap-bench-"))
    report = build_clips(out, args.n, args.seed, recipe=args.recipe, pool=pool)
    total_s = load_s + report.elapsed_s
    audio_s = sum(c.duration_s for c in report.clips)
    print(f"pool: {len(pool.items)} items from {pool_dir} (load + verify {load_s:.1f} s)")
    print(f"built {len(report.clips)} files from {args.n} {args.recipe} clips into {out}")
    print(
        f"wall time {total_s:.1f} s (build {report.elapsed_s:.1f} s); "
        f"{args.n / total_s * 60:.1f} clips/minute; {audio_s / 60:.1f} min of audio "
        f"({audio_s / max(report.elapsed_s, 1e-9):.0f}x real time)"
    )
    for problem in report.problems:
        print(f"skipped: {problem}")
    if args.stats:
        print_stats(bench_stats(read_bench_keys(out)))
    if args.recipe == "soundscape" and args.n == 50:
        verdict = "within" if total_s <= BUDGET_S else "OVER"
        print(f"budget: {total_s:.1f} s for 50 clips is {verdict} the {BUDGET_S:.0f} s budget")
    return 0 if not report.problems else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: orchestration overhead of the annotate flow, and the pipeline's real-time factor.

Builds (or reuses) a soundscape bench, warms the models, then runs ``annotate_bench`` cold (no
cached expert results) and prints, from one run:

- wall time of the flow vs the sum of the experts' own compute time (overhead ratio; goal ≤ 1.15),
- real-time factor = flow wall / seconds of audio (goal ≤ 0.5),
- peak RSS of the process (goal ≤ 3 GB), and the wall time of a cached rerun.

    .venv/bin/python benchmarks/annotate_overhead.py [--clips 6] [--system cpu-default]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--system", default="cpu-default")
    parser.add_argument("--home", default=str(Path(__file__).parent / "out" / "annotate-home"))
    args = parser.parse_args()

    home = Path(args.home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["UAAP_HOME"] = str(home)
    from uaap.flows.runtime import configure_prefect

    configure_prefect()
    from uaap.flows.annotate import annotate_bench
    from uaap.flows.build_bench import build_bench
    from uaap.home import results_dir
    from uaap.models.pipeline import warm_up
    from uaap.warehouse import open_warehouse

    bench = f"overhead-{args.seed}-{args.clips}"
    build_bench("soundscape", args.clips, args.seed, bench, show_progress=False)
    with open_warehouse() as con:
        audio_s = con.execute("select sum(duration_s) from clips where bench_id = ?", [bench]).fetchall()[0][0]
    t0 = time.perf_counter()
    warm = warm_up(args.system)
    print(f"models loaded in {time.perf_counter() - t0:.1f} s: {warm}")
    # cold: drop cached expert results (keep the bench clips' build results)
    for path in results_dir().glob("expert-*"):
        path.unlink()
    t0 = time.perf_counter()
    cold = annotate_bench(args.system, bench, show_progress=False)
    wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    cached = annotate_bench(args.system, bench, show_progress=False)
    rerun = time.perf_counter() - t0
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    compute = cold["expert_compute_s"]
    print(f"bench {bench}: {cold['clips']} clips, {audio_s:.1f} s of audio; system {args.system}")
    print(f"cold flow wall {wall:.1f} s; sum of expert compute {compute:.1f} s; overhead ratio {wall / compute:.3f} (goal ≤ 1.15)")
    print(f"real-time factor (flow wall / audio) {wall / audio_s:.3f} (goal ≤ 0.5)")
    print(f"cached rerun {rerun:.1f} s ({cached['cached']} cached, {cached['computed']} computed); ratio rerun/cold {rerun / wall:.3f}")
    print(f"peak RSS {rss_gb:.2f} GB (goal ≤ 3 GB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

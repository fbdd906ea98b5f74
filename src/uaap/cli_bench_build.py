"""CLI: ``uaap bench build`` and ``uaap bench stats``."""

from __future__ import annotations

import json

import click

__all__ = ["register"]


def register(main: click.Group) -> None:
    """Add ``build`` and ``stats`` to the ``uaap bench`` group."""
    from uaap.cli import _fail, _flows, _print_summary, _read_only

    bench = main.commands["bench"]

    @bench.command("build")
    @click.option("--recipe", type=click.Choice(["soundscape", "snr"]), default="soundscape", show_default=True)
    @click.option("--n", "n", type=click.IntRange(min=1), required=True, help="Number of (base) clips.")
    @click.option("--seed", type=int, default=0, show_default=True)
    @click.option("--name", "name", required=True, help="Bench name; clips go to $UAAP_HOME/benches/NAME.")
    @click.option("--pool", "pool_dir", default=None, help="Source pool folder (default $UAAP_HOME/sources).")
    def bench_build(recipe: str, n: int, seed: int, name: str, pool_dir: str | None) -> None:
        """Build a soundscape bench offline with exact answer keys (cached per clip), then import it."""
        _flows()
        from uaap.flows.build_bench import build_bench

        try:
            summary = build_bench(recipe, n, seed, name, pool_dir)
        except ValueError as exc:
            _fail(str(exc))
        _print_summary(dict(summary))

    @bench.command("stats")
    @click.argument("bench_name")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
    def bench_stats_cmd(bench_name: str, fmt: str) -> None:
        """The distribution to check before trusting a bench: durations, events, languages, SNR, overlap."""
        from uaap.bench.stats import bench_stats, print_stats
        from uaap.warehouse.read import bench_exists, load_answer_keys

        con = _read_only()
        try:
            if not bench_exists(con, bench_name):
                _fail(f"no bench named '{bench_name}' in the warehouse")
            keys = list(load_answer_keys(con, bench_name).values())
        finally:
            con.close()
        stats = bench_stats(keys)
        if fmt == "json":
            click.echo(json.dumps(stats, indent=2, default=str))
        else:
            print_stats(stats)

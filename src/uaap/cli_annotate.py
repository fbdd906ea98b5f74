"""CLI: ``uaap annotate`` and ``uaap systems``."""

from __future__ import annotations

import sys

import click

__all__ = ["register"]


def register(main: click.Group) -> None:
    """Add ``annotate`` and ``systems`` to the ``uaap`` command group."""
    from uaap.cli import _check, _fail, _flows, _print_summary

    @main.command()
    @click.option("--system", "system", required=True, help="A system in configs/systems/ or a YAML path.")
    @click.option("--bench", "bench_name", required=True)
    def annotate(system: str, bench_name: str) -> None:
        """Annotate every clip of a bench with a system of expert models (cached per clip × expert)."""
        from uaap.flows.checks import _require_bench
        from uaap.models.system import SystemConfigError, load_system

        _check(_require_bench, bench_name)
        try:
            load_system(system)
        except SystemConfigError as exc:
            _fail(str(exc))
        _flows()
        from uaap.flows.annotate import annotate_bench

        summary = annotate_bench(system, bench_name)
        _print_summary(dict(summary))
        if summary.get("failed"):
            click.echo(f"{summary['failed']} expert task(s) failed: uaap sql \"select * from errors where step = 'annotate'\"", err=True)
            sys.exit(1)

    @main.group()
    def systems() -> None:
        """Systems: expert pipelines defined in configs/systems/*.yaml."""

    @systems.command("list")
    def systems_list() -> None:
        """List the shipped systems and their experts."""
        from uaap.models.system import list_systems, load_system

        for name in list_systems():
            config = load_system(name)
            click.echo(f"{name:<18} {', '.join(s.name for s in config.experts)}")

"""CLI commands of the nightly part; `register` adds them to the `uaap` group."""

from __future__ import annotations

import click

__all__ = ["register"]


def register(main: click.Group) -> None:
    """Add this module's commands to the `uaap` command group."""

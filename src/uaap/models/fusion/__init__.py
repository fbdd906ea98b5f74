"""Fusion: expert outputs → UAAP events."""

from uaap.models.fusion.rules import RulesConfig, fuse

__all__ = ["RulesConfig", "fuse"]

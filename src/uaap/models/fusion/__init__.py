"""Fusion: expert outputs → UAAP events (:func:`uaap.models.fusion.rules.fuse`)."""

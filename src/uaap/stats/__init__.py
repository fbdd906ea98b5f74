"""Statistics over per-clip rows: clip-level bootstrap intervals and paired comparisons (numpy only)."""

from uaap.stats.bootstrap import (
    COLUMNS,
    FIELDS,
    LOWER_IS_BETTER,
    NEUTRAL,
    ClipSums,
    Interval,
    Paired,
    bootstrap_ci,
    bootstrap_ci_many,
    estimate,
    paired_bootstrap,
    paired_bootstrap_many,
    resample_weights,
)

__all__ = [
    "COLUMNS", "FIELDS", "LOWER_IS_BETTER", "NEUTRAL", "ClipSums", "Interval", "Paired",
    "bootstrap_ci", "bootstrap_ci_many", "estimate", "paired_bootstrap", "paired_bootstrap_many",
    "resample_weights",
]

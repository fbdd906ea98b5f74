"""Temporal intersection over union of two intervals (DESIGN rule 2)."""

from __future__ import annotations

import numpy as np

__all__ = ["iou", "iou_matrix"]


def iou(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    """Overlap ÷ union of two time intervals in seconds; 0 when they do not overlap.

    >>> iou(0.0, 4.0, 0.5, 4.0)
    0.875
    >>> round(iou(3.0, 6.0, 3.5, 6.5), 4)
    0.7143
    >>> iou(3.0, 6.0, 7.0, 8.0)
    0.0
    >>> iou(1.0, 1.0, 1.0, 1.0)  # empty intervals have no overlap
    0.0
    """
    overlap = min(a_end, b_end) - max(a_start, b_start)
    if overlap <= 0.0:
        return 0.0
    union = max(a_end, b_end) - min(a_start, b_start)
    return overlap / union if union > 0.0 else 0.0


def iou_matrix(a_starts, a_ends, b_starts, b_ends) -> np.ndarray:
    """IoU of every interval of ``a`` (rows) against every interval of ``b`` (columns).

    >>> iou_matrix([0.0, 3.0], [4.0, 6.0], [0.5, 7.0], [4.0, 8.0]).round(4).tolist()
    [[0.875, 0.0], [0.1818, 0.0]]
    """
    a_s = np.asarray(a_starts, dtype=np.float64)[:, None]
    a_e = np.asarray(a_ends, dtype=np.float64)[:, None]
    b_s = np.asarray(b_starts, dtype=np.float64)[None, :]
    b_e = np.asarray(b_ends, dtype=np.float64)[None, :]
    overlap = np.minimum(a_e, b_e) - np.maximum(a_s, b_s)
    union = np.maximum(a_e, b_e) - np.minimum(a_s, b_s)
    out = np.zeros(overlap.shape, dtype=np.float64)
    np.divide(overlap, union, out=out, where=(overlap > 0.0) & (union > 0.0))
    return out

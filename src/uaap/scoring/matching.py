"""One-to-one event matching within each event type (DESIGN rule 5)."""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from uaap.records import EVENT_TYPES, Event

__all__ = ["indices_by_type", "match_pairs"]


def indices_by_type(events: Sequence[Event], indices: Iterable[int] | None = None) -> dict[str, list[int]]:
    """Indices of the events of each known type; unknown types are left out (they never match).

    >>> indices_by_type([Event("music", 0, 1), Event("sound_event", 0, 1), Event("music", 2, 3)])
    {'speech': [], 'vocal_burst': [], 'sound_event': [1], 'music': [0, 2]}
    """
    out: dict[str, list[int]] = {t: [] for t in EVENT_TYPES}
    for i in range(len(events)) if indices is None else indices:
        bucket = out.get(events[i].type)
        if bucket is not None:
            bucket.append(i)
    return out


def match_pairs(
    iou: np.ndarray,
    meaning: np.ndarray,
    *,
    tiebreak_iou_eps: float = 1e-9,
    iou_zero_is_unmatched: bool = True,
) -> list[tuple[int, int]]:
    """Hungarian assignment of key rows to prediction columns maximising Σ IoU·meaning.

    ``tiebreak_iou_eps·IoU`` is added to each weight so that, among equally good
    assignments, overlapping partners win (a key event whose only overlapping guess has
    meaning 0 is matched to it, not to a guess elsewhere). Assigned pairs with IoU = 0
    are dropped when ``iou_zero_is_unmatched``.

    Args:
        iou: ``(n_key, n_pred)`` IoU matrix of one event type.
        meaning: ``(n_key, n_pred)`` meaning of each pair (any value where IoU = 0).
        tiebreak_iou_eps: weight of the IoU tie-break.
        iou_zero_is_unmatched: drop assigned pairs that do not overlap.

    Returns:
        ``[(key_row, pred_col), ...]`` sorted by key row.

    >>> iou = np.array([[0.5, 0.9], [0.8, 0.0]])
    >>> match_pairs(iou, np.ones_like(iou))
    [(0, 1), (1, 0)]
    >>> match_pairs(np.array([[0.0, 0.4]]), np.array([[1.0, 0.0]]))
    [(0, 1)]
    """
    if iou.size == 0:
        return []
    weight = np.where(iou > 0.0, iou * meaning + tiebreak_iou_eps * iou, 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return [
        (i, j)
        for i, j in zip(rows.tolist(), cols.tolist())
        if not (iou_zero_is_unmatched and iou[i, j] <= 0.0)
    ]

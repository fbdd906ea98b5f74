"""Speaker map: predicted speaker labels → answer-key speakers by overlap (DESIGN rule 6)."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from uaap.records import TEXT_FIELDS, Event
from uaap.scoring.profile import DEFAULT_PROFILE, ScoringProfile

__all__ = ["speaker_map", "overlap_seconds"]

_CONTENT_FIELDS = tuple(f for f in TEXT_FIELDS if f != "speaker_id")


def overlap_seconds(
    key_events: Sequence[Event], pred_events: Sequence[Event], types: Sequence[str] = ("speech",)
) -> tuple[list[str], list[str], np.ndarray]:
    """Seconds of overlap between every key speaker (rows) and predicted speaker (columns).

    Sums the pairwise overlaps of the speakers' events of the given types; events without
    a speaker are left out. Key speakers are sorted by label; predicted speakers by what
    they said and when (never by label), so renaming them cannot change a tie-break.

    >>> key = [Event("speech", 0, 4, speaker_id="s1")]
    >>> pred = [Event("speech", 0.5, 4, speaker_id="A"), Event("speech", 3, 5, speaker_id="B")]
    >>> ks, ps, seconds = overlap_seconds(key, pred)
    >>> ks, ps, seconds.tolist()
    (['s1'], ['A', 'B'], [[3.5, 1.0]])
    """
    key_segs = [e for e in key_events if e.type in types and e.speaker_id]
    pred_segs = [e for e in pred_events if e.type in types and e.speaker_id]
    key_speakers = sorted({e.speaker_id for e in key_segs})  # type: ignore[type-var]
    pred_speakers = _pred_speakers_in_content_order(pred_events, {e.speaker_id for e in pred_segs})
    if not key_segs or not pred_segs:
        return key_speakers, pred_speakers, np.zeros((len(key_speakers), len(pred_speakers)))
    ks = np.array([e.start_s for e in key_segs])[:, None]
    ke = np.array([e.end_s for e in key_segs])[:, None]
    ps = np.array([e.start_s for e in pred_segs])[None, :]
    pe = np.array([e.end_s for e in pred_segs])[None, :]
    pair = np.clip(np.minimum(ke, pe) - np.maximum(ks, ps), 0.0, None)
    k_row = {s: i for i, s in enumerate(key_speakers)}
    p_col = {s: j for j, s in enumerate(pred_speakers)}
    k_onehot = np.zeros((len(key_segs), len(key_speakers)))
    k_onehot[np.arange(len(key_segs)), [k_row[e.speaker_id] for e in key_segs]] = 1.0
    p_onehot = np.zeros((len(pred_segs), len(pred_speakers)))
    p_onehot[np.arange(len(pred_segs)), [p_col[e.speaker_id] for e in pred_segs]] = 1.0
    return key_speakers, pred_speakers, k_onehot.T @ pair @ p_onehot


def _pred_speakers_in_content_order(pred_events: Sequence[Event], speakers: set) -> list[str]:
    signature: dict[str, list[tuple]] = {s: [] for s in speakers}
    for e in pred_events:
        if e.speaker_id in signature:
            signature[e.speaker_id].append(
                (e.type, e.start_s, e.end_s, *((getattr(e, f) or "") for f in _CONTENT_FIELDS))
            )
    return sorted(speakers, key=lambda s: (sorted(signature[s]), s))


def speaker_map(
    key_events: Sequence[Event],
    pred_events: Sequence[Event],
    profile: ScoringProfile = DEFAULT_PROFILE,
) -> dict[str, str]:
    """One-to-one map predicted speaker → key speaker maximising the total overlap seconds.

    Speakers are first matched over ``speaker_map_types`` (speech); the ones left over are then
    matched among themselves over ``speaker_map_fallback_types`` (vocal bursts), so a burst by
    someone who never speaks can still be attributed. Pairs the assignment makes with overlap
    ≤ ``profile.speaker_map_min_overlap_s`` stay unmapped; an unmapped predicted speaker never
    gets speaker credit.

    Args:
        key_events: the answer key's events (all types; only ``speaker_map_types`` are used).
        pred_events: the valid predicted events.
        profile: the scoring profile.

    Returns:
        ``{predicted speaker: key speaker}``.

    >>> key = [Event("speech", 0, 4, speaker_id="s1"), Event("speech", 5, 9, speaker_id="s2")]
    >>> pred = [Event("speech", 0, 4, speaker_id="B"), Event("speech", 5, 8, speaker_id="A"),
    ...         Event("speech", 20, 21, speaker_id="C")]
    >>> speaker_map(key, pred)
    {'B': 's1', 'A': 's2'}
    """
    mapping = _assign(key_events, pred_events, profile.speaker_map_types, profile.speaker_map_min_overlap_s)
    if profile.speaker_map_fallback_types:
        # speakers heard only in bursts (a laugh from someone who never speaks) are matched among
        # the speakers the first pass left over, by overlap of those events
        taken = set(mapping.values())
        rest_key = [e for e in key_events if e.speaker_id not in taken]
        rest_pred = [e for e in pred_events if e.speaker_id not in mapping]
        mapping.update(_assign(rest_key, rest_pred, profile.speaker_map_fallback_types, profile.speaker_map_min_overlap_s))
    return mapping


def _assign(key_events: Sequence[Event], pred_events: Sequence[Event], types: Sequence[str], min_overlap_s: float) -> dict[str, str]:
    key_speakers, pred_speakers, seconds = overlap_seconds(key_events, pred_events, types)
    if not key_speakers or not pred_speakers:
        return {}
    rows, cols = linear_sum_assignment(seconds, maximize=True)
    return {
        pred_speakers[j]: key_speakers[i]
        for i, j in zip(rows.tolist(), cols.tolist())
        if seconds[i, j] > min_overlap_s
    }

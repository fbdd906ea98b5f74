"""Score one system's prediction of one clip against its answer key (DESIGN rules 1–9)."""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from uaap.records import (
    EVENT_TYPES,
    TEXT_FIELDS,
    AnswerKey,
    ClipResult,
    ClipScore,
    Event,
    EventMatch,
    Prediction,
    PredOutcome,
)
from uaap.scoring.captions import caption_text
from uaap.scoring.iou import iou_matrix
from uaap.scoring.matching import indices_by_type, match_pairs
from uaap.scoring.profile import ScoringProfile
from uaap.scoring.speakers import speaker_map
from uaap.scoring.text import word_acc, word_errors

__all__ = ["Similarity", "ScoringError", "score_clip", "is_scorable", "clip_prf"]

#: ``similarity(a, b) -> cosine`` of two non-empty captions. An object that also has
#: ``matrix(texts_a, texts_b) -> ndarray`` (such as :class:`~uaap.scoring.cosine.CosineTable`)
#: is asked for whole matrices at once. Results are clipped to the profile's ``cos_clip``.
Similarity = Callable[[str, str], float]

_SOUND_TYPES = frozenset({"sound_event", "music"})
_CONTENT_FIELDS = tuple(f for f in TEXT_FIELDS if f != "speaker_id")


class ScoringError(ValueError):
    """Inputs that cannot be scored together (for example a key and a prediction of different clips)."""


def is_scorable(event: Event) -> bool:
    """A known type and finite times with ``0 ≤ start < end`` (hygiene for events built in code).

    >>> is_scorable(Event("music", 0.0, 1.0)), is_scorable(Event("noise", 0.0, 1.0))
    (True, False)
    >>> is_scorable(Event("music", 2.0, 1.0)), is_scorable(Event("music", float("nan"), 1.0))
    (False, False)
    """
    try:
        start, end = float(event.start_s), float(event.end_s)
    except (TypeError, ValueError):
        return False
    return event.type in EVENT_TYPES and math.isfinite(start) and math.isfinite(end) and 0.0 <= start < end


def clip_prf(score_sum: float, n_key: int, n_pred: int, empty_key_clip: str) -> tuple[float, float, float]:
    """Soft per-clip precision, recall and F1 from the summed event scores (rule 8).

    A clip without key events scores 1 when nothing was predicted and 0 otherwise under
    ``"perfect_if_no_predictions"``, and always 0 under ``"zero"``.

    >>> [round(x, 4) for x in clip_prf(1.2, 2, 3, "perfect_if_no_predictions")]
    [0.4, 0.6, 0.48]
    >>> clip_prf(0.0, 0, 0, "perfect_if_no_predictions"), clip_prf(0.0, 0, 2, "perfect_if_no_predictions")
    ((1.0, 1.0, 1.0), (0.0, 0.0, 0.0))
    """
    if n_key == 0:
        perfect = empty_key_clip == "perfect_if_no_predictions" and n_pred == 0
        value = 1.0 if perfect else 0.0
        return value, value, value
    recall = score_sum / n_key
    precision = score_sum / n_pred if n_pred else 0.0
    total = precision + recall
    f1 = 2.0 * precision * recall / total if total != 0.0 else 0.0
    return precision, recall, f1


def _canonical(event: Event, mapped_speaker: str) -> tuple:
    """Content order of predictions (never input order or raw speaker label) for tie-breaks."""
    return (event.start_s, event.end_s, mapped_speaker, *((getattr(event, f) or "") for f in _CONTENT_FIELDS))


def _cos_matrix(
    similarity: Similarity,
    key_texts: Sequence[str],
    pred_texts: Sequence[str],
    wanted: np.ndarray,
    profile: ScoringProfile,
) -> np.ndarray:
    """Cosines of the wanted (key, pred) pairs; empty captions give ``empty_text_cos``."""
    lo, hi = profile.cos_clip
    matrix = getattr(similarity, "matrix", None)
    if matrix is not None:
        out = np.clip(np.asarray(matrix(key_texts, pred_texts), dtype=np.float64), lo, hi)
    else:
        out = np.zeros((len(key_texts), len(pred_texts)), dtype=np.float64)
        for i, j in zip(*np.nonzero(wanted)):
            if key_texts[i] and pred_texts[j]:
                out[i, j] = min(hi, max(lo, float(similarity(key_texts[i], pred_texts[j]))))
    empty_rows = [i for i, t in enumerate(key_texts) if not t]
    empty_cols = [j for j, t in enumerate(pred_texts) if not t]
    if empty_rows:
        out[empty_rows, :] = profile.empty_text_cos
    if empty_cols:
        out[:, empty_cols] = profile.empty_text_cos
    return out


def score_clip(key: AnswerKey, pred: Prediction, profile: ScoringProfile, similarity: Similarity) -> ClipResult:
    """Match, score and total one prediction of one clip.

    Args:
        key: the clip's answer key.
        pred: one system's prediction of that clip (valid and invalid events).
        profile: the scoring profile.
        similarity: caption cosine, e.g. a :class:`~uaap.scoring.cosine.CosineTable`.

    Returns:
        A :class:`~uaap.records.ClipResult`: one :class:`EventMatch` per key event, one
        :class:`PredOutcome` per prediction and the clip's :class:`ClipScore`.
    """
    if pred.clip_id != key.clip_id:
        raise ScoringError(
            f"prediction of system '{pred.system}' is for clip '{pred.clip_id}' but the answer key is for "
            f"clip '{key.clip_id}'; pass the key and prediction of the same clip"
        )
    clip_id = key.clip_id
    key_events = key.events
    pred_events = pred.events
    scorable = [i for i, e in enumerate(pred_events) if is_scorable(e)]
    spk_map = speaker_map(key_events, [pred_events[i] for i in scorable], profile)
    key_by_type = indices_by_type(key_events)
    pred_by_type = indices_by_type(pred_events, scorable)
    w_how, w_acc = profile.speech_meaning_weights

    matches: dict[int, EventMatch] = {}
    partner_of_pred: dict[int, int] = {}
    iou_max: dict[int, float] = {}

    for etype in EVENT_TYPES:
        k_idx = key_by_type[etype]
        p_idx = pred_by_type[etype]
        if not p_idx:
            continue
        p_idx = sorted(p_idx, key=lambda j: _canonical(pred_events[j], spk_map.get(pred_events[j].speaker_id, "")))
        if not k_idx:
            iou_max.update((j, 0.0) for j in p_idx)
            continue
        k_ev = [key_events[i] for i in k_idx]
        p_ev = [pred_events[j] for j in p_idx]
        ious = iou_matrix(
            [e.start_s for e in k_ev], [e.end_s for e in k_ev], [e.start_s for e in p_ev], [e.end_s for e in p_ev]
        )
        iou_max.update(zip(p_idx, ious.max(axis=0).tolist()))
        overlapping = ious > 0.0
        if profile.iou_zero_is_unmatched and not overlapping.any():
            continue
        k_txt = [caption_text(e, profile) for e in k_ev]
        p_txt = [caption_text(e, profile) for e in p_ev]
        wanted = overlapping if profile.iou_zero_is_unmatched else np.ones_like(overlapping)
        cos = _cos_matrix(similarity, k_txt, p_txt, wanted, profile)
        wer: dict[tuple[int, int], tuple[int, int, float]] = {}

        def wer_of(r: int, c: int) -> tuple[int, int, float]:
            got = wer.get((r, c))
            if got is None:
                edits, units = word_errors(
                    k_ev[r].transcription, p_ev[c].transcription, k_ev[r].language,
                    cjk_languages=profile.cjk_languages,
                )
                got = wer[(r, c)] = (edits, units, word_acc(edits, units, profile.wer_clip))
            return got

        if etype == "speech":
            meaning = np.zeros_like(cos)
            for r, c in zip(*np.nonzero(overlapping)):
                meaning[r, c] = w_how * cos[r, c] + w_acc * wer_of(int(r), int(c))[2]
        else:
            meaning = cos
        pairs = match_pairs(
            ious, meaning,
            tiebreak_iou_eps=profile.match_tiebreak_iou_eps,
            iou_zero_is_unmatched=profile.iou_zero_is_unmatched,
        )
        for r, c in pairs:
            k_e, p_e = k_ev[r], p_ev[c]
            iou_rc, cos_rc = float(ious[r, c]), float(cos[r, c])
            if etype == "speech":
                edits, units, acc = wer_of(r, c)
                meaning_rc = w_how * cos_rc + w_acc * acc
            else:
                edits, units, acc, meaning_rc = 0, 0, None, cos_rc
            if etype in profile.speaker_types:
                if k_e.speaker_id:
                    spk_ok: bool | None = spk_map.get(p_e.speaker_id or "") == k_e.speaker_id
                else:
                    spk_ok = profile.key_speaker_missing_ok
            else:
                spk_ok = None
            reward = iou_rc * meaning_rc
            matches[k_idx[r]] = EventMatch(
                clip_id=clip_id,
                type=etype,
                key_idx=k_idx[r],
                pred_idx=p_idx[c],
                iou=iou_rc,
                cos=cos_rc,
                wer_edits=edits,
                wer_ref_units=units,
                word_acc=acc,
                meaning=meaning_rc,
                spk_ok=spk_ok,
                reward=reward,
                score=reward if spk_ok is not False else 0.0,
                iou_cos=iou_rc * cos_rc,
                language=k_e.language if etype == "speech" else None,
            )
            partner_of_pred[p_idx[c]] = k_idx[r]

    match_list = tuple(
        matches.get(i) or _missed(clip_id, i, e) for i, e in enumerate(key_events)
    )
    outcomes = _pred_outcomes(clip_id, pred, set(scorable), partner_of_pred, iou_max, profile)
    return ClipResult(
        clip_id=clip_id,
        system=pred.system,
        matches=match_list,
        pred_outcomes=outcomes,
        totals=_totals(match_list, outcomes, len(key_events), profile),
        speaker_map=spk_map,
    )


def _missed(clip_id: str, key_idx: int, event: Event) -> EventMatch:
    return EventMatch(
        clip_id=clip_id,
        type=event.type,
        key_idx=key_idx,
        pred_idx=None,
        iou=0.0,
        cos=0.0,
        wer_edits=0,
        wer_ref_units=0,
        word_acc=None,
        meaning=0.0,
        spk_ok=None,
        reward=0.0,
        score=0.0,
        iou_cos=0.0,
        language=event.language if event.type == "speech" else None,
    )


def _pred_outcomes(
    clip_id: str,
    pred: Prediction,
    scorable: set[int],
    partner_of_pred: dict[int, int],
    iou_max: dict[int, float],
    profile: ScoringProfile,
) -> tuple[PredOutcome, ...]:
    by_unmatched = profile.halluc_rule == "unmatched"
    out = []
    for j, e in enumerate(pred.events):
        partner = partner_of_pred.get(j)
        best = iou_max.get(j, 0.0)
        valid = j in scorable
        halluc = (not valid) or (partner is None if by_unmatched else best <= 0.0)
        out.append(PredOutcome(clip_id, j, e.type, valid, halluc, partner, best))
    offset = len(pred.events)
    for j, bad in enumerate(pred.invalid):
        out.append(PredOutcome(clip_id, offset + j, bad.type, False, True, None, 0.0))
    return tuple(out)


def _totals(
    matches: Sequence[EventMatch], outcomes: Sequence[PredOutcome], n_key: int, profile: ScoringProfile
) -> ClipScore:
    score_sum = reward_sum = iou_cos_sum = iou_sum = how_cos_sum = snd_cos_sum = 0.0
    n_matched = wer_edits = wer_units = n_speech = n_snd = n_spk_ok = 0
    for m in matches:
        if m.pred_idx is None:
            continue
        n_matched += 1
        score_sum += m.score
        reward_sum += m.reward
        iou_cos_sum += m.iou_cos
        iou_sum += m.iou
        if m.type == "speech":
            n_speech += 1
            how_cos_sum += m.cos
            wer_edits += m.wer_edits
            wer_units += m.wer_ref_units
            n_spk_ok += m.spk_ok is not False
        elif m.type in _SOUND_TYPES:
            n_snd += 1
            snd_cos_sum += m.cos
    n_pred = len(outcomes)
    precision, recall, f1 = clip_prf(score_sum, n_key, n_pred, profile.empty_key_clip)
    return ClipScore(
        n_clips=1,
        n_key=n_key,
        n_pred=n_pred,
        n_invalid=sum(not o.valid for o in outcomes),
        n_halluc=sum(o.halluc for o in outcomes),
        n_matched=n_matched,
        score_sum=score_sum,
        reward_sum=reward_sum,
        iou_cos_sum=iou_cos_sum,
        iou_sum=iou_sum,
        f1_sum=f1,
        recall_sum=recall,
        precision_sum=precision,
        wer_edits=wer_edits,
        wer_ref_units=wer_units,
        n_speech_matched=n_speech,
        how_cos_sum=how_cos_sum,
        n_snd_matched=n_snd,
        snd_cos_sum=snd_cos_sum,
        n_spk_ok=n_spk_ok,
    )

"""Bench totals and leaderboard columns: sum the clips, then divide (DESIGN rule 9)."""

from __future__ import annotations

from typing import Iterable

from uaap.records import ClipResult, ClipScore

__all__ = ["LEADERBOARD_COLUMNS", "bench_totals", "leaderboard_row"]

LEADERBOARD_COLUMNS: tuple[str, ...] = (
    "reward", "iou_cos", "iou", "f1", "recall", "wer", "how_cos", "snd_cos", "spk_acc", "halluc",
    "pred_per_clip", "true_per_clip",
)


def bench_totals(results: Iterable[ClipResult | ClipScore]) -> ClipScore:
    """The sum of the clips' sums and counts.

    >>> bench_totals([ClipScore(n_clips=1, n_key=2), ClipScore(n_clips=1, n_key=3)]).n_key
    5
    """
    total = ClipScore.zero()
    for item in results:
        total = total + (item.totals if isinstance(item, ClipResult) else item)
    return total


def leaderboard_row(totals: ClipScore) -> dict[str, float | None]:
    """The leaderboard columns of a bench total, as fractions (``None`` where a column has no data).

    Reward, IoU×cos and IoU are micro-averages over key events; F1 and recall are means
    over clips; WER pools edits and reference units of matched speech; how/snd cos and
    spkAcc are means over matched pairs; halluc is over all predictions.

    >>> leaderboard_row(ClipScore(n_clips=1, n_key=2, n_pred=3, n_halluc=1, reward_sum=1.0))["halluc"]
    0.3333333333333333
    """
    return {
        "reward": totals.reward,
        "iou_cos": totals.iou_cos,
        "iou": totals.iou,
        "f1": totals.f1,
        "recall": totals.recall,
        "wer": totals.wer,
        "how_cos": totals.how_cos,
        "snd_cos": totals.snd_cos,
        "spk_acc": totals.spk_acc,
        "halluc": totals.halluc,
        "pred_per_clip": totals.pred_per_clip,
        "true_per_clip": totals.true_per_clip,
    }

"""Prefect tasks of the scoring flow: pure, cached by content, written by one writer."""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from uaap.records import AnswerKey, ClipResult, Prediction, sha256_text
from uaap.scoring import ScoringProfile, score_clip
from uaap.tasks.retry import retry_transient

__all__ = ["SCORER_VERSION", "register_similarity", "score_cache_key", "score_clip_task", "write_scores_task"]

#: Bump when scoring code changes in a way that changes numbers: it is part of every cache key.
SCORER_VERSION = "1"

_SIMILARITY: dict[str, Any] = {}


def register_similarity(profile_id: str, similarity: Any) -> None:
    """Make the cosine table of a profile available to the score tasks of this process."""
    _SIMILARITY[profile_id] = similarity


def score_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    """Content, never paths: answer key + every prediction scored + profile id + scorer version."""
    key: AnswerKey = parameters["key"]
    preds: tuple[Prediction, ...] = parameters["preds"]
    body = sha256_text(key.sha256 + "|" + "|".join(p.sha256 for p in preds))
    profile = parameters["profile_id"].replace(":", "_")
    return f"score-v{SCORER_VERSION}-{profile}-{body[:40]}"


@task(
    cache_key_fn=score_cache_key,
    persist_result=True,
    task_run_name="score-{clip_id}",
    retries=0,
)
def score_clip_task(
    clip_id: str, key: AnswerKey, preds: tuple[Prediction, ...], profile: ScoringProfile, profile_id: str
) -> tuple[ClipResult, ...]:
    """Score one clip: each system's prediction against the clip's answer key."""
    similarity = _SIMILARITY.get(profile_id)
    if similarity is None:
        raise RuntimeError(f"no caption similarity registered for profile {profile_id}; score through score_system")
    return tuple(score_clip(key, pred, profile, similarity) for pred in preds)


@task(
    cache_policy=NO_CACHE,
    retries=3,
    retry_delay_seconds=[1, 3, 10],
    retry_condition_fn=retry_transient,
    task_run_name="write-scores-{bench_id}",
)
def write_scores_task(profile_id: str, bench_id: str, rows: list[tuple]) -> int:
    """Upsert score rows (the single writer)."""
    from uaap.warehouse import open_warehouse
    from uaap.warehouse.writer import write_clip_results

    with open_warehouse() as con:
        return write_clip_results(con, profile_id, bench_id, rows)

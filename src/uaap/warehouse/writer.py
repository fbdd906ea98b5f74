"""The single writer: idempotent upserts of records into the warehouse.

Every function takes an open read-write connection and runs in one transaction. Rows that
belong to one (system, clip) or (profile, system, clip) are deleted and written again, so a
rerun, a resumed run or a changed input leaves exactly one current copy.
"""

from __future__ import annotations

import json
import traceback
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

import duckdb

from uaap.records import AnswerKey, Clip, Event, Prediction, canonical_json
from uaap.warehouse.db import insert_rows

__all__ = [
    "transaction",
    "event_columns",
    "write_bench",
    "write_clips",
    "write_system",
    "write_predictions",
    "write_profile",
    "write_embeddings",
    "write_clip_results",
    "write_expert_outputs",
    "write_errors",
    "error_row",
    "start_run",
    "finish_run",
]

EVENT_TEXT_COLUMNS = (
    "transcription", "speaker_id", "language", "emotion", "speaking_style", "vocal_burst", "description", "loudness",
)


class transaction:
    """``with transaction(con): ...`` commits on success and rolls back on error."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.con.execute("begin transaction")
        return self.con

    def __exit__(self, exc_type, exc, tb) -> None:
        self.con.execute("rollback" if exc_type else "commit")


def event_columns(event: Event) -> tuple[Any, ...]:
    """(type, start_s, end_s, *text columns) of an event."""
    return (event.type, event.start_s, event.end_s, *(getattr(event, c) for c in EVENT_TEXT_COLUMNS))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def write_bench(con, bench_id: str, *, recipe: str | None, params: dict[str, Any] | None, source_dir: str | None) -> None:
    with transaction(con):
        con.execute(
            "insert or replace into benches (bench_id, recipe, params, source_dir) values (?, ?, ?, ?)",
            [bench_id, recipe, _json(params or {}), source_dir],
        )


def write_clips(con, bench_id: str, items: Sequence[tuple[Clip, AnswerKey]]) -> int:
    """Upsert clips and replace their answer-key events."""
    if not items:
        return 0
    clip_rows, event_rows = [], []
    for clip, key in items:
        clip_rows.append((
            bench_id, clip.clip_id, clip.audio_path, clip.audio_sha256, clip.duration_s, clip.sample_rate,
            clip.channels, list(clip.languages), clip.num_speakers, clip.snr_db, clip.overlap, clip.recipe,
            key.sha256, _json(dict(clip.meta)),
        ))
        for idx, event in enumerate(key.events):
            event_rows.append((bench_id, clip.clip_id, idx, *event_columns(event), _json(event.to_json())))
    with transaction(con):
        con.execute(
            "delete from answer_events where bench_id = ? and clip_id in (select unnest(?))",
            [bench_id, [c.clip_id for c, _ in items]],
        )
        insert_rows(con, "clips", (
            "bench_id", "clip_id", "audio_path", "audio_sha256", "duration_s", "sample_rate", "channels",
            "languages", "num_speakers", "snr_db", "overlap", "recipe", "key_sha256", "meta",
        ), clip_rows)
        insert_rows(con, "answer_events", (
            "bench_id", "clip_id", "event_idx", "type", "start_s", "end_s", *EVENT_TEXT_COLUMNS, "event_json",
        ), event_rows)
    return len(clip_rows)


def write_system(con, system_id: str, *, kind: str, config: dict[str, Any] | None = None) -> None:
    config = config or {}
    from uaap.records import sha256_text

    with transaction(con):
        con.execute(
            "insert into systems (system_id, kind, config, config_hash) values (?, ?, ?, ?) "
            "on conflict (system_id) do update set kind = excluded.kind, config = excluded.config, "
            "config_hash = excluded.config_hash",
            [system_id, kind, _json(config), sha256_text(canonical_json(config))],
        )


def write_predictions(con, bench_id: str, predictions: Sequence[Prediction], raw_events: dict[str, list[Any]]) -> int:
    """Replace the predictions of each (system, clip); ``raw_events`` maps clip_id to the submitted events.

    The raw event objects are kept (``event_json``) so that loading re-parses exactly what was
    submitted; invalid events keep their field and reason.
    """
    if not predictions:
        return 0
    set_rows, event_rows = [], []
    for pred in predictions:
        status = "file_error" if pred.file_error else ("missing" if pred.missing else "ok")
        set_rows.append((
            pred.system, bench_id, pred.clip_id, status, pred.source, pred.sha256,
            len(pred.events), len(pred.invalid), pred.file_error,
        ))
        invalid_by_index = {inv.index: inv for inv in pred.invalid}
        valid_iter = iter(pred.events)
        for idx, raw in enumerate(raw_events.get(pred.clip_id, [])):
            inv = invalid_by_index.get(idx)
            if inv is not None:
                event_rows.append((
                    pred.system, bench_id, pred.clip_id, idx, False, inv.field, inv.message, inv.type,
                    None, None, *([None] * len(EVENT_TEXT_COLUMNS)), _json(raw),
                ))
            else:
                event = next(valid_iter)
                event_rows.append((
                    pred.system, bench_id, pred.clip_id, idx, True, None, None, *event_columns(event), _json(raw),
                ))
    systems = sorted({p.system for p in predictions})
    with transaction(con):
        for system in systems:
            clip_ids = [p.clip_id for p in predictions if p.system == system]
            con.execute(
                "delete from predictions where system_id = ? and bench_id = ? and clip_id in (select unnest(?))",
                [system, bench_id, clip_ids],
            )
        insert_rows(con, "prediction_sets", (
            "system_id", "bench_id", "clip_id", "status", "source", "pred_sha256", "n_events", "n_invalid", "error",
        ), set_rows)
        insert_rows(con, "predictions", (
            "system_id", "bench_id", "clip_id", "event_idx", "valid", "invalid_field", "invalid_reason",
            "type", "start_s", "end_s", *EVENT_TEXT_COLUMNS, "event_json",
        ), event_rows)
    return len(set_rows)


def write_profile(con, profile_id: str, *, name: str, params: dict[str, Any], embedder_id: str) -> None:
    with transaction(con):
        con.execute(
            "insert or replace into profiles (profile_id, name, params, embedder_id) values (?, ?, ?, ?)",
            [profile_id, name, _json(params), embedder_id],
        )


def write_embeddings(con, embedder_id: str, items: Sequence[tuple[str, str, Sequence[float]]]) -> int:
    """Store ``(text_sha256, text, vector)`` triples of one embedder."""
    rows = [(embedder_id, sha, text, [float(x) for x in vec]) for sha, text, vec in items]
    with transaction(con):
        return insert_rows(con, "embeddings", ("embedder_id", "text_sha256", "text", "vector"), rows)


def write_clip_results(con, profile_id: str, bench_id: str, results: Iterable[tuple[str, str, str, Any]]) -> int:
    """Replace the scores of each (profile, system, clip).

    ``results`` holds ``(system_id, clip_id, key_sha256, pred_sha256, ClipResult)``.
    """
    match_rows, outcome_rows, clip_rows, targets = [], [], [], []
    for system_id, clip_id, key_sha, pred_sha, result in results:
        t = result.totals
        targets.append((system_id, clip_id))
        for m in result.matches:
            match_rows.append((
                profile_id, system_id, bench_id, clip_id, m.type, m.key_idx, m.pred_idx, m.language, m.iou, m.cos,
                m.word_acc, m.wer_edits, m.wer_ref_units, m.meaning, m.spk_ok, m.reward, m.score, m.iou_cos,
            ))
        for o in result.pred_outcomes:
            outcome_rows.append((
                profile_id, system_id, bench_id, clip_id, o.pred_idx, o.type, o.valid, o.halluc, o.key_idx,
            ))
        clip_rows.append((
            profile_id, system_id, bench_id, clip_id, key_sha, pred_sha, t.n_key, t.n_pred, t.n_invalid,
            t.n_halluc, t.n_matched, t.score_sum, t.reward_sum, t.iou_cos_sum, t.iou_sum, t.precision_sum,
            t.recall_sum, t.f1_sum, t.wer_edits, t.wer_ref_units, t.n_speech_matched, t.how_cos_sum,
            t.n_snd_matched, t.snd_cos_sum, t.n_spk_ok,
        ))
    if not clip_rows:
        return 0
    with transaction(con):
        for table in ("event_matches", "pred_outcomes"):
            con.execute(
                f"delete from {table} where profile_id = ? and bench_id = ? and (system_id, clip_id) in "
                "(select unnest(?), unnest(?))",
                [profile_id, bench_id, [s for s, _ in targets], [c for _, c in targets]],
            )
        insert_rows(con, "event_matches", (
            "profile_id", "system_id", "bench_id", "clip_id", "type", "key_idx", "pred_idx", "language", "iou",
            "cos", "word_acc", "wer_edits", "wer_ref_units", "meaning", "spk_ok", "reward", "score", "iou_cos",
        ), match_rows)
        insert_rows(con, "pred_outcomes", (
            "profile_id", "system_id", "bench_id", "clip_id", "pred_idx", "type", "valid", "halluc", "key_idx",
        ), outcome_rows)
        insert_rows(con, "clip_scores", (
            "profile_id", "system_id", "bench_id", "clip_id", "key_sha256", "pred_sha256", "n_key", "n_pred",
            "n_invalid", "n_halluc", "n_matched", "score_sum", "reward_sum", "iou_cos_sum", "iou_sum", "precision",
            "recall", "f1", "wer_edits", "wer_ref_units", "n_speech_matched", "how_cos_sum", "n_snd_matched",
            "snd_cos_sum", "n_spk_ok",
        ), clip_rows)
    return len(clip_rows)


def write_expert_outputs(con, outputs: Sequence[Any]) -> int:
    """Upsert :class:`~uaap.records.ExpertOutput` records by (clip sha, expert, version, config hash)."""
    rows = [
        (o.clip_sha256, o.expert, o.expert_version, o.config_hash, _json(dict(o.payload)), o.elapsed_s, o.status, o.error)
        for o in outputs
    ]
    with transaction(con):
        return insert_rows(con, "expert_outputs", (
            "clip_sha256", "expert", "expert_version", "config_hash", "payload", "elapsed_s", "status", "error",
        ), rows)


def error_row(
    step: str,
    message: str,
    *,
    bench_id: str = "",
    clip_id: str = "",
    system_id: str = "",
    item: str = "",
    exc: BaseException | None = None,
    detail: str | None = None,
) -> dict[str, Any]:
    """An ``errors`` row (without run id); ``exc`` adds a traceback excerpt."""
    if exc is not None and detail is None:
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=4))[-2000:]
    return {
        "step": step, "bench_id": bench_id, "clip_id": clip_id, "system_id": system_id,
        "item": item, "message": message, "detail": detail,
    }


def write_errors(con, run_id: str, rows: Sequence[dict[str, Any]]) -> int:
    if not rows:
        return 0
    seen: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        seen[(r["step"], r["bench_id"], r["clip_id"], r["system_id"], r["item"])] = r
    cols = ("run_id", "step", "bench_id", "clip_id", "system_id", "item", "message", "detail")
    with transaction(con):
        return insert_rows(con, "errors", cols, [(run_id, *(r[c] for c in cols[1:])) for r in seen.values()])


def start_run(con, run_id: str, flow: str, parameters: dict[str, Any], git_commit: str | None, versions: dict[str, str]) -> None:
    with transaction(con):
        con.execute(
            "insert or replace into runs (run_id, flow, parameters, git_commit, package_versions, started_at, status) "
            "values (?, ?, ?, ?, ?, ?, 'running')",
            [run_id, flow, _json(parameters), git_commit, _json(versions), datetime.now(timezone.utc).replace(tzinfo=None)],
        )


def finish_run(con, run_id: str, status: str, summary: dict[str, Any]) -> None:
    with transaction(con):
        con.execute(
            "update runs set finished_at = ?, status = ?, summary = ? where run_id = ?",
            [datetime.now(timezone.utc).replace(tzinfo=None), status, _json(summary), run_id],
        )

"""Everything the report shows, read from the warehouse into one JSON-ready mapping.

Per-clip data is compact (arrays, a shared string table, rounded numbers), so a report of
200 clips × 10 systems stays well under 5 MB; the page's script renders it.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import quote

from uaap.records import EVENT_TYPES
from uaap.stats.bootstrap import COLUMNS
from uaap.warehouse.confidence import (
    GROUPING_ORDER, NotEnoughNights, diff_runs, group_key, load_clip_groups, row_intervals,
)
from uaap.warehouse.db import fetch_dicts
from uaap.warehouse.leaderboards import GROUPINGS, leaderboard, resolve_profile

__all__ = ["collect_report_data"]

_LABEL_CHARS = 90


class _Strings:
    """A string table: each distinct text is stored once and referred to by index."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str | None) -> int:
        text = (text or "")[:_LABEL_CHARS]
        if text not in self._index:
            self._index[text] = len(self.items)
            self.items.append(text)
        return self._index[text]


def _r(x: Any, digits: int = 4) -> Any:
    return round(float(x), digits) if isinstance(x, (int, float)) and not isinstance(x, bool) and x == x else None


def _label(type_: str, text: str | None, speaker: str | None, language: str | None) -> str:
    parts = []
    if speaker:
        parts.append(f"[{speaker}]")
    if language and type_ == "speech":
        parts.append(f"({language})")
    if text:
        parts.append(text)
    return " ".join(parts)


def _audio_href(audio_path: str | None, out_dir: Path, copied: dict[str, str]) -> str | None:
    if not audio_path:
        return None
    if audio_path in copied:
        return copied[audio_path]
    path = Path(audio_path)
    try:
        rel = os.path.relpath(path, out_dir)
    except ValueError:  # another drive (Windows): fall back to a file URL
        return path.resolve().as_uri()
    return quote(rel.replace(os.sep, "/"))


def _leaderboards(con, bench: str, profile_id: str, systems: Sequence[str], resamples: int, seed: int) -> dict[str, Any]:
    groups = load_clip_groups(con, bench, profile_id, systems=systems)
    intervals = row_intervals(groups, list(groups.tables), resamples=resamples, seed=seed)
    out: dict[str, Any] = {}
    for by in GROUPING_ORDER:
        _, group_col, group_name = GROUPINGS[by]
        rows = [r for r in leaderboard(con, bench, by, profile_id) if r["system"] in systems]
        shaped = []
        for r in rows:
            value = group_key(r.get(group_name)) if group_name else ""
            found = intervals.get((r["system"], by, value), {})
            row = {"system": r["system"], **({"group": value} if group_name else {})}
            row.update({c: _r(r.get(c)) for c in COLUMNS})
            row["ci"] = {c: [_r(i.lo), _r(i.hi)] for c, i in found.items() if i.lo is not None}
            shaped.append(row)
        out[by] = shaped
    return out


def _history(con, bench: str, profile_id: str) -> dict[str, Any]:
    rows = fetch_dicts(
        con,
        "select night, system_id, reward, f1, run_status from lb_history where bench_id = ? and profile_id = ? "
        "order by night, system_id",
        [bench, profile_id],
    )
    nights = sorted({str(r["night"]) for r in rows})
    series: dict[str, list[Any]] = {}
    for r in rows:
        series.setdefault(r["system_id"], [None] * len(nights))[nights.index(str(r["night"]))] = _r(r["reward"])
    return {"nights": nights, "reward": series}


def _diff(con, bench: str, profile_id: str, resamples: int, seed: int) -> dict[str, Any] | None:
    try:
        meta, rows = diff_runs(con, bench, profile=profile_id, resamples=resamples, seed=seed)
    except (NotEnoughNights, LookupError):
        return None
    return {"meta": meta, "rows": [{k: (_r(v) if isinstance(v, float) else v) for k, v in r.items()} for r in rows]}


def _last_run(con) -> dict[str, Any] | None:
    rows = fetch_dicts(
        con,
        "select run_id, status, started_at, finished_at, git_commit, summary from runs where flow = 'nightly' "
        "order by started_at desc limit 1",
    )
    if not rows:
        return None
    r = rows[0]
    summary = json.loads(r["summary"]) if r["summary"] else {}
    failed = [s for s in summary.get("steps", []) if s.get("status") in ("failed", "partial")]
    return {
        "run_id": r["run_id"], "status": r["status"], "started_at": str(r["started_at"]),
        "finished_at": str(r["finished_at"]) if r["finished_at"] else None, "git_commit": r["git_commit"],
        "night": summary.get("night"), "seconds": summary.get("seconds"),
        "failed_steps": [{"step": s["step"], "bench": s.get("bench"), "system": s.get("system"),
                          "error": (s.get("error") or "")[:300]} for s in failed],
    }


def _clips(con, bench: str, profile_id: str, systems: list[str], out_dir: Path, copied: dict[str, str]) -> dict[str, Any]:
    strings = _Strings()
    type_index = {t: i for i, t in enumerate(EVENT_TYPES)}
    clips = fetch_dicts(
        con,
        "select clip_id, duration_s, audio_path, languages, snr_db, overlap from clips where bench_id = ? order by clip_id",
        [bench],
    )
    index = {c["clip_id"]: i for i, c in enumerate(clips)}
    n = len(clips)
    key: list[list[Any]] = [[] for _ in range(n)]
    for clip_id, type_, start, end, text, desc, burst, speaker, language in con.execute(
        "select clip_id, type, start_s, end_s, transcription, description, vocal_burst, speaker_id, language "
        "from answer_events where bench_id = ? order by clip_id, event_idx",
        [bench],
    ).fetchall():
        label = _label(type_, text or desc or burst, speaker, language)
        key[index[clip_id]].append([type_index.get(type_, -1), _r(start, 2), _r(end, 2), strings(label)])
    sys_index = {s: j for j, s in enumerate(systems)}
    pred: list[list[list[Any]]] = [[[] for _ in systems] for _ in range(n)]
    for system, clip_id, type_, start, end, text, desc, burst, speaker, language, halluc in con.execute(
        "with valid as (select system_id, clip_id, event_idx, type, start_s, end_s, transcription, description, "
        "vocal_burst, speaker_id, language, "
        "row_number() over (partition by system_id, clip_id order by event_idx) - 1 as pred_idx "
        "from predictions where bench_id = ? and valid and system_id in (select unnest(?))) "
        "select v.system_id, v.clip_id, v.type, v.start_s, v.end_s, v.transcription, v.description, v.vocal_burst, "
        "v.speaker_id, v.language, o.halluc from valid v left join pred_outcomes o on o.profile_id = ? "
        "and o.bench_id = ? and o.system_id = v.system_id and o.clip_id = v.clip_id and o.pred_idx = v.pred_idx "
        "order by v.clip_id, v.system_id, v.event_idx",
        [bench, systems, profile_id, bench],
    ).fetchall():
        if clip_id not in index:
            continue
        label = _label(type_, text or desc or burst, speaker, language)
        pred[index[clip_id]][sys_index[system]].append(
            [type_index.get(type_, -1), _r(start, 2), _r(end, 2), strings(label), 1 if halluc else 0]
        )
    scores: list[list[Any]] = [[None for _ in systems] for _ in range(n)]
    for system, clip_id, f1, reward_sum, n_key, n_pred, n_invalid in con.execute(
        "select system_id, clip_id, f1, reward_sum, n_key, n_pred, n_invalid from clip_scores "
        "where bench_id = ? and profile_id = ? and system_id in (select unnest(?))",
        [bench, profile_id, systems],
    ).fetchall():
        if clip_id in index:
            scores[index[clip_id]][sys_index[system]] = [
                _r(f1, 3), _r(reward_sum / n_key, 3) if n_key else None, n_pred, n_invalid,
            ]
    return {
        "ids": [c["clip_id"] for c in clips],
        "duration": [_r(c["duration_s"], 2) for c in clips],
        "audio": [_audio_href(c["audio_path"], out_dir, copied) for c in clips],
        "languages": [",".join(c["languages"] or []) for c in clips],
        "snr": [_r(c["snr_db"], 1) for c in clips],
        "overlap": [bool(c["overlap"]) for c in clips],
        "types": list(EVENT_TYPES),
        "systems": systems,
        "texts": strings.items,
        "key": key,
        "pred": pred,
        "scores": scores,
    }


def collect_report_data(
    con, bench: str, out_dir: Path, *, profile: str | None = None, resamples: int = 1000, seed: int = 0,
    copied_audio: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The report's data: leaderboards with 95 % intervals, breakdowns, history, last diff, clips."""
    profile_id = resolve_profile(con, bench, profile)
    systems = [r["system"] for r in leaderboard(con, bench, "overall", profile_id)]
    return {
        "bench": bench,
        "profile": profile_id,
        "generated_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "resamples": resamples,
        "seed": seed,
        "columns": list(COLUMNS),
        "group_names": {by: GROUPINGS[by][2] for by in GROUPING_ORDER if GROUPINGS[by][2]},
        "leaderboards": _leaderboards(con, bench, profile_id, systems, resamples, seed),
        "history": _history(con, bench, profile_id),
        "diff": _diff(con, bench, profile_id, resamples, seed),
        "last_run": _last_run(con),
        "clips": _clips(con, bench, profile_id, systems, out_dir, copied_audio or {}),
    }

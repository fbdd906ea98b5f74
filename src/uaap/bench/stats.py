"""Distribution of a built bench: clips, durations, events, languages, speakers, overlap, SNR."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping

from uaap.records import AnswerKey

__all__ = ["read_bench_keys", "bench_stats", "stats_tables", "print_stats"]

_DURATION_BINS = ((0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60), (60, 10**9))
_SNR_BINS = ((-1e9, -7.5), (-7.5, -2.5), (-2.5, 2.5), (2.5, 7.5), (7.5, 12.5), (12.5, 20.0), (20.0, 1e9))
_SNR_NAMES = ("< -7.5", "-7.5..-2.5", "-2.5..2.5", "2.5..7.5", "7.5..12.5", "12.5..20", ">= 20")


def read_bench_keys(bench_dir: str | Path) -> list[dict[str, Any]]:
    """Every ``*.json`` answer key of a bench folder (files without ``events`` are skipped)."""
    keys: list[dict[str, Any]] = []
    for path in sorted(Path(bench_dir).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("events"), list):
            keys.append(data)
    return keys


def _bin(value: float, bins: tuple[tuple[float, float], ...], names: tuple[str, ...] | None = None) -> str:
    for i, (lo, hi) in enumerate(bins):
        if lo <= value < hi:
            return names[i] if names else (f"{lo:g}-{hi:g}" if hi < 10**8 else f">= {lo:g}")
    return "other"


def _summary(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"n": 0, "mean": None, "min": None, "max": None, "total": 0.0}
    return {
        "n": len(values),
        "mean": round(sum(values) / len(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "total": round(sum(values), 3),
    }


def bench_stats(keys_and_meta: Iterable[AnswerKey | Mapping[str, Any]]) -> dict[str, Any]:
    """Distribution of a bench from its answer keys (records or the JSON wrappers).

    >>> s = bench_stats([{"clip_id": "c", "duration": 12.0, "num_speakers": 1, "languages": ["en"],
    ...                   "events": [{"type": "speech", "start_time": 1, "end_time": 2, "language": "en"}],
    ...                   "overlap": False, "snr_db": None}])
    >>> s["clips"], s["events_per_type"], s["overlap_rate"], s["snr_db"]["buckets"]
    (1, {'speech': 1}, 0.0, {'none': 1})
    """
    keys = [k.to_json() if isinstance(k, AnswerKey) else dict(k) for k in keys_and_meta]
    durations = [float(k.get("duration", 0.0)) for k in keys]
    per_type: Counter[str] = Counter()
    per_clip_events: list[float] = []
    speech_langs: Counter[str] = Counter()
    clip_langs: Counter[str] = Counter()
    n_languages: Counter[int] = Counter()
    speakers: Counter[int] = Counter()
    speech_speakers: Counter[int] = Counter()
    backgrounds: Counter[str] = Counter()
    recipes: Counter[str] = Counter()
    variants: Counter[str] = Counter()
    bursts: Counter[str] = Counter()
    sfx: Counter[str] = Counter()
    human: Counter[str] = Counter()
    snrs: list[float] = []
    snr_buckets: Counter[str] = Counter()
    overlaps = 0
    for k in keys:
        events = k.get("events", [])
        per_clip_events.append(float(len(events)))
        langs = set()
        for ev in events:
            per_type[ev.get("type", "?")] += 1
            if ev.get("type") == "speech":
                if ev.get("language"):
                    speech_langs[ev["language"]] += 1
                    langs.add(ev["language"])
                if "human" in ev:
                    human["human" if ev["human"] else "synthetic"] += 1
            elif ev.get("type") == "vocal_burst" and ev.get("vocal_burst"):
                bursts[ev["vocal_burst"]] += 1
            elif ev.get("type") == "sound_event" and ev.get("label") and ev.get("layer") == "foreground":
                sfx[ev["label"]] += 1
        for lang in k.get("languages") or sorted(langs):
            clip_langs[lang] += 1
        n_languages[len(k.get("languages") or langs)] += 1
        speakers[int(k.get("num_speakers", 0))] += 1
        if "num_speech_speakers" in k:
            speech_speakers[int(k["num_speech_speakers"])] += 1
        backgrounds[str(k.get("background", "unknown"))] += 1
        recipes[str(k.get("recipe", "unknown"))] += 1
        variants[str(k.get("variant", "base"))] += 1
        if k.get("overlap"):
            overlaps += 1
        snr = k.get("snr_db")
        if isinstance(snr, (int, float)):
            snrs.append(float(snr))
            snr_buckets[_bin(float(snr), _SNR_BINS, _SNR_NAMES)] += 1
        else:
            snr_buckets["none"] += 1
    n = len(keys)
    return {
        "clips": n,
        "duration_s": {
            **_summary(durations),
            "bins": dict(
                sorted(
                    Counter(_bin(d, _DURATION_BINS) for d in durations).items(),
                    key=lambda kv: float(kv[0].split("-")[0].lstrip(">= ")),
                )
            ),
        },
        "events_per_type": dict(per_type.most_common()),
        "events_per_clip": _summary(per_clip_events),
        "speech_events_per_language": dict(sorted(speech_langs.items())),
        "clips_per_language": dict(sorted(clip_langs.items())),
        "languages_per_clip": dict(sorted(n_languages.items())),
        "speakers_per_clip": dict(sorted(speakers.items())),
        "speech_speakers_per_clip": dict(sorted(speech_speakers.items())),
        "speech_human_vs_synthetic": dict(sorted(human.items())),
        "overlap_rate": round(overlaps / n, 4) if n else 0.0,
        "snr_db": {
            **_summary(snrs),
            "buckets": {name: snr_buckets[name] for name in (*_SNR_NAMES, "none") if snr_buckets[name]},
        },
        "background": dict(backgrounds.most_common()),
        "recipe": dict(recipes.most_common()),
        "variant": dict(variants.most_common()),
        "vocal_bursts": dict(bursts.most_common()),
        "sound_effects_top": dict(sfx.most_common(15)),
    }


def stats_tables(stats: Mapping[str, Any]) -> list[Any]:
    """Rich tables for :func:`bench_stats` output (rich is imported here, not at module load)."""
    from rich.table import Table

    overview = Table(title=f"bench: {stats['clips']} clips", show_header=True)
    overview.add_column("measure")
    overview.add_column("value", justify="right")
    d = stats["duration_s"]
    snr = stats["snr_db"]
    overview.add_row("total duration", f"{d['total']:.1f} s" if d["n"] else "-")
    overview.add_row(
        "clip duration: mean (min-max)", f"{d['mean']:.1f} s ({d['min']:.1f}-{d['max']:.1f})" if d["n"] else "-"
    )
    e = stats["events_per_clip"]
    overview.add_row(
        "events per clip: mean (min-max)", f"{e['mean']:.2f} ({e['min']:.0f}-{e['max']:.0f})" if e["n"] else "-"
    )
    overview.add_row("overlap rate", f"{stats['overlap_rate']:.1%}")
    overview.add_row(
        "SNR: mean (min-max), clips",
        f"{snr['mean']:.1f} dB ({snr['min']:.1f}-{snr['max']:.1f}), {snr['n']}" if snr["n"] else "-",
    )
    overview.add_row(
        "speech: human / synthetic",
        " / ".join(f"{v} {k}" for k, v in stats["speech_human_vs_synthetic"].items()) or "-",
    )

    tables = [overview]
    for title, key in (
        ("duration (s)", ("duration_s", "bins")),
        ("events per type", ("events_per_type",)),
        ("speech events per language", ("speech_events_per_language",)),
        ("clips per language", ("clips_per_language",)),
        ("speakers per clip (speech + bursts)", ("speakers_per_clip",)),
        ("speech speakers per clip", ("speech_speakers_per_clip",)),
        ("SNR (dB)", ("snr_db", "buckets")),
        ("background", ("background",)),
        ("variant", ("variant",)),
        ("vocal bursts", ("vocal_bursts",)),
        ("sound effects (top 15)", ("sound_effects_top",)),
    ):
        data: Any = stats
        for part in key:
            data = data.get(part, {})
        if not data:
            continue
        table = Table(title=title)
        table.add_column("value")
        table.add_column(
            "clips"
            if "clips" in title or "per clip" in title or title in ("duration (s)", "SNR (dB)", "background", "variant")
            else "count",
            justify="right",
        )
        table.add_column("share", justify="right")
        total = sum(data.values()) or 1
        for name, count in data.items():
            table.add_row(str(name), str(count), f"{count / total:.0%}")
        tables.append(table)
    return tables


def print_stats(stats: Mapping[str, Any], console: Any = None) -> None:
    """Print the rich tables of a bench's distribution."""
    from rich.console import Console

    console = console or Console()
    for table in stats_tables(stats):
        console.print(table)

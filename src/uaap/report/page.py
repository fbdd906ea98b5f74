"""The report page: one self-contained ``index.html`` (inline CSS, script, SVG plots and JSON data)."""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from typing import Any

from uaap.report.svg import color_of, grouped_bar_chart, interval_chart, line_chart

__all__ = ["render_page"]

_GROUP_TITLES = {"type": "event type", "language": "language", "snr": "SNR band", "overlap": "overlapping speech"}


def _asset(name: str) -> str:
    return resources.files("uaap.report").joinpath("assets", name).read_text(encoding="utf-8")


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _breakdown_plot(by: str, rows: list[dict[str, Any]], systems: list[str], colors: dict[str, str]) -> str:
    groups = sorted({r["group"] for r in rows}, key=lambda g: (g in ("-", "n/a", "(invalid)"), g))
    values = {(r["group"], r["system"]): r["reward"] for r in rows}
    return grouped_bar_chart(f"Reward by {_GROUP_TITLES[by]}", groups, systems, values, colors=colors)


def _last_run_html(run: dict[str, Any] | None) -> str:
    if not run:
        return '<span class="meta">no nightly run recorded yet (uaap nightly)</span>'
    status = escape(run["status"] or "")
    out = (f'last nightly run: <span class="status {status}">{status}</span> '
           f'night {escape(str(run.get("night") or "?"))}, started {escape(run["started_at"][:16])} UTC')
    if run.get("seconds") is not None:
        out += f", {run['seconds']:.0f} s"
    if run.get("git_commit"):
        out += f", commit {escape(run['git_commit'][:10])}"
    if run.get("failed_steps"):
        items = "".join(
            f"<li>{escape(s['step'])} {escape(s.get('bench') or '')} {escape(s.get('system') or '')}: "
            f"{escape(s.get('error') or '')}</li>" for s in run["failed_steps"][:10]
        )
        out += f'<details><summary>{len(run["failed_steps"])} step(s) failed</summary><ul>{items}</ul></details>'
    return out


def render_page(data: dict[str, Any]) -> str:
    """The whole page as one string."""
    systems = data["clips"]["systems"]
    colors = {s: color_of(i) for i, s in enumerate(systems)}
    overall = data["leaderboards"]["overall"]
    reward_plot = interval_chart(
        "Reward with 95 % interval",
        [(r["system"], r["reward"], *(r["ci"].get("reward") or [None, None])) for r in overall],
        colors=colors,
    )
    f1_plot = interval_chart(
        "F1 with 95 % interval",
        [(r["system"], r["f1"], *(r["ci"].get("f1") or [None, None])) for r in overall],
        colors=colors,
    )
    tabs, panels = [], []
    for i, by in enumerate(("type", "language", "snr", "overlap")):
        rows = data["leaderboards"].get(by, [])
        active = " active" if i == 0 else ""
        tabs.append(f'<button type="button" data-by="{by}" class="{active.strip()}">{escape(_GROUP_TITLES[by])}</button>')
        plot = _breakdown_plot(by, rows, systems, colors) if rows else '<p class="empty">no rows</p>'
        panels.append(
            f'<div class="breakdown{active}" id="breakdown-{by}-panel"><div class="row">'
            f'<div class="card">{plot}</div></div>'
            f'<div id="breakdown-table-{by}"></div></div>'
        )
    history = data["history"]
    if history["nights"]:
        history_html = f'<div class="card">{line_chart("Reward per night", history["nights"], history["reward"], colors=colors)}</div>'
    else:
        history_html = '<p class="empty">No nightly history yet: run uaap nightly.</p>'
    title = f"uaap report — {data['bench']}"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_asset("report.css")}</style>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<div class="meta">profile <code>{escape(data["profile"])}</code> · {len(data["clips"]["ids"])} clips · {len(systems)} systems ·
generated {escape(data["generated_at"])} · intervals: 95 % clip-level bootstrap, {data["resamples"]} resamples, seed {data["seed"]}</div>
<div class="meta">{_last_run_html(data.get("last_run"))}</div>
</header>
<nav><a href="#leaderboard-section">Leaderboard</a><a href="#breakdowns">Breakdowns</a><a href="#history">History</a><a href="#clips">Clips</a></nav>
<main>
<section id="leaderboard-section">
<h2>Leaderboard</h2>
<p class="note">Click a column to sort. Rates are fractions in [0, 1]; WER and halluc: lower is better.
Grey under each number: its 95 % interval over resampled clips.</p>
<div id="leaderboard-host"></div>
<div class="row" style="margin-top:14px"><div class="card">{reward_plot}</div><div class="card">{f1_plot}</div></div>
</section>
<section id="breakdowns">
<h2>Breakdowns</h2>
<div class="tabs">{"".join(tabs)}</div>
{"".join(panels)}
</section>
<section id="history">
<h2>History</h2>
{history_html}
<h3>What changed since the night before</h3>
<div id="diff-host"></div>
</section>
<section id="clips">
<h2>Clips</h2>
<p class="note">Pick a clip to hear it and see the answer key against every system's events
(one lane each; click a column to sort the clips).</p>
<div id="clip-list-wrap"></div>
<div id="clip-viewer" class="card"></div>
</section>
</main>
<script type="application/json" id="uaap-data">{_json_for_script(data)}</script>
<script>{_asset("report.js")}</script>
</body>
</html>
"""

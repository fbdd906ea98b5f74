"""Hand-made SVG plots for the report (no plotting library, no external files).

>>> svg = interval_chart("Reward", [("a", 0.5, 0.4, 0.6)])
>>> svg.startswith('<svg class="plot"') and "<title>a: 0.500 [0.400, 0.600]</title>" in svg
True
"""

from __future__ import annotations

from html import escape
from typing import Sequence

__all__ = ["PALETTE", "color_of", "interval_chart", "grouped_bar_chart", "line_chart"]

#: Ten distinguishable colours (the "tab10" cycle); systems keep their colour across plots.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")

_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def color_of(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _x_axis(x0: float, width: float, y: float, height: float, lo: float, hi: float) -> list[str]:
    out = []
    for k in range(6):
        v = lo + (hi - lo) * k / 5
        x = x0 + width * k / 5
        out.append(f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y + height:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{x:.1f}" y="{y + height + 13:.1f}" text-anchor="middle" fill="#555">{v:.2f}</text>')
    return out


def interval_chart(title: str, rows: Sequence[tuple[str, float | None, float | None, float | None]],
                   *, width: int = 580, colors: dict[str, str] | None = None) -> str:
    """One horizontal bar per system with its 95 % interval as a whisker: ``(label, value, lo, hi)``."""
    label_w, bar_h, gap, top = 130, 16, 6, 26
    plot_w = width - label_w - 50
    height = top + len(rows) * (bar_h + gap) + 24
    parts = [f'<svg class="plot" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" {_FONT}>',
             f'<text x="0" y="14" font-weight="600" font-size="13">{escape(title)}</text>']
    parts += _x_axis(label_w, plot_w, top - 4, len(rows) * (bar_h + gap), 0.0, 1.0)
    for i, (label, value, lo, hi) in enumerate(rows):
        y = top + i * (bar_h + gap)
        color = (colors or {}).get(label, color_of(i))
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">{escape(label)}</text>')
        w = max(0.0, min(1.0, value or 0.0)) * plot_w
        parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}" '
                     f'opacity="0.85"><title>{escape(label)}: {_fmt(value)} [{_fmt(lo)}, {_fmt(hi)}]</title></rect>')
        if lo is not None and hi is not None:
            x1, x2 = label_w + max(0, min(1, lo)) * plot_w, label_w + max(0, min(1, hi)) * plot_w
            ym = y + bar_h / 2
            parts.append(f'<path d="M{x1:.1f} {ym:.1f}H{x2:.1f}M{x1:.1f} {ym - 5:.1f}v10M{x2:.1f} {ym - 5:.1f}v10" '
                         f'stroke="#222" stroke-width="1.5" fill="none"/>')
        right = max(w, (max(0.0, min(1.0, hi)) * plot_w) if hi is not None else 0.0)
        parts.append(f'<text x="{label_w + right + 5:.1f}" y="{y + bar_h - 4}" fill="#333">{_fmt(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(title: str, groups: Sequence[str], systems: Sequence[str],
                      values: dict[tuple[str, str], float | None], *, width: int = 640,
                      colors: dict[str, str] | None = None) -> str:
    """Horizontal bars: one block per group, one bar per system (value in [0, 1])."""
    label_w, bar_h, block_gap, top = 120, 9, 10, 26
    plot_w = width - label_w - 50
    block_h = len(systems) * bar_h + block_gap
    height = top + len(groups) * block_h + 40 + 14 * ((len(systems) + 3) // 4)
    parts = [f'<svg class="plot" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" {_FONT}>',
             f'<text x="0" y="14" font-weight="600" font-size="13">{escape(title)}</text>']
    parts += _x_axis(label_w, plot_w, top - 4, len(groups) * block_h, 0.0, 1.0)
    for g, group in enumerate(groups):
        y0 = top + g * block_h
        parts.append(f'<text x="{label_w - 6}" y="{y0 + len(systems) * bar_h / 2 + 4:.1f}" text-anchor="end">'
                     f'{escape(group)}</text>')
        for s, system in enumerate(systems):
            value = values.get((group, system))
            if value is None:
                continue
            w = max(0.0, min(1.0, value)) * plot_w
            color = (colors or {}).get(system, color_of(s))
            parts.append(f'<rect class="bar" x="{label_w}" y="{y0 + s * bar_h:.1f}" width="{w:.1f}" '
                         f'height="{bar_h - 1}" fill="{color}"><title>{escape(system)} · {escape(group)}: '
                         f'{_fmt(value)}</title></rect>')
    legend_y = top + len(groups) * block_h + 24
    for s, system in enumerate(systems):
        x = label_w + (s % 4) * (plot_w / 4)
        y = legend_y + (s // 4) * 14
        color = (colors or {}).get(system, color_of(s))
        parts.append(f'<rect x="{x:.1f}" y="{y - 8}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{x + 14:.1f}" y="{y + 1}">{escape(system)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, xs: Sequence[str], series: dict[str, Sequence[float | None]], *, width: int = 640,
               height: int = 240, colors: dict[str, str] | None = None) -> str:
    """One line per system over the nights (values in [0, 1]); gaps where a night has no value."""
    left, right, top, bottom = 40, 130, 26, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(xs) - 1)
    parts = [f'<svg class="plot" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" {_FONT}>',
             f'<text x="0" y="14" font-weight="600" font-size="13">{escape(title)}</text>']
    for k in range(6):
        y = top + plot_h * (1 - k / 5)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e5e5e5"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{k / 5:.1f}</text>')
    every = max(1, len(xs) // 8)
    for i, x in enumerate(xs):
        if i % every == 0 or i == len(xs) - 1:
            parts.append(f'<text x="{left + i * step:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                         f'fill="#555">{escape(x[5:] if len(x) == 10 else x)}</text>')
    for s, (system, values) in enumerate(series.items()):
        color = (colors or {}).get(system, color_of(s))
        path, pen = [], "M"
        for i, v in enumerate(values):
            if v is None:
                pen = "M"
                continue
            path.append(f"{pen}{left + i * step:.1f} {top + plot_h * (1 - max(0, min(1, v))):.1f}")
            pen = "L"
            parts.append(f'<circle cx="{left + i * step:.1f}" cy="{top + plot_h * (1 - max(0, min(1, v))):.1f}" r="2.5" '
                         f'fill="{color}"><title>{escape(system)} {escape(xs[i])}: {_fmt(v)}</title></circle>')
        if path:
            parts.append(f'<path d="{"".join(path)}" stroke="{color}" stroke-width="1.8" fill="none"/>')
        parts.append(f'<rect x="{left + plot_w + 12}" y="{top + s * 14}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{left + plot_w + 26}" y="{top + s * 14 + 9}">{escape(system)}</text>')
    parts.append("</svg>")
    return "".join(parts)

"""Charts as inline SVG drawn on the server: no script, no CDN, readable on a phone.

Each function returns markup that scales to its container (viewBox + width 100%) and
carries <title> tooltips, so a value can be read by hovering or tapping a bar.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#c8102e", "#f0a020", "#2a7ab8", "#3a9d5d", "#8e5bb5", "#6b7b8c", "#d9667a", "#1f9aa3")
WIDTH, HEIGHT = 560, 250
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 34, 30


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    color: str


def series(named: Sequence[tuple[str, Sequence[float | None]]]) -> list[Series]:
    return [Series(name, values, PALETTE[i % len(PALETTE)]) for i, (name, values) in enumerate(named)]


def grouped_bars(labels: Sequence[str], data: Sequence[Series], *, percent: bool = True) -> Markup:
    """Side-by-side bars per label (e.g. the three rates per grid); values 0..1 when `percent`."""
    top = 1.0 if percent else max([v or 0 for s in data for v in s.values] + [1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    bar = min(slot * 0.8 / max(len(data), 1), 40)
    parts = _axis(top, percent)
    for i, label in enumerate(labels):
        start = LEFT + i * slot + (slot - bar * len(data)) / 2
        for j, line in enumerate(data):
            value = line.values[i]
            height = (value or 0) / top * plot_h
            x, y = start + j * bar, TOP + plot_h - height
            shown = "—" if value is None else _fmt(value, percent)
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{height:.1f}" '
                         f'fill="{line.color}" rx="2"><title>{escape(label)} {escape(line.name)}：{shown}</title></rect>')
            if value is not None and bar >= 18:
                parts.append(f'<text x="{x + bar / 2 - 1:.1f}" y="{y - 3:.1f}" class="v">{shown}</text>')
        parts.append(_label(LEFT + i * slot + slot / 2, label))
    return _svg(parts, data)


def stacked_bars(labels: Sequence[str], data: Sequence[Series]) -> Markup:
    """One bar per label (a day or a month), split by series (categories, 三事 kinds)."""
    totals = [sum(s.values[i] or 0 for s in data) for i in range(len(labels))]
    top = _nice(max(totals + [1]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    bar = max(min(slot * 0.75, 36), 2)
    parts = _axis(top, False)
    step = max(len(labels) // 10, 1)  # at most ~10 date labels, so they never overlap
    for i, label in enumerate(labels):
        x, y = LEFT + i * slot + (slot - bar) / 2, TOP + plot_h
        for line in data:
            height = (line.values[i] or 0) / top * plot_h
            if height:
                y -= height
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                             f'fill="{line.color}"><title>{escape(label)} {escape(line.name)}：'
                             f'{line.values[i]:.0f}</title></rect>')
        if i % step == 0:
            parts.append(_label(x + bar / 2, label[5:] if len(label) == 10 else label))
    return _svg(parts, data)


def _axis(top: float, percent: bool) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for k in range(5):
        value = top * k / 4
        y = TOP + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" class="y">{_fmt(value, percent)}</text>')
    return parts


def _label(x: float, text: str) -> str:
    return f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 17}" class="x">{escape(text[:8])}</text>'


def _legend(data: Sequence[Series]) -> list[str]:
    parts, x = [], LEFT
    for line in data:
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" rx="2" fill="{line.color}"/>'
                     f'<text x="{x + 16}" y="18" class="l">{escape(line.name)}</text>')
        x += 26 + 13 * len(line.name)
    return parts


def _svg(parts: list[str], data: Sequence[Series]) -> Markup:
    body = "".join(_legend(data) + parts)
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
                  f'preserveAspectRatio="xMidYMid meet">{body}</svg>')


def _fmt(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else f"{value:.0f}"


def _nice(value: float) -> float:
    """A round axis maximum (4, 8, 20, 40 …) a little above `value`, divisible into 4 ticks."""
    for nice in (4, 8, 12, 20, 40, 60, 80, 100, 200, 400, 800, 1000, 2000, 4000, 10000):
        if value <= nice:
            return nice
    return value

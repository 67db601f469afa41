"""Bar charts as inline SVG, drawn on the server: no script, no external assets, no library.

Each chart is an image with a title and a description for screen readers; the same figures are
always in a table beside it. Colours meet WCAG 2.2 AA (text 4.5:1, bars 3:1 against white),
and presentation attributes are used rather than style attributes so the page's Content
Security Policy can forbid inline styles.
"""

from __future__ import annotations

import math
from html import escape

from bot.dashboard.figures import Bar, Chart

INK = "#1a1a1a"  # 17:1 on white
MUTED = "#595959"  # 7:1 on white
BAR = "#1d4f91"  # 8.6:1 on white
GRID = "#c4c4c4"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def svg(chart: Chart) -> str:
    """The chart as an <svg> element ready to place in the page."""
    if not chart.bars:
        return ""
    return _horizontal(chart) if chart.horizontal else _vertical(chart)


def _open(chart: Chart, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart.id}-title {chart.id}-desc" focusable="false" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart.id}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart.id}-desc">{escape(chart.description)}</desc>',
    ]


def _ticks(maximum: float) -> list[float]:
    """Round steps from 0 to at least `maximum` (about five of them)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if step < 1 and maximum >= 1:
        step = 1
    count = math.ceil(maximum / step)
    return [round(i * step, 6) for i in range(count + 1)]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _vertical(chart: Chart) -> str:
    """Columns over time (weeks along the bottom), with every few labels shown."""
    bars = chart.bars
    left, right, top, bottom = 48, 12, 16, 64
    width = max(640, left + right + 14 * len(bars))
    height = 300
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = chart.maximum or max((b.value or 0 for b in bars), default=0)
    ticks = _ticks(peak)
    scale = plot_h / (ticks[-1] or 1)
    slot = plot_w / len(bars)
    out = _open(chart, width, height)
    for tick in ticks:
        y = top + plot_h - tick * scale
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" />')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{MUTED}" '
            f'font-family="{FONT}">{_number(tick)}</text>'
        )
    every = max(1, math.ceil(len(bars) / 12))
    for i, bar in enumerate(bars):
        x = left + i * slot
        bar_w = max(2.0, slot * 0.7)
        label = escape(f"{bar.label}: {bar.shown}")
        if bar.value is None:
            out.append(
                f'<g><title>{label}</title><text x="{x + slot / 2:.1f}" y="{top + plot_h - 4:.1f}" '
                f'text-anchor="middle" font-size="11" fill="{INK}" font-family="{FONT}">&lt;5</text></g>'
            )
        else:
            h = bar.value * scale
            out.append(
                f'<rect x="{x + (slot - bar_w) / 2:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{BAR}"><title>{label}</title></rect>'
            )
        if i % every == 0:
            lx, ly = x + slot / 2, top + plot_h + 12
            out.append(
                f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" fill="{MUTED}" font-family="{FONT}" '
                f'text-anchor="end" transform="rotate(-40 {lx:.1f} {ly:.1f})">{escape(bar.label)}</text>'
            )
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{INK}" />')
    if any(b.value is None for b in bars):
        out.append(
            f'<text x="{left}" y="{height - 4}" font-size="12" fill="{INK}" font-family="{FONT}">'
            "&lt;5: fewer than 5 people that week, not drawn so no one can be singled out</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def _horizontal(chart: Chart) -> str:
    """One row per item (themes), the label on the left and the value at the bar's end."""
    bars = [b for b in chart.bars if b.value is not None]
    if not bars:
        return ""
    label_w, right, top, row = 340, 56, 24, 26
    width = 800
    height = top + row * len(bars) + 28
    plot_w = width - label_w - right
    peak = chart.maximum or max(b.value or 0 for b in bars)
    ticks = _ticks(peak)
    scale = plot_w / (ticks[-1] or 1)
    out = _open(chart, width, height)
    for tick in ticks:
        x = label_w + tick * scale
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - 22}" stroke="{GRID}" />'
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" font-size="12" fill="{MUTED}" '
            f'font-family="{FONT}">{_number(tick)}{escape(chart.unit)}</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * row
        value = bar.value or 0
        label = bar.label if len(bar.label) <= 40 else bar.label[:39] + "…"
        out.append(
            f"<g><title>{escape(bar.label)}: {escape(bar.shown)}</title>"
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="13" fill="{INK}" '
            f'font-family="{FONT}">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{value * scale:.1f}" height="{row - 8}" fill="{BAR}" />'
            f'<text x="{label_w + value * scale + 6:.1f}" y="{y + 15}" font-size="13" fill="{INK}" '
            f'font-family="{FONT}">{escape(bar.shown)}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out)


__all__ = ["Bar", "Chart", "svg"]

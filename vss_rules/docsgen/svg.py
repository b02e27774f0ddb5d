"""Small line and step charts as inline SVG: no plotting library, no network, same bytes every build."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
W, H = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 78, 20, 40, 92


@dataclass
class Series:
    name: str
    points: list[tuple[float, float]]  # (x, y), x ascending
    step: bool = False  # True: y holds from its x until the next point's x (and, for the last, to x_end)
    x_end: float | None = None


def nice_ticks(lo: float, hi: float, count: int = 6, whole: bool = False) -> list[float]:
    """Round tick values; ``whole``: whole numbers only (years)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * mag for m in steps if m * mag >= raw)
    if whole:
        step = max(1, round(step))
    start = math.ceil(lo / step - 1e-9) * step
    ticks = []
    t = start
    while t <= hi + 1e-9 * step:
        ticks.append(round(t, 10))
        t += step
    return ticks


def chart(title: str, series: list[Series], x_label: str, y_label: str,
          x_fmt: Callable[[float], str] = lambda v: f"{v:g}", y_fmt: Callable[[float], str] = lambda v: f"{v:g}",
          y_from_zero: bool = False, whole_x: bool = False) -> str:
    """An SVG element (one line of text, so markdown leaves it alone)."""
    xs = [x for s in series for x, _ in s.points] + [s.x_end for s in series if s.x_end is not None]
    ys = [y for s in series for _, y in s.points]
    if not xs:
        return ""
    x_lo, x_hi = min(xs), max(xs)
    y_lo, y_hi = (0.0 if y_from_zero else min(ys)), max(ys)
    pad = (y_hi - y_lo) * 0.05 or 1
    y_lo, y_hi = (y_lo if y_from_zero else y_lo - pad), y_hi + pad
    if x_hi == x_lo:
        x_hi = x_lo + 1
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    rows = (len(series) + 1) // 2  # the legend: two entries a row
    height = H + max(0, rows - 2) * 16

    def px(x: float) -> float:
        return round(LEFT + (x - x_lo) / (x_hi - x_lo) * pw, 2)

    def py(y: float) -> float:
        return round(TOP + ph - (y - y_lo) / (y_hi - y_lo) * ph, 2)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="100%" role="img" '
           f'aria-label="{escape(title)}" class="vss-chart" style="max-width:{W}px;font-family:sans-serif;font-size:12px">',
           f"<title>{escape(title)}</title>",
           f'<text x="{W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>']
    for t in nice_ticks(y_lo, y_hi):
        if y_lo <= t <= y_hi:
            out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{py(t)}" y2="{py(t)}" stroke="#ddd"/>'
                       f'<text x="{LEFT - 6}" y="{py(t) + 4}" text-anchor="end">{escape(y_fmt(t))}</text>')
    for t in nice_ticks(x_lo, x_hi, 8, whole_x):
        if x_lo <= t <= x_hi:
            out.append(f'<line x1="{px(t)}" x2="{px(t)}" y1="{TOP}" y2="{TOP + ph}" stroke="#eee"/>'
                       f'<text x="{px(t)}" y="{TOP + ph + 16}" text-anchor="middle">{escape(x_fmt(t))}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>')
    out.append(f'<text x="{LEFT + pw / 2}" y="{TOP + ph + 34}" text-anchor="middle">{escape(x_label)}</text>')
    out.append(f'<text transform="translate(16 {TOP + ph / 2}) rotate(-90)" text-anchor="middle">{escape(y_label)}</text>')
    for i, s in enumerate(series):
        color, dash = PALETTE[i % len(PALETTE)], DASHES[(i // len(PALETTE) + i) % len(DASHES)]
        pts: list[tuple[float, float]] = []
        for j, (x, y) in enumerate(s.points):
            if s.step and pts:
                pts.append((x, pts[-1][1]))
            pts.append((x, y))
            if s.step and j == len(s.points) - 1:
                pts.append((s.x_end if s.x_end is not None else x_hi, y))
        path = " ".join(f"{px(x)},{py(y)}" for x, y in pts)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash_attr} points="{path}"/>')
        lx = LEFT + (i % 2) * (pw / 2)
        ly = TOP + ph + 56 + (i // 2) * 16
        out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly - 4}" y2="{ly - 4}" stroke="{color}" stroke-width="2"{dash_attr}/>'
                   f'<text x="{lx + 30}" y="{ly}">{escape(s.name)}</text>')
    out.append("</svg>")
    return "".join(out)

"""Gaps and overlaps in decision tables and keyed parameters.

Each input dimension is cut into elementary pieces at every bound any row
uses; every combination of pieces (a cell) must be matched by exactly one row
(hit policy ``unique``) or at least one (``first``). Because pieces are
elementary, testing one representative value per piece is exact.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from ..lang.types import Type
from ..months import month_str
from .book import Interval
from .reader import discrete

MAX_CELLS = 200_000


@dataclass(frozen=True)
class Piece:
    representative: Any
    label: str


def _fmt(v: Any, typ: Type) -> str:
    if v is None:
        return "…"
    if typ.kind == "month":
        return month_str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v) if not hasattr(v, "denominator") or v.denominator != 1 else str(int(v))


def _pieces(intervals: list[Interval], domain: Interval | None, typ: Type) -> list[Piece]:
    if typ.kind in ("text", "bool"):
        universe: set[Any] = set(typ.values or ()) if typ.kind == "text" else {True, False}
        if domain is not None and domain.values is not None:
            universe = set(domain.values)
        for iv in intervals:
            if iv.values is not None:
                universe |= iv.values
        return [Piece(v, str(v)) for v in sorted(universe, key=str)]
    bounds = [iv for iv in intervals if iv.values is None] + ([domain] if domain else [])
    if discrete(typ):
        one = dt.timedelta(days=1) if typ.kind == "date" else 1
        cuts = sorted({c for iv in bounds for c in (iv.low, None if iv.high is None else iv.high + one) if c is not None})
        pieces = []
        edges: list[Any] = [None, *cuts, None]
        for lo, hi_next in zip(edges, edges[1:]):
            hi = None if hi_next is None else hi_next - one
            rep = lo if lo is not None else hi
            if rep is None:
                rep = dt.date(2000, 1, 1) if typ.kind == "date" else 0
            pieces.append(Piece(rep, f"{_fmt(lo, typ)}..{_fmt(hi, typ)}" if lo != hi else _fmt(lo, typ)))
        return _within(pieces, domain)
    points = sorted({c for iv in bounds for c in (iv.low, iv.high) if c is not None})
    if not points:
        return _within([Piece(0, "…")], domain)
    pieces = [Piece(points[0] - 1, f"<{_fmt(points[0], typ)}")]
    for a, b in zip(points, points[1:]):
        pieces.append(Piece(a, _fmt(a, typ)))
        pieces.append(Piece((a + b) / 2, f"({_fmt(a, typ)}, {_fmt(b, typ)})"))
    pieces.append(Piece(points[-1], _fmt(points[-1], typ)))
    pieces.append(Piece(points[-1] + 1, f">{_fmt(points[-1], typ)}"))
    return _within(pieces, domain)


def _within(pieces: list[Piece], domain: Interval | None) -> list[Piece]:
    return [p for p in pieces if domain is None or domain.contains(p.representative)]


def check_coverage(
    names: list[str], types: list[Type], domains: list[Interval | None], rows: list[tuple[Interval, ...]], hit: str
) -> list[str]:
    """Problems found: gaps always; overlaps when ``hit == 'unique'``. Row numbers count from 1."""
    dims = [_pieces([r[i] for r in rows], domains[i], types[i]) for i in range(len(names))]
    total = 1
    for d in dims:
        total *= max(1, len(d))
    if total > MAX_CELLS:
        return [f"too many combinations to check ({total}); split the table"]
    problems: list[str] = []
    for cell in itertools.product(*dims):
        matches = [i + 1 for i, row in enumerate(rows) if all(iv.contains(p.representative) for iv, p in zip(row, cell))]
        where = ", ".join(f"{n}={p.label}" for n, p in zip(names, cell))
        if not matches:
            problems.append(f"gap: no row covers {where}")
        elif hit == "unique" and len(matches) > 1:
            problems.append(f"overlap: rows {', '.join(map(str, matches))} all cover {where}")
        if len(problems) >= 5:
            break
    return problems

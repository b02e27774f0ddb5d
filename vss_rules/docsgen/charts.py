"""Charts drawn from the Rulebook during the docs build.

* every dated parameter with a numeric value: its value over time (a step line);
* every look-up table with one ordered input (a year, month or number) and at most one
  enumerated input (such as sex): its result along the ordered input, one line per value;
* sweeps declared in a chart file (``docs/charts.yaml``): one named value of the Decision
  for cases that differ only in their months of contribution, one line per case template —
  e.g. a rate against years of contribution under each law.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import VssError
from ..lang.types import Type
from ..months import month_of, month_str
from ..rulebook.book import Parameter, Rulebook, Table, Text
from ..rulebook.yamlsafe import load_yaml
from .notation import decimal, is_percent_like, money, percent
from .svg import Series, chart
from .words import word


def _year_of(d: dt.date) -> float:
    return d.year + (d.timetuple().tm_yday - 1) / 365.25


def _x_for(v: Any, typ: Type) -> float:
    if typ.kind == "month":
        return v / 12  # a month is year × 12 + (month − 1): the axis is in years
    if typ.kind == "date":
        return _year_of(v)
    return float(Fraction(v))


def _fmt_x(typ: Type):
    return (lambda x: str(int(x))) if typ.kind in ("month", "date", "int") else (lambda x: f"{x:g}")


def _fmt_y(typ: Type, lang: str, values: list[Fraction], scale: Fraction = Fraction(1)):
    if typ.kind == "money":
        return lambda y: money(int(round(y)), lang).replace(" đ", "").replace(" VND", "")
    if all(is_percent_like(v / scale) or v == 0 for v in values) and any(v != 0 for v in values):
        return lambda y: percent(Fraction(y).limit_denominator(10000), lang)
    return lambda y: decimal(Fraction(y).limit_denominator(1000), lang, 2)


@dataclass(frozen=True)
class TableScale:
    """How to show a table's result: divided by ``divide`` (e.g. months → years), with an axis title."""

    divide: Fraction
    y_title: Text | None


def parameter_chart(p: Parameter, lang: str) -> str | None:
    if p.key is not None or p.type.kind not in ("money", "number", "int") or len(p.values) < 2:
        return None
    pts = [(_year_of(v.start), float(Fraction(v.value))) for v in p.values]
    last = p.values[-1]
    end = _year_of(last.end) if last.end else pts[-1][0] + 1
    unit = f" ({p.unit})" if p.unit else ""
    return chart(p.title.get(lang), [Series(p.title.get(lang), pts, step=True, x_end=end)],
                 word("from", lang), f"{p.id}{unit}", lambda x: f"{x:g}",
                 _fmt_y(p.type, lang, [Fraction(v.value) for v in p.values]), y_from_zero=True, whole_x=True)


def table_chart(t: Table, lang: str, scale: TableScale | None = None) -> str | None:
    """One line per value of the enumerated input, along the ordered input."""
    if t.type.kind not in ("int", "number", "money"):
        return None
    ordered = [i for i, inp in enumerate(t.inputs) if inp.type.kind in ("int", "number", "month", "date")]
    enums = [i for i, inp in enumerate(t.inputs) if inp.type.kind == "text" and inp.type.values]
    if len(ordered) != 1 or len(enums) > 1 or len(ordered) + len(enums) != len(t.inputs):
        return None
    oi = ordered[0]
    otype = t.inputs[oi].type
    div = scale.divide if scale else Fraction(1)
    bounds = [b for r in t.rows for b in (r.when[oi].low, r.when[oi].high) if b is not None]
    if not bounds:
        return None
    lo_all, hi_all = min(_x_for(b, otype) for b in bounds), max(_x_for(b, otype) for b in bounds)
    margin = max((hi_all - lo_all) * 0.1, 1.0)
    groups = list(t.inputs[enums[0]].type.values or ()) if enums else [None]
    series = []
    results: list[Fraction] = []
    for g in groups:
        pts = []
        for r in t.rows:
            if g is not None and r.when[enums[0]].values is not None and g not in r.when[enums[0]].values:
                continue
            iv = r.when[oi]
            x0 = _x_for(iv.low, otype) if iv.low is not None else lo_all - margin
            y = Fraction(r.then) / div
            results.append(y)
            pts.append((x0, float(y)))
        pts.sort()
        if pts:
            series.append(Series(g if g is not None else t.title.get(lang), pts, step=True, x_end=hi_all + margin))
    y_title = scale.y_title.get(lang) if scale and scale.y_title else t.id
    return chart(t.title.get(lang), series, t.inputs[oi].name, y_title, _fmt_x(otype),
                 _fmt_y(t.type if div == 1 else Type("number"), lang, results), whole_x=otype.kind != "number")


# -- sweeps: a Decision value against months of contribution --------------------------------------------
@dataclass(frozen=True)
class Sweep:
    id: str
    regime: str
    title: Text
    value: str
    x_title: Text
    y_title: Text
    x_from: Fraction
    x_to: Fraction
    x_step: Fraction
    months_per_x: int
    series: tuple[tuple[Text, dict], ...]


@dataclass(frozen=True)
class ChartConfig:
    tables: dict[str, TableScale]
    sweeps: tuple[Sweep, ...]


def _text(o: Any) -> Text:
    return Text(str(o["vi"]), str(o["en"]))


def load_chart_config(path: Path | None) -> ChartConfig:
    if path is None or not path.is_file():
        return ChartConfig({}, ())
    doc = load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}
    tables = {tid: TableScale(Fraction(str(o.get("divide", 1))), _text(o["y_title"]) if "y_title" in o else None)
              for tid, o in (doc.get("tables") or {}).items()}
    sweeps = []
    for s in doc.get("sweeps") or []:
        x = s["x"]
        sweeps.append(Sweep(
            id=s["id"], regime=s["regime"], title=_text(s["title"]), value=s["value"], x_title=_text(x["title"]),
            y_title=_text(s["y_title"]), x_from=Fraction(str(x["from"])), x_to=Fraction(str(x["to"])),
            x_step=Fraction(str(x["step"])), months_per_x=int(x.get("months_per_unit", 1)),
            series=tuple((_text(o["title"]), o["case"]) for o in s["series"]),
        ))
    return ChartConfig(tables, tuple(sweeps))


def sweep_case(template: dict, months: int) -> dict:
    """The template with one contribution period of ``months`` months ending the month before the event."""
    case = {k: v for k, v in template.items() if k != "contribution"}
    event_date = dt.date.fromisoformat(str(template["event"]["date"]))
    end = month_of(event_date) - 1
    period = {**(template.get("contribution") or {}), "start": month_str(end - months + 1), "end": month_str(end)}
    case["contributions"] = [period]
    return case


def sweep_points(book: Rulebook, s: Sweep) -> list[list[tuple[float, float]]]:
    from ..decide import evaluate_with

    out = []
    for _, template in s.series:
        pts = []
        x = s.x_from
        while x <= s.x_to:
            months = int(x * s.months_per_x)
            try:
                value = evaluate_with(book, sweep_case(template, months)).values.get(s.value) if months > 0 else None
            except VssError:
                value = None
            if value is not None:
                pts.append((float(x), float(value)))
            x += s.x_step
        out.append(pts)
    return out


def sweep_chart(book: Rulebook, s: Sweep, lang: str, points: list[list[tuple[float, float]]]) -> str:
    series = [Series(title.get(lang), pts) for (title, _), pts in zip(s.series, points) if pts]
    ys = [Fraction(y).limit_denominator(10000) for pts in points for _, y in pts]
    rule = book.rules.get(s.value)
    typ = rule[0].type if rule else Type("number")
    return chart(s.title.get(lang), series, s.x_title.get(lang), s.y_title.get(lang), lambda x: f"{x:g}",
                 _fmt_y(typ, lang, ys), y_from_zero=False)

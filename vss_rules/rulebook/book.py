"""The Rulebook: every rule file, loaded and checked, as immutable data.

Nothing downstream reads YAML: backends and the docs generator read this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..calendar import Calendar
from ..errors import Position
from ..lang.ir import Expr
from ..lang.types import Type


@dataclass(frozen=True)
class Text:
    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class Citation:
    document: str
    article: str | None = None
    clause: str | None = None
    point: str | None = None
    status: str = "V"  # V, V-ocr, S, U, I — see docs; defaults to the instrument's
    note: str | None = None  # required when the article is not known

    def label(self, lang: str = "en") -> str:
        parts = [self.document]
        if self.article:
            parts.append(("Điều " if lang == "vi" else "Art. ") + self.article)
        if self.clause:
            parts.append(("khoản " if lang == "vi" else "cl. ") + self.clause)
        if self.point:
            parts.append(("điểm " if lang == "vi" else "pt. ") + self.point)
        return ", ".join(parts) if lang == "vi" else " ".join(parts)


@dataclass(frozen=True)
class Instrument:
    id: str
    kind: str
    title: Text
    signed: dt.date | None
    source: str | None
    status: str


@dataclass(frozen=True)
class LawPeriod:
    id: str  # "58/2014/QH13@2021"
    version: str
    start: dt.date
    end: dt.date | None
    title: Text
    cites: tuple[Citation, ...]

    def contains(self, d: dt.date) -> bool:
        return self.start <= d and (self.end is None or d <= self.end)


@dataclass(frozen=True)
class LawVersion:
    id: str
    family: str
    title: Text
    start: dt.date
    end: dt.date | None
    periods: tuple[LawPeriod, ...]
    cites: tuple[Citation, ...]


@dataclass(frozen=True)
class Selection:
    """The cited rule that chooses a law version from a date."""

    id: str
    title: Text
    text: Text
    cites: tuple[Citation, ...]


@dataclass(frozen=True)
class LawFamily:
    id: str
    title: Text
    selection: Selection
    versions: tuple[LawVersion, ...]


@dataclass(frozen=True)
class KeyRange:
    """An inclusive range of an ordered key; None = unbounded. Discrete keys only."""

    low: Any
    high: Any

    def contains(self, v: Any) -> bool:
        return (self.low is None or self.low <= v) and (self.high is None or v <= self.high)


@dataclass(frozen=True)
class DatedValue:
    start: dt.date
    end: dt.date | None
    value: Any  # scalar, or tuple[(KeyRange, value), ...] for keyed parameters
    cites: tuple[Citation, ...]
    note: str | None
    pos: Position


@dataclass(frozen=True)
class Parameter:
    id: str
    title: Text
    text: Text
    type: Type
    unit: str | None
    key: tuple[str, Type] | None
    suppliable: bool
    values: tuple[DatedValue, ...]
    file: str
    pos: Position


@dataclass(frozen=True)
class Interval:
    """One cell condition of a decision table, over an ordered or enumerated domain."""

    low: Any = None  # None = unbounded
    high: Any = None
    low_open: bool = False
    high_open: bool = False
    values: frozenset | None = None  # for text/bool inputs; None = any

    def contains(self, v: Any) -> bool:
        if self.values is not None:
            return v in self.values
        if self.low is not None and (v < self.low or (self.low_open and v == self.low)):
            return False
        if self.high is not None and (v > self.high or (self.high_open and v == self.high)):
            return False
        return True


@dataclass(frozen=True)
class TableInput:
    name: str
    type: Type
    expr: Expr | None  # value tables compute their inputs; function tables take arguments
    domain: Interval | None


@dataclass(frozen=True)
class TableRow:
    when: tuple[Interval, ...]
    then: Any
    cites: tuple[Citation, ...]
    text: Text | None
    pos: Position


@dataclass(frozen=True)
class Table:
    id: str
    title: Text
    text: Text
    cites: tuple[Citation, ...]
    type: Type
    inputs: tuple[TableInput, ...]
    rows: tuple[TableRow, ...]
    hit: str  # unique | first
    file: str
    pos: Position


@dataclass(frozen=True)
class Rule:
    """A named value, condition or value table, for the law periods in ``laws``."""

    id: str
    kind: str  # value | condition | table
    type: Type
    scope: str | None  # None: one value per case; else a row source ("contributions")
    laws: frozenset[str] | None  # law period ids; None = every period
    expr: Expr | None
    table: Table | None
    title: Text
    text: Text
    quote: str | None
    cites: tuple[Citation, ...]
    rounding: str | None
    unit: str | None
    interpretation: str | None  # id of the documented interpretation this rule implements
    file: str
    pos: Position


@dataclass(frozen=True)
class Benefit:
    id: str
    title: Text
    text: Text
    cites: tuple[Citation, ...]
    event_kinds: tuple[str, ...]
    laws: frozenset[str] | None
    eligible: str
    only_if: str | None  # a condition; when false the case is outside what is encoded (NotEncodedError)
    amount: str | None
    rounding: str | None
    unit: str  # once | month | day
    quantity: str | None
    start_date: str | None
    on_refusal: tuple[str, ...]
    file: str
    pos: Position
    per: str | None = None  # a row source ("relatives"): decided once per row, the Decision naming the row
    report: tuple[str, ...] = ()  # values computed and shown in the Decision when the benefit is granted


@dataclass(frozen=True)
class Fact:
    name: str
    type: Type
    title: Text
    required: bool
    default: Any
    minimum: Fraction | None
    maximum: Fraction | None


@dataclass(frozen=True)
class Check:
    """A consistency test of a case's input: when false, the case is refused with a CaseError naming ``where``."""

    id: str
    expr: Expr
    where: str  # a case path; with ``per``, a field of the row ("relatives[i].<where>")
    per: str | None
    text: Text
    cites: tuple[Citation, ...] = ()  # when the check states law (not mere consistency), its articles


@dataclass(frozen=True)
class EventKind:
    id: str
    family: str
    title: Text
    facts: tuple[Fact, ...]
    law_date: str | None  # id of the (law-independent) rule giving the date that decides the law; None = event.date
    file: str
    checks: tuple[Check, ...] = ()  # law-independent tests of the input, run before anything is decided


@dataclass(frozen=True)
class Interpretation:
    id: str
    title: Text
    text: Text
    cites: tuple[Citation, ...]
    file: str


@dataclass(frozen=True, eq=False)  # identity equality: hashable, so caches can key on it
class Rulebook:
    digest: str
    instruments: dict[str, Instrument]
    families: dict[str, LawFamily]
    parameters: dict[str, Parameter]
    tables: dict[str, Table]  # function tables (called with arguments)
    rules: dict[str, tuple[Rule, ...]]  # id → definitions, disjoint in law periods
    benefits: dict[str, Benefit]
    event_kinds: dict[str, EventKind]
    interpretations: dict[str, Interpretation]
    regimes: dict[str, Text] = field(default_factory=dict)  # rule file → regime title, for docs
    calendars: dict[str, Calendar] = field(default_factory=dict)  # working-day calendars (rules/calendar/)

    def periods(self) -> list[LawPeriod]:
        return [p for f in self.families.values() for v in f.versions for p in v.periods]

    def period(self, period_id: str) -> LawPeriod:
        for p in self.periods():
            if p.id == period_id:
                return p
        raise KeyError(period_id)

    def version(self, version_id: str) -> LawVersion:
        for f in self.families.values():
            for v in f.versions:
                if v.id == version_id:
                    return v
        raise KeyError(version_id)

    def definition(self, rule_id: str, period_id: str) -> Rule | None:
        for r in self.rules.get(rule_id, ()):
            if r.laws is None or period_id in r.laws:
                return r
        return None

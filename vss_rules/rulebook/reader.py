"""Strict reading of YAML objects into rulebook pieces, with positions in every error."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from typing import Any

from ..errors import Position, RuleFileError
from ..lang.types import Type
from ..money import to_fraction
from ..months import parse_month
from .book import Citation, Interval, Text
from .yamlsafe import YList, YMap, position_of

STATUSES = ("V", "V-ocr", "S", "U", "I")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class Obj:
    """One YAML mapping being read: typed getters, and unknown keys reported at the end."""

    def __init__(self, data: Any, what: str, fallback: Position):
        if not isinstance(data, YMap):
            raise RuleFileError(f"{what} must be a mapping", where=position_of(data, fallback), code="RULE_SHAPE")
        self.data = data
        self.what = what
        self.pos = data.pos
        self.seen: set[str] = set()

    def at(self, key: str) -> Position:
        return self.data.at(key)

    def error(self, key: str, message: str, code: str = "RULE_SHAPE") -> RuleFileError:
        return RuleFileError(f"{self.what}: {message}", where=self.at(key) if key in self.data else self.pos, code=code)

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, required: bool = True, default: Any = None) -> Any:
        self.seen.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                code = "MISSING_CITATION" if key == "cite" else "MISSING_FIELD"
                raise RuleFileError(f"{self.what}: missing '{key}'", where=self.pos, code=code)
            return default
        return self.data[key]

    def str(self, key: str, required: bool = True, default: str | None = None) -> str | None:
        v = self.raw(key, required, default)
        if v is None:
            return v
        if isinstance(v, (int, float, dt.date)) and not isinstance(v, bool):
            return str(v)
        if not isinstance(v, str):
            raise self.error(key, f"'{key}' must be text")
        return str(v)

    def ident(self, key: str = "id") -> str:
        v = self.str(key)
        assert v is not None
        if not ID_RE.match(v):
            raise self.error(key, f"'{v}' is not a valid id (lower-case letters, digits and _; starting with a letter)", "BAD_ID")
        return v

    def date(self, key: str, required: bool = True) -> dt.date | None:
        v = self.raw(key, required)
        if v is None:
            return None
        if isinstance(v, dt.date):
            return v
        try:
            return dt.date.fromisoformat(str(v))
        except ValueError:
            raise self.error(key, f"'{key}' must be a date written YYYY-MM-DD") from None

    def text(self, key: str, required: bool = True) -> Text | None:
        v = self.raw(key, required)
        if v is None:
            return None
        if not isinstance(v, YMap) or set(v) != {"vi", "en"} or not all(isinstance(v[k], str) and v[k].strip() for k in ("vi", "en")):
            raise self.error(key, f"'{key}' needs both 'vi' and 'en' text", "MISSING_TEXT")
        return Text(str(v["vi"]).strip(), str(v["en"]).strip())

    def cites(self, key: str = "cite", required: bool = True) -> tuple[Citation, ...]:
        v = self.raw(key, required)
        if v is None:
            return ()
        items = v if isinstance(v, YList) else [v]
        if not items:
            raise self.error(key, "a citation list cannot be empty", "MISSING_CITATION")
        return tuple(citation(item, self.what, self.at(key)) for item in items)

    def finish(self) -> None:
        unknown = [k for k in self.data if k not in self.seen]
        if unknown:
            allowed = ", ".join(sorted(self.seen))
            raise RuleFileError(
                f"{self.what}: unknown key '{unknown[0]}' (allowed here: {allowed})", where=self.at(unknown[0]), code="UNKNOWN_KEY"
            )


def citation(data: Any, what: str, fallback: Position) -> Citation:
    o = Obj(data, f"{what} citation", fallback)
    doc = o.str("document")
    article = o.str("article", False)
    clause = o.str("clause", False)
    point = o.str("point", False)
    status = o.str("status", False, "")
    note = o.str("note", False)
    o.finish()
    if status and status not in STATUSES:
        raise o.error("status", f"status must be one of {', '.join(STATUSES)}")
    if not article and not (status in ("S", "U", "I") and note):
        raise o.error("article", "a citation names at least the article (or, for status S/U/I, says in 'note' why it cannot)",
                      "MISSING_CITATION")
    return Citation(doc or "", article, clause, point, status or "", note)


# -- values and ranges of typed cells ------------------------------------------------------------
def scalar(value: Any, typ: Type) -> Any:
    """A YAML scalar → a runtime value of ``typ`` (Fraction, int month, date, str, bool)."""
    kind = typ.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not true/false")
        return value
    if kind in ("int", "number", "money"):
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number")
        x = to_fraction(value)
        if kind == "int" and x.denominator != 1:
            raise ValueError(f"{value!r} is not a whole number")
        return x
    if kind == "month":
        return parse_month(str(value))
    if kind == "date":
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value))
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not text")
        if typ.values is not None and value not in typ.values:
            raise ValueError(f"{value!r} is not one of {', '.join(typ.values)}")
        return str(value)
    if kind in ("dates", "weekdays", "spans"):
        return collection(value, typ)
    raise ValueError(f"unsupported type {typ}")


def collection(value: Any, typ: Type) -> Any:
    """A list → the runtime value of a collection fact: dates → frozenset of dates; weekdays → frozenset of
    0 (Monday) … 6 (Sunday); spans → tuple of (start, end), sorted, each start ≤ end, none overlapping."""
    from ..calendar import WEEKDAYS

    if not isinstance(value, (list, tuple, frozenset, set)):
        raise ValueError(f"{value!r} is not a list")
    if typ.kind == "dates":
        return frozenset(v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)) for v in value)
    if typ.kind == "weekdays":
        out = set()
        for v in value:
            if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 6:
                out.add(v)
            elif str(v).lower() in WEEKDAYS:
                out.add(WEEKDAYS.index(str(v).lower()))
            else:
                raise ValueError(f"{v!r} is not a weekday ({', '.join(WEEKDAYS)})")
        return frozenset(out)
    spans = []
    for i, v in enumerate(value):
        if isinstance(v, tuple):
            start, end = v
        else:
            start, end = (getattr(v, "start", None), getattr(v, "end", None)) if not isinstance(v, dict) else (v.get("start"), v.get("end"))
        start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
        end = end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end))
        if end < start:
            raise SpanError(f"span [{i}] ends ({end}) before it starts ({start})", i)
        spans.append((start, end, i))
    spans.sort()
    for (s1, e1, i1), (s2, e2, i2) in zip(spans, spans[1:]):
        if s2 <= e1:
            raise SpanError(f"span [{i2}] overlaps span [{i1}] on {s2}: a day is counted once — merge them", i2)
    return tuple((s, e) for s, e, _ in spans)


class SpanError(ValueError):
    """Spans that end before they start or overlap; ``index`` is the offending item."""

    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.index = index


def _step(value: Any, typ: Type, direction: int) -> Any:
    if typ.kind in ("int", "month"):
        return value + direction
    if typ.kind == "date":
        return value + dt.timedelta(days=direction)
    return None


def discrete(typ: Type) -> bool:
    return typ.kind in ("int", "month", "date")


def interval(cell: Any, typ: Type) -> Interval:
    """Parse a table cell: ``"*"``, a value, a list of values, or a range ``a..b``, ``a..<b``, ``..b``, ``a..``."""
    if cell is None or (isinstance(cell, str) and cell.strip() in ("*", "any")):
        return Interval()
    if typ.kind in ("text", "bool"):
        values = list(cell) if isinstance(cell, list) else [cell]
        return Interval(values=frozenset(scalar(v, typ) for v in values))
    if isinstance(cell, str) and ".." in cell:
        low_text, high_text = cell.split("..", 1)
        high_open = high_text.startswith("<")
        high_text = high_text[1:] if high_open else high_text
        low = scalar(low_text.strip(), typ) if low_text.strip() else None
        high = scalar(high_text.strip(), typ) if high_text.strip() else None
        if high_open and high is None:
            raise ValueError("'..<' needs an upper bound")
        if high_open and discrete(typ):
            high, high_open = _step(high, typ, -1), False
        if low is not None and high is not None and (low > high or (low == high and high_open)):
            raise ValueError(f"empty range {cell!r}")
        return Interval(low=low, high=high, high_open=high_open)
    v = scalar(cell, typ)
    return Interval(low=v, high=v)


def fraction_or_none(value: Any) -> Fraction | None:
    return None if value is None else to_fraction(value)

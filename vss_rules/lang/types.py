"""Types of the expression language.

``int`` and ``number`` are exact numbers (``int`` ⊂ ``number``); ``money`` is
an amount in VND; ``date`` a calendar day; ``month`` a calendar month;
``text`` a string, optionally restricted to an enumerated set of values.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("bool", "int", "number", "money", "date", "month", "text")
# Collections a case may give as an event fact (never the type of a rule or parameter):
#   dates     a set of calendar days                     ["2016-01-06", "2016-01-15"]
#   weekdays  a set of weekdays                          ["sat", "sun"]
#   spans     date spans, both ends included, disjoint   [{start: 2016-01-07, end: 2016-01-17}]
#             — a fact of this type is a row source: sum(… for s in facts.leave)
# and `calendar`, the type of a working-day calendar named in an expression.
FACT_KINDS = ("dates", "weekdays", "spans")


@dataclass(frozen=True)
class Type:
    kind: str
    values: tuple[str, ...] | None = None  # enumerated text values

    def __str__(self) -> str:
        if self.kind == "text" and self.values:
            return "text(" + "|".join(self.values) + ")"
        return self.kind

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "number")


BOOL = Type("bool")
INT = Type("int")
NUMBER = Type("number")
MONEY = Type("money")
DATE = Type("date")
MONTH = Type("month")
TEXT = Type("text")
DATES = Type("dates")
WEEKDAYS = Type("weekdays")
SPANS = Type("spans")
CALENDAR = Type("calendar")


def enum(*values: str) -> Type:
    return Type("text", tuple(values))


def parse_type(spec: object) -> Type:
    """``"money"`` or ``{"enum": ["a", "b"]}`` (or a list of values) → Type."""
    if isinstance(spec, str) and (spec in KINDS or spec in FACT_KINDS):
        return Type(spec)
    if isinstance(spec, list) and spec and all(isinstance(v, str) for v in spec):
        return enum(*spec)
    if isinstance(spec, dict) and set(spec) == {"enum"}:
        return parse_type(list(spec["enum"]))
    raise ValueError(f"unknown type {spec!r}; expected one of {', '.join(KINDS)} or a list of text values")


def unify(a: Type, b: Type) -> Type | None:
    """The common type of two branches, or None if they do not mix."""
    if a == b:
        return a
    if a.numeric and b.numeric:
        return NUMBER
    if a.kind == b.kind == "text":
        if a.values is None or b.values is None:
            return TEXT
        return enum(*sorted(set(a.values) | set(b.values)))
    return None

"""Types of the expression language.

``int`` and ``number`` are exact numbers (``int`` ⊂ ``number``); ``money`` is
an amount in VND; ``date`` a calendar day; ``month`` a calendar month;
``text`` a string, optionally restricted to an enumerated set of values.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("bool", "int", "number", "money", "date", "month", "text")


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


def enum(*values: str) -> Type:
    return Type("text", tuple(values))


def parse_type(spec: object) -> Type:
    """``"money"`` or ``{"enum": ["a", "b"]}`` (or a list of values) → Type."""
    if isinstance(spec, str) and spec in KINDS:
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

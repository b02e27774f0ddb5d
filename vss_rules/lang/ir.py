"""Typed, resolved expression IR: what every backend compiles.

Each node is a frozen dataclass. There is no Python-only construct here: every
node is an elementwise operation, a lookup in a dated parameter or table, or an
aggregation over the rows of a case's contribution periods — all of which a
columnar (numpy/Arrow) backend can evaluate for millions of cases at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .types import Type


@dataclass(frozen=True)
class Expr:
    type: Type


@dataclass(frozen=True)
class Const(Expr):
    value: Any


@dataclass(frozen=True)
class Input(Expr):
    """A field of the case: ``person.sex``, ``event.date``, ``facts.capacity_loss_percent``."""

    path: tuple[str, ...]


@dataclass(frozen=True)
class Ref(Expr):
    """Another case-level rule value, by id."""

    id: str


@dataclass(frozen=True)
class RowField(Expr):
    """A field of the current row of a source (``c.months``)."""

    source: str
    field: str


@dataclass(frozen=True)
class RowRef(Expr):
    """A per-row rule value of the current row (``c.revalued_salary_vnd``)."""

    source: str
    id: str


@dataclass(frozen=True)
class Lookup(Expr):
    """A dated parameter at a date, or a function table with its keys."""

    id: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Func(Expr):
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Arith(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Cmp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Logic(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Not(Expr):
    operand: Expr


@dataclass(frozen=True)
class Neg(Expr):
    operand: Expr


@dataclass(frozen=True)
class IfElse(Expr):
    cond: Expr
    then: Expr
    orelse: Expr


@dataclass(frozen=True)
class In(Expr):
    operand: Expr
    options: tuple[Any, ...]
    negate: bool


@dataclass(frozen=True)
class Agg(Expr):
    """``func(body for row in source where … last N months default …)``."""

    func: str
    body: Expr
    source: str
    where: Expr | None
    window: Expr | None
    default: Expr | None


def walk(node: Expr):
    """Yield the node and all its descendants."""
    yield node
    for value in node.__dict__.values():
        if isinstance(value, Expr):
            yield from walk(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Expr):
                    yield from walk(item)


def references(node: Expr) -> set[str]:
    """Ids of case-level values a node refers to."""
    return {n.id for n in walk(node) if isinstance(n, Ref)}

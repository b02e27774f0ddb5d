"""Syntax tree of the expression language, as produced by the parser.

Names are not resolved here; :mod:`vss_rules.lang.checker` turns this tree
into the typed IR (:mod:`vss_rules.lang.ir`) that backends compile.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Node:
    line: int
    col: int


@dataclass(frozen=True)
class Num(Node):
    value: Fraction
    integral: bool


@dataclass(frozen=True)
class Str(Node):
    value: str


@dataclass(frozen=True)
class Bool(Node):
    value: bool


@dataclass(frozen=True)
class Name(Node):
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Aggregate(Node):
    func: str
    body: Node
    var: str
    source: str
    where: Node | None
    window: Node | None
    default: Node | None


@dataclass(frozen=True)
class BinOp(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Logic(Node):
    op: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True)
class Neg(Node):
    operand: Node


@dataclass(frozen=True)
class If(Node):
    cond: Node
    then: Node
    orelse: Node


@dataclass(frozen=True)
class Member(Node):
    operand: Node
    options: tuple[Node, ...]
    negate: bool

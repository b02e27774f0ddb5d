"""Expressions and values in a readable notation, in Vietnamese or English.

The notation is the rule language made easier to read: ``×`` and ``÷``, ``≤ ≥ ≠``,
percentages written as such, amounts and dates written the local way, and an
``if … then … else`` chain turned into a list of cases. It reads the expression IR
(:mod:`vss_rules.lang.ir`), never the rule files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..lang import ir
from ..lang.types import Type
from ..months import month_str
from .words import word

# precedence: a child of lower precedence than its parent is put in brackets
_PREC_IF, _PREC_OR, _PREC_AND, _PREC_NOT, _PREC_CMP, _PREC_ADD, _PREC_MUL, _PREC_NEG, _PREC_ATOM = range(9)
_BINARY = {"or": _PREC_OR, "and": _PREC_AND, "+": _PREC_ADD, "-": _PREC_ADD, "*": _PREC_MUL, "/": _PREC_MUL}
_SYMBOL = {"*": "×", "/": "÷", "+": "+", "-": "−", "==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}


def _thousands(n: int, lang: str) -> str:
    """Thousands separated from 10 000 on (so that a year stays 2016)."""
    text = f"{abs(n):,}".replace(",", "." if lang == "vi" else ",") if abs(n) >= 10_000 else str(abs(n))
    return ("−" if n < 0 else "") + text


def decimal(x: Fraction | int | float, lang: str, places: int = 6) -> str:
    """A number with up to ``places`` decimals, decimal comma in Vietnamese."""
    x = Fraction(x)
    if x.denominator == 1:
        return _thousands(int(x), lang)
    text = f"{float(x):.{places}f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    whole_text = _thousands(int(whole), lang) if whole not in ("-0", "") else ("−0" if x < 0 else "0")
    return whole_text + ("," if lang == "vi" else ".") + frac if frac else whole_text


def money(n: int | Fraction | float, lang: str) -> str:
    x = Fraction(n)
    shown = _thousands(int(x), lang) if x.denominator == 1 else decimal(x, lang, 2)
    return f"{shown} đ" if lang == "vi" else f"{shown} VND"


def percent(x: Fraction | float, lang: str) -> str:
    return decimal(Fraction(x) * 100, lang, 4) + "%"


def is_percent_like(x: Fraction) -> bool:
    """A fraction below 1 with at most three decimals (a rate such as 42.5 %) reads best as a percentage."""
    return x.denominator != 1 and (x * 1000).denominator == 1 and abs(x) < 1


def date_text(d: dt.date, lang: str) -> str:
    return d.strftime("%d/%m/%Y") if lang == "vi" else d.isoformat()


def month_text(m: int | str, lang: str) -> str:
    text = m if isinstance(m, str) else month_str(m)
    year, mon = text.split("-")
    return f"{mon}/{year}" if lang == "vi" else text


def value_text(value: Any, typ: Type | None, lang: str) -> str:
    """A runtime or JSON value of type ``typ`` in words."""
    if value is None:
        return "—"
    kind = typ.kind if typ is not None else None
    if isinstance(value, bool) or kind == "bool":
        return word("true" if value else "false", lang)
    if kind == "month":
        return month_text(value, lang)
    if kind == "date" or isinstance(value, dt.date):
        return date_text(value if isinstance(value, dt.date) else dt.date.fromisoformat(value), lang)
    if kind == "money":
        return money(value, lang)
    if isinstance(value, (int, float, Fraction)):
        x = Fraction(value).limit_denominator(10**9) if isinstance(value, float) else Fraction(value)
        if kind == "number" and is_percent_like(x):
            return percent(x, lang)
        return decimal(x, lang)
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


@dataclass
class Notation:
    """Renders expressions for one language.

    ``link(id)`` gives a markdown link target for a rule, parameter or table id (or None);
    ``value_of(id)`` gives a value to show instead of a rule's name (for worked arithmetic).
    ``markdown`` escapes what markdown would take as markup.
    """

    lang: str
    link: Callable[[str], str | None] | None = None
    value_of: Callable[[str], str | None] | None = None
    markdown: bool = True

    def w(self, key: str) -> str:
        return word(key, self.lang)

    def name(self, ident: str) -> str:
        target = self.link(ident) if self.link else None
        return f"[{ident}]({target})" if target and self.markdown else ident

    def render(self, e: ir.Expr) -> str:
        return self._r(e, _PREC_IF)

    def cases(self, e: ir.Expr) -> list[tuple[str | None, str]]:
        """An ``if`` chain as (condition, value) pairs, the last with condition None."""
        out: list[tuple[str | None, str]] = []
        while isinstance(e, ir.IfElse):
            out.append((self.render(e.cond), self.render(e.then)))
            e = e.orelse
        out.append((None, self.render(e)))
        return out

    # -- nodes --------------------------------------------------------------------------------------
    def _r(self, e: ir.Expr, parent: int) -> str:
        text, prec = self._node(e)
        return f"({text})" if prec < parent else text

    def _node(self, e: ir.Expr) -> tuple[str, int]:
        if isinstance(e, ir.Const):
            return self._const(e), _PREC_ATOM
        if isinstance(e, ir.Input):
            return ".".join(e.path), _PREC_ATOM
        if isinstance(e, ir.Ref):
            shown = self.value_of(e.id) if self.value_of else None
            return (shown if shown is not None else self.name(e.id)), _PREC_ATOM
        if isinstance(e, ir.RowField):
            return f"{_row_var(e.source)}.{e.field}", _PREC_ATOM
        if isinstance(e, ir.RowRef):
            return f"{_row_var(e.source)}.{self.name(e.id)}", _PREC_ATOM
        if isinstance(e, ir.Lookup):
            return f"{self.name(e.id)}({', '.join(self.render(a) for a in e.args)})", _PREC_ATOM
        if isinstance(e, ir.Func) and e.name in ("date", "month") and all(isinstance(a, ir.Const) for a in e.args):
            return self._calendar_literal(e), _PREC_ATOM
        if isinstance(e, ir.Func):
            return f"{e.name}({', '.join(self.render(a) for a in e.args)})", _PREC_ATOM
        if isinstance(e, (ir.Arith, ir.Logic)):
            prec = _BINARY[e.op]
            op = self.w(e.op) if isinstance(e, ir.Logic) else _SYMBOL[e.op]
            right_prec = prec + 1 if e.op in ("-", "/") else prec  # a − (b − c), a ÷ (b × c)
            return f"{self._r(e.left, prec)} {op} {self._r(e.right, right_prec)}", prec
        if isinstance(e, ir.Cmp):
            return f"{self._r(e.left, _PREC_ADD)} {_SYMBOL[e.op]} {self._r(e.right, _PREC_ADD)}", _PREC_CMP
        if isinstance(e, ir.Not):
            return f"{self.w('not')} {self._r(e.operand, _PREC_NOT)}", _PREC_NOT
        if isinstance(e, ir.Neg):
            return f"−{self._r(e.operand, _PREC_NEG)}", _PREC_NEG
        if isinstance(e, ir.In):
            options = ", ".join(value_text(o, None, self.lang) for o in e.options)
            op = self.w("not in") if e.negate else self.w("in")
            return f"{self._r(e.operand, _PREC_ADD)} {op} {{{options}}}", _PREC_CMP
        if isinstance(e, ir.IfElse):
            return (f"{self.w('if')} {self._r(e.cond, _PREC_OR)} {self.w('then')} {self._r(e.then, _PREC_OR)} "
                    f"{self.w('else')} {self._r(e.orelse, _PREC_IF)}"), _PREC_IF
        if isinstance(e, ir.Agg):
            return self._agg(e), _PREC_ATOM
        raise TypeError(f"no notation for {type(e).__name__}")

    def _calendar_literal(self, e: ir.Func) -> str:
        nums = [int(a.value) for a in e.args]  # type: ignore[attr-defined]
        if e.name == "month":
            return month_text(f"{nums[0]:04d}-{nums[1]:02d}", self.lang)
        return date_text(dt.date(*nums), self.lang)

    def _const(self, e: ir.Const) -> str:
        text = value_text(e.value, e.type, self.lang)
        return text.replace("*", "\\*") if self.markdown else text

    def _agg(self, e: ir.Agg) -> str:
        var = _row_var(e.source)
        parts = [f"{self.w('agg_' + e.func)} {self.render(e.body)} {self.w('for each')} {var} {self.w('in')} {e.source}"]
        if e.where is not None:
            parts.append(f"{self.w('where')} {self.render(e.where)}")
        if e.window is not None:
            parts.append(self.w("last months").format(n=self._r(e.window, _PREC_ATOM)))
        if e.default is not None:
            parts.append(f"{self.w('default')} {self.render(e.default)}")
        return "⟨" + ", ".join(parts) + "⟩"


def _row_var(source: str) -> str:
    from ..model import ROW_SOURCES

    return ROW_SOURCES.get(source, source[:1])


def lookups(e: ir.Expr) -> set[str]:
    """Ids of the parameters and function tables an expression reads."""
    return {n.id for n in ir.walk(e) if isinstance(n, ir.Lookup)}


def rule_refs(e: ir.Expr) -> set[str]:
    """Ids of the rules an expression reads, case-level and per-row."""
    return {n.id for n in ir.walk(e) if isinstance(n, (ir.Ref, ir.RowRef))}

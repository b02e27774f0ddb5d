"""Scalar backend: one case at a time, exact arithmetic, with a trace.

Values are computed lazily and memoised per evaluation, so an evaluator is
cheap to create and never shared between threads: :func:`vss_rules.evaluate`
is pure and thread-safe because the Rulebook is immutable.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .. import months as m
from ..calendar import OutsideCalendar, nth_working_day, working_days
from ..errors import CaseError, EvaluationError
from ..lang import ir
from ..money import apply_rounding, round_half_up
from ..rulebook.book import Rule, Rulebook, Table


class Rows(Mapping[str, list]):
    """Row sources of a case, each built the first time a rule reads it (a case pays only for what it uses)."""

    def __init__(self, builders: dict[str, Callable[[], list[dict[str, Any]]]]):
        self._builders = builders
        self._built: dict[str, list[dict[str, Any]]] = {}

    def __getitem__(self, source: str) -> list[dict[str, Any]]:
        if source not in self._built:
            self._built[source] = self._builders[source]()
        return self._built[source]

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)


@dataclass
class CaseData:
    """A validated case in the shape the evaluator reads."""

    inputs: dict[tuple[str, ...], Any]
    facts: dict[str, Any]
    rows: Mapping[str, list[dict[str, Any]]]
    supplied: dict[str, Any] = field(default_factory=dict)  # parameter id → Fraction | {key: Fraction}
    supplied_sources: dict[str, str] = field(default_factory=dict)


_MISSING = object()


class Evaluator:
    def __init__(self, book: Rulebook, data: CaseData, period: str | None, *, trace: bool = False,
                 memo: dict[str, Any] | None = None):
        self.book = book
        self.data = data
        self.period = period
        self.values: dict[str, Any] = dict(memo or {})
        self.trace: list[tuple[str, Any, Rule]] | None = [] if trace else None
        self.used_supplied: set[str] = set()
        self._stack: list[str] = []
        self._touched: dict[str, list[str]] = {}  # rule id → ids it read while being computed
        self._collectors: list[list[str]] = []

    def collect(self, rid: str, row: dict[str, Any] | None = None) -> tuple[Any, list[str]]:
        """Value of ``rid`` (of ``row`` for a per-row rule) and every rule id read to decide it, in the order first read."""
        self._collectors.append([])
        try:
            value = self.value(rid) if row is None else self.row_value(rid, row)
        finally:
            touched = self._collectors.pop()
        return value, list(dict.fromkeys(touched))

    # -- rules -----------------------------------------------------------------------------------
    def definition(self, rid: str) -> Rule:
        defs = self.book.rules.get(rid, ())
        for d in defs:
            if d.laws is None or (self.period is not None and self.period in d.laws):
                return d
        raise EvaluationError(f"rule '{rid}' has no definition under {self.period or 'an undecided law'}", code="RULE_UNDEFINED")

    def _context(self) -> str:
        """What is being computed, for error messages: ``rule <id>`` or ``input check <id>``."""
        top = self._stack[-1] if self._stack else None
        if top is None:
            return "an expression"
        return f"input check {top[len('check:'):]}" if top.startswith("check:") else f"rule {top}"

    def check(self, check_id: str, node: ir.Expr, row: dict[str, Any] | None = None) -> Any:
        """``node`` computed as the event kind's input check ``check_id`` (errors name the check)."""
        self._stack.append(f"check:{check_id}")
        try:
            return self.compute(node, row)
        finally:
            self._stack.pop()

    def value(self, rid: str) -> Any:
        if self._collectors:
            self._collectors[-1].append(rid)
        found = self.values.get(rid, _MISSING)
        if found is not _MISSING:
            if self._collectors:
                self._collectors[-1].extend(self._touched.get(rid, ()))
            return found
        rule = self.definition(rid)
        self._stack.append(rid)
        self._collectors.append([])
        try:
            result = self._rule_value(rule, None)
        finally:
            self._stack.pop()
            self._touched[rid] = self._collectors.pop()
        if self._collectors:
            self._collectors[-1].extend(self._touched[rid])
        self.values[rid] = result
        if self.trace is not None:
            self.trace.append((rid, result, rule))
        return result

    def _rule_value(self, rule: Rule, row: dict[str, Any] | None) -> Any:
        if rule.table is not None:
            keys = [self.compute(i.expr, row) for i in rule.table.inputs]  # type: ignore[arg-type]
            result = self.match(rule.table, keys)
        else:
            result = self.compute(rule.expr, row)  # type: ignore[arg-type]
        if rule.rounding and result is not None:
            try:
                result = Fraction(apply_rounding(result, rule.rounding))
            except ArithmeticError as e:
                raise EvaluationError(f"rule {rule.id}: {e}", where=str(rule.pos), code="ROUNDING") from None
        return result

    def row_value(self, rid: str, row: dict[str, Any]) -> Any:
        if self._collectors:
            self._collectors[-1].append(rid)
        memo = row.setdefault("_memo", {})
        touched = row.setdefault("_touched", {})
        if rid not in memo:
            self._stack.append(rid)
            self._collectors.append([])
            try:
                memo[rid] = self._rule_value(self.definition(rid), row)
            finally:
                self._stack.pop()
                touched[rid] = self._collectors.pop()
        if self._collectors:
            self._collectors[-1].extend(touched.get(rid, ()))
        return memo[rid]

    # -- tables and parameters -----------------------------------------------------------------------
    def match(self, table: Table, keys: list[Any]) -> Any:
        for r in table.rows:
            if all(iv.contains(k) for iv, k in zip(r.when, keys)):
                return r.then
        shown = ", ".join(f"{i.name}={_show(k)}" for i, k in zip(table.inputs, keys))
        raise EvaluationError(f"table {table.id} has no row for {shown}", where=str(table.pos), code="TABLE_NO_MATCH")

    def lookup(self, node: ir.Lookup, row: dict[str, Any] | None) -> Any:
        args = [self.compute(a, row) for a in node.args]
        if node.id in self.book.tables:
            return self.match(self.book.tables[node.id], args)
        param = self.book.parameters[node.id]
        at = args[0]
        key = args[1] if len(args) > 1 else None
        supplied = self.data.supplied.get(param.id)
        if supplied is not None:
            if key is None:
                self.used_supplied.add(param.id)
                return supplied
            k = str(int(key)) if isinstance(key, Fraction) and key.denominator == 1 else str(key)
            if k in supplied:
                self.used_supplied.add(param.id)
                return supplied[k]
        values = param.values
        for i, dv in enumerate(values):
            end = dv.end if dv.end is not None else (values[i + 1].start - dt.timedelta(days=1) if i + 1 < len(values) else None)
            if dv.start <= at and (end is None or at <= end):
                if key is None:
                    return dv.value
                for rng, v in dv.value:
                    if rng.contains(key):
                        return v
                break
        hint = f"; supply it in supplied_parameters.{param.id}" if param.suppliable else ""
        what = f"{param.id} at {at}" + (f" for {param.key[0]} {_show(key)}" if param.key else "")
        raise EvaluationError(f"no value of {what} in the rule files{hint}", where=param.file, code="PARAMETER_UNDEFINED")

    # -- expressions --------------------------------------------------------------------------------
    def compute(self, node: ir.Expr, row: dict[str, Any] | None = None) -> Any:
        method = _DISPATCH[type(node)]
        return method(self, node, row)

    def _const(self, node: ir.Const, row):
        return node.value

    def _input(self, node: ir.Input, row):
        path = node.path
        if path[0] == "facts":
            value = self.data.facts.get(path[1])
            if value is None:
                raise CaseError(f"this case needs event.facts.{path[1]} (for {self._context()})", where=f"event.facts.{path[1]}",
                                code="FACT_REQUIRED")
            return value
        return self.data.inputs[path]

    def _ref(self, node: ir.Ref, row):
        return self.value(node.id)

    def _rowfield(self, node: ir.RowField, row):
        value = row.get(node.field)  # type: ignore[union-attr]
        if value is None:
            path = row.get("_path") or f"{node.source}[{row.get('_index')}]"  # type: ignore[union-attr]
            where = f"{path}.{node.field}"
            raise CaseError(f"{where} is needed here ({self._context()})", where=where, code="FIELD_REQUIRED")
        return value

    def _rowref(self, node: ir.RowRef, row):
        return self.row_value(node.id, row)  # type: ignore[arg-type]

    def _lookup(self, node: ir.Lookup, row):
        return self.lookup(node, row)

    def _func(self, node: ir.Func, row):
        if node.name == "given":  # whether an optional fact is there; reading it would require it
            arg = node.args[0]
            if isinstance(arg, ir.Input):
                return self.data.facts.get(arg.path[1]) is not None
            return row is not None and row.get(arg.field) is not None  # type: ignore[attr-defined]
        args = [self.compute(a, row) for a in node.args]
        if node.name == "nth_working_day":  # the inverse of working_days, against the same calendar
            try:
                return nth_working_day(self.book.calendars[args[0]], args[1], int(args[2]), *args[3:])
            except OutsideCalendar as e:
                where = (row or {}).get("_path") or "event.facts"
                raise CaseError(f"{e}; the rule files cannot count these days yet", where=where, code="OUTSIDE_CALENDAR") from None
        if node.name == "working_days":  # counted against a calendar declared in the rule files
            try:
                return Fraction(working_days(self.book.calendars[args[0]], *args[1:]))
            except OutsideCalendar as e:
                where = (row or {}).get("_path") or "event.facts"
                raise CaseError(f"{e}; the rule files cannot count these days yet", where=where, code="OUTSIDE_CALENDAR") from None
        return _FUNCS[node.name](*args)

    def _arith(self, node: ir.Arith, row):
        a, b = self.compute(node.left, row), self.compute(node.right, row)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        if b == 0:
            raise EvaluationError(f"division by zero in {self._context()}", code="DIVISION_BY_ZERO")
        return Fraction(a) / Fraction(b)

    def _cmp(self, node: ir.Cmp, row):
        return _COMPARE[node.op](self.compute(node.left, row), self.compute(node.right, row))

    def _logic(self, node: ir.Logic, row):
        left = self.compute(node.left, row)
        if node.op == "and":
            return left and self.compute(node.right, row)
        return left or self.compute(node.right, row)

    def _not(self, node: ir.Not, row):
        return not self.compute(node.operand, row)

    def _neg(self, node: ir.Neg, row):
        return -self.compute(node.operand, row)

    def _ifelse(self, node: ir.IfElse, row):
        return self.compute(node.then, row) if self.compute(node.cond, row) else self.compute(node.orelse, row)

    def _in(self, node: ir.In, row):
        return (self.compute(node.operand, row) in node.options) != node.negate

    def _agg(self, node: ir.Agg, row):
        rows = self.data.rows[node.source]
        if node.where is not None:
            rows = [r for r in rows if self.compute(node.where, r)]
        if node.window is not None:
            rows = last_months(rows, int(self.compute(node.window)))
        if node.func == "any":
            return any(self.compute(node.body, r) for r in rows)
        if node.func == "all":
            return all(self.compute(node.body, r) for r in rows)
        values = [self.compute(node.body, r) for r in rows]
        if node.func == "sum":
            return sum(values, Fraction(0))
        if not values:
            if node.default is None:
                raise EvaluationError(f"{node.func}() over no {node.source} (add 'default …')", code="EMPTY_AGGREGATE")
            return self.compute(node.default)
        return min(values) if node.func == "min" else max(values)


def last_months(rows: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """The latest ``n`` months of ``rows`` (sorted by start), clipping the earliest row taken."""
    out: list[dict[str, Any]] = []
    left = n
    for r in reversed(rows):
        if left <= 0:
            break
        count = int(r["months"])
        if count <= left:
            out.append(r)
            left -= count
        else:
            clipped = {k: v for k, v in r.items() if k not in ("_memo", "_touched")}
            clipped["start"] = r["end"] - left + 1
            clipped["months"] = Fraction(left)
            out.append(clipped)
            left = 0
    out.reverse()
    return out


def _show(v: Any) -> str:
    if isinstance(v, Fraction):
        return str(int(v)) if v.denominator == 1 else str(float(v))
    return str(v)


_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _rounding(fn):
    return lambda x: Fraction(fn(Fraction(x)))


_FUNCS = {
    "min": lambda *a: min(a),
    "max": lambda *a: max(a),
    "round": _rounding(round_half_up),
    "floor": _rounding(lambda x: x.numerator // x.denominator),
    "ceil": _rounding(lambda x: -((-x.numerator) // x.denominator)),
    "abs": lambda x: abs(x),
    "mod": lambda a, b: Fraction(int(a) % int(b)),
    "date": lambda y, mo, d: dt.date(int(y), int(mo), int(d)),
    "month": lambda y, mo: m.month(int(y), int(mo)),
    "month_of": m.month_of,
    "first_day": m.first_day,
    "last_day": m.last_day,
    "add_months": lambda x, n: m.add_months_to_date(x, int(n)) if isinstance(x, dt.date) else x + int(n),
    "months_between": lambda a, b: Fraction(b - a),
    "add_days": lambda d, n: d + dt.timedelta(days=int(n)),
    "days_between": lambda a, b: Fraction((b - a).days),
    "year": lambda x: Fraction(x.year if isinstance(x, dt.date) else m.year_of(x)),
    "month_number": lambda x: Fraction(x.month if isinstance(x, dt.date) else m.month_number(x)),
    "day": lambda d: Fraction(d.day),
}

_DISPATCH = {
    ir.Const: Evaluator._const,
    ir.Input: Evaluator._input,
    ir.Ref: Evaluator._ref,
    ir.RowField: Evaluator._rowfield,
    ir.RowRef: Evaluator._rowref,
    ir.Lookup: Evaluator._lookup,
    ir.Func: Evaluator._func,
    ir.Arith: Evaluator._arith,
    ir.Cmp: Evaluator._cmp,
    ir.Logic: Evaluator._logic,
    ir.Not: Evaluator._not,
    ir.Neg: Evaluator._neg,
    ir.IfElse: Evaluator._ifelse,
    ir.In: Evaluator._in,
    ir.Agg: Evaluator._agg,
}

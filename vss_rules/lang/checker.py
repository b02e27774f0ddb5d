"""Name resolution and type checking: syntax tree → typed IR.

The checker knows nothing of any regime. What names mean comes from a
:class:`Scope` that the rulebook provides (case inputs, rule values, dated
parameters and tables, per-row fields of contribution periods).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from . import ast, ir
from .types import BOOL, CALENDAR, DATE, DATES, INT, MONEY, MONTH, NUMBER, WEEKDAYS, Type, unify


class TypeCheckError(Exception):
    def __init__(self, message: str, line: int, col: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass(frozen=True)
class Signature:
    params: tuple[Type, ...]
    result: Type


class Scope(Protocol):
    def value_type(self, name: str) -> Type | None: ...

    def lookup_signature(self, name: str) -> Signature | None: ...

    def input_type(self, path: tuple[str, ...]) -> Type | None: ...

    def input_roots(self) -> tuple[str, ...]: ...

    def row_type(self, source: str, name: str) -> tuple[str, Type] | None:
        """('field'|'value', type) of ``name`` on a row of ``source``."""
        ...

    def sources(self) -> dict[str, str]:
        """Row sources and the conventional name of their row variable."""
        ...


def _err(node: ast.Node, message: str) -> TypeCheckError:
    return TypeCheckError(message, node.line, node.col)


ORDERED = ("int", "number", "money", "date", "month")


def _is_literal_number(node: ir.Expr) -> bool:
    return isinstance(node, ir.Const) and node.type.numeric


def _as(node: ir.Expr, target: Type) -> ir.Expr:
    """Let a whole-number literal stand for money (``max(x, 0)`` where x is money); ``x + 1%`` stays an error."""
    if target == MONEY and isinstance(node, ir.Const) and node.type == INT:
        return ir.Const(MONEY, node.value)
    return node


def _common(nodes: list[ir.Expr], where: ast.Node, what: str) -> tuple[Type, list[ir.Expr]]:
    target: Type | None = None
    for n in nodes:
        if _is_literal_number(n):
            continue
        target = n.type if target is None else unify(target, n.type)
        if target is None:
            kinds = ", ".join(str(n.type) for n in nodes)
            raise _err(where, f"{what} mixes incompatible types ({kinds})")
    if target is None:  # all literals
        target = NUMBER if any(n.type == NUMBER for n in nodes) else INT
    out = [_as(n, target) for n in nodes]
    for n in out:
        if unify(n.type, target) != target and not (target.numeric and n.type.numeric):
            kinds = ", ".join(str(n.type) for n in nodes)
            raise _err(where, f"{what} mixes incompatible types ({kinds})")
    return target, out


class Checker:
    def __init__(self, scope: Scope, row: tuple[str, str] | None = None):
        """``row`` = (source, variable) when checking a per-row rule."""
        self.scope = scope
        self.rows: dict[str, str] = {row[1]: row[0]} if row else {}
        self.in_row_rule = row is not None

    def check(self, node: ast.Node, expected: Type | None = None) -> ir.Expr:
        out = self._check(node)
        if expected is not None:
            out = _as(out, expected)
            ok = out.type == expected or (expected == NUMBER and out.type == INT) or (
                expected.kind == "text" and out.type.kind == "text" and (expected.values is None or (out.type.values is not None and set(out.type.values) <= set(expected.values)))
            )
            if not ok:
                raise _err(node, f"expected {expected}, found {out.type}")
        return out

    # -- dispatch -------------------------------------------------------------------------------
    def _check(self, node: ast.Node) -> ir.Expr:
        method = getattr(self, "_" + type(node).__name__.lower())
        return method(node)

    def _num(self, node: ast.Num) -> ir.Expr:
        return ir.Const(INT if node.integral else NUMBER, node.value)

    def _str(self, node: ast.Str) -> ir.Expr:
        return ir.Const(Type("text", (node.value,)), node.value)

    def _bool(self, node: ast.Bool) -> ir.Expr:
        return ir.Const(BOOL, node.value)

    def _name(self, node: ast.Name) -> ir.Expr:
        head, rest = node.parts[0], node.parts[1:]
        if head in self.rows:
            source = self.rows[head]
            if len(rest) != 1:
                raise _err(node, f"write {head}.<field> to use a field of a {source} row")
            found = self.scope.row_type(source, rest[0])
            if found is None:
                raise _err(node, f"unknown field '{rest[0]}' of {source}")
            kind, typ = found
            return ir.RowField(typ, source, rest[0]) if kind == "field" else ir.RowRef(typ, source, rest[0])
        if head in self.scope.sources().values() or head in self.scope.sources():
            raise _err(node, f"'{head}' can only be used inside an aggregation such as sum(… for {self.scope.sources().get(head, head)} in {head})")
        if rest:
            if head not in self.scope.input_roots():
                raise _err(node, f"unknown name '{'.'.join(node.parts)}'")
            typ = self.scope.input_type(node.parts)
            if typ is None:
                raise _err(node, f"unknown input '{'.'.join(node.parts)}'")
            return ir.Input(typ, node.parts)
        typ = self.scope.value_type(head)
        if typ is None and head in getattr(self.scope, "calendars", lambda: ())():
            return ir.Const(CALENDAR, head)  # a working-day calendar declared in rules/calendar/
        if typ is None:
            if self.scope.lookup_signature(head) is not None:
                raise _err(node, f"'{head}' is a parameter or table: call it, e.g. {head}(date)")
            raise _err(node, f"unknown name '{head}'")
        return ir.Ref(typ, head)

    def _binop(self, node: ast.BinOp) -> ir.Expr:
        left, right = self._check(node.left), self._check(node.right)
        op = node.op
        lt, rt = left.type, right.type
        if op in "+-":
            if lt.numeric and rt.numeric:
                return ir.Arith(INT if lt == rt == INT else NUMBER, op, left, right)
            if MONEY in (lt, rt):
                left, right = _as(left, MONEY), _as(right, MONEY)
                if left.type == right.type == MONEY:
                    return ir.Arith(MONEY, op, left, right)
        elif op == "*":
            if lt.numeric and rt.numeric:
                return ir.Arith(INT if lt == rt == INT else NUMBER, op, left, right)
            if (lt == MONEY and rt.numeric) or (lt.numeric and rt == MONEY):
                return ir.Arith(MONEY, op, left, right)
        elif op == "/":
            if isinstance(right, ir.Const) and right.value == 0:
                raise _err(node, "division by zero")
            if lt.numeric and rt.numeric:
                return ir.Arith(NUMBER, op, left, right)
            if lt == MONEY and rt.numeric:
                return ir.Arith(MONEY, op, left, right)
            if lt == MONEY and rt == MONEY:
                return ir.Arith(NUMBER, op, left, right)
        raise _err(node, f"cannot apply '{op}' to {lt} and {rt}")

    def _compare(self, node: ast.Compare) -> ir.Expr:
        left, right = self._check(node.left), self._check(node.right)
        typ, (left, right) = _common([left, right], node, f"comparison '{node.op}'")
        if node.op not in ("==", "!=") and typ.kind not in ORDERED:
            raise _err(node, f"cannot order values of type {typ} with '{node.op}'")
        for side, other in ((left, right), (right, left)):
            if side.type.kind == "text" and isinstance(other, ir.Const):
                self._known_text(node, side.type, [other.value])
        return ir.Cmp(BOOL, node.op, left, right)

    def _known_text(self, node: ast.Node, typ: Type, values: list[object]) -> None:
        if typ.values is None:
            return
        for v in values:
            if v not in typ.values:
                raise _err(node, f"{v!r} is not a possible value here (expected one of {', '.join(typ.values)})")

    def _logic(self, node: ast.Logic) -> ir.Expr:
        left = self.check(node.left, BOOL)
        right = self.check(node.right, BOOL)
        return ir.Logic(BOOL, node.op, left, right)

    def _not(self, node: ast.Not) -> ir.Expr:
        return ir.Not(BOOL, self.check(node.operand, BOOL))

    def _neg(self, node: ast.Neg) -> ir.Expr:
        operand = self._check(node.operand)
        if not (operand.type.numeric or operand.type == MONEY):
            raise _err(node, f"cannot negate {operand.type}")
        return ir.Neg(operand.type, operand)

    def _if(self, node: ast.If) -> ir.Expr:
        cond = self.check(node.cond, BOOL)
        then, orelse = self._check(node.then), self._check(node.orelse)
        typ, (then, orelse) = _common([then, orelse], node, "if/else")
        return ir.IfElse(typ, cond, then, orelse)

    def _member(self, node: ast.Member) -> ir.Expr:
        operand = self._check(node.operand)
        options = [self._check(o) for o in node.options]
        if not all(isinstance(o, ir.Const) for o in options):
            raise _err(node, "the list after 'in' must hold literal values")
        typ, options = _common([operand, *options], node, "'in'")
        if typ.kind == "text":
            self._known_text(node, operand.type, [o.value for o in options[1:]])  # type: ignore[attr-defined]
        return ir.In(BOOL, options[0], tuple(o.value for o in options[1:]), node.negate)  # type: ignore[attr-defined]

    # -- calls ----------------------------------------------------------------------------------
    def _call(self, node: ast.Call) -> ir.Expr:
        builtin = _BUILTINS.get(node.func)
        if builtin is not None:
            args = [self._check(a) for a in node.args]
            return builtin(self, node, args)
        sig = self.scope.lookup_signature(node.func)
        if sig is None:
            if self.scope.value_type(node.func) is not None:
                raise _err(node, f"'{node.func}' is a value, not a function: write it without parentheses")
            raise _err(node, f"unknown function or parameter '{node.func}'")
        if len(node.args) != len(sig.params):
            raise _err(node, f"{node.func} takes {len(sig.params)} argument(s) ({', '.join(map(str, sig.params))}), got {len(node.args)}")
        args = tuple(self.check(a, p) for a, p in zip(node.args, sig.params))
        return ir.Lookup(sig.result, node.func, args)

    def _aggregate(self, node: ast.Aggregate) -> ir.Expr:
        sources = self.scope.sources()
        if node.source not in sources:
            raise _err(node, f"unknown collection '{node.source}' (known: {', '.join(sources)})")
        if self.in_row_rule or any(True for _ in self.rows):
            raise _err(node, "aggregations cannot be nested or used inside a per-row rule")
        if node.window is not None and self.scope.row_type(node.source, "months") is None:
            raise _err(node, f"'last … months' needs rows with months; {node.source} has none")
        window = self.check(node.window, INT) if node.window is not None else None
        default = self._check(node.default) if node.default is not None else None
        inner = Checker(self.scope)
        inner.rows = {node.var: node.source}
        where = inner.check(node.where, BOOL) if node.where is not None else None
        body = inner._check(node.body)
        func = node.func
        if func in ("any", "all"):
            body = _as(body, BOOL)
            if body.type != BOOL:
                raise _err(node.body, f"{func}() needs a true/false body, found {body.type}")
            typ = BOOL
        elif func == "sum":
            if not (body.type.numeric or body.type == MONEY):
                raise _err(node.body, f"sum() needs numbers or money, found {body.type}")
            typ = body.type
        else:  # min / max
            if body.type.kind not in ORDERED:
                raise _err(node.body, f"{func}() needs ordered values, found {body.type}")
            typ = body.type
        if default is not None:
            default = _as(default, typ)
            if unify(default.type, typ) != typ:
                raise _err(node.default, f"default must be {typ}, found {default.type}")
        return ir.Agg(typ, func, body, node.source, where, window, default)


# -- builtin functions ------------------------------------------------------------------------------
def _arity(node: ast.Call, args: list[ir.Expr], n: int) -> None:
    if len(args) != n:
        raise _err(node, f"{node.func}() takes {n} argument(s), got {len(args)}")


def _want(node: ast.Call, arg: ir.Expr, *types: Type) -> None:
    if arg.type not in types and not (NUMBER in types and arg.type == INT):
        raise _err(node, f"{node.func}() expects {' or '.join(map(str, types))}, got {arg.type}")


def _minmax(checker: Checker, node: ast.Call, args: list[ir.Expr]) -> ir.Expr:
    if len(args) < 2:
        raise _err(node, f"{node.func}() takes two or more values (for a collection write {node.func}(… for c in …))")
    typ, args = _common(args, node, f"{node.func}()")
    if typ.kind not in ORDERED:
        raise _err(node, f"{node.func}() needs ordered values, found {typ}")
    return ir.Func(typ, node.func, tuple(args))


def _rounding(checker: Checker, node: ast.Call, args: list[ir.Expr]) -> ir.Expr:
    _arity(node, args, 1)
    _want(node, args[0], NUMBER, MONEY)
    return ir.Func(MONEY if args[0].type == MONEY else INT, node.func, tuple(args))


def _abs(checker: Checker, node: ast.Call, args: list[ir.Expr]) -> ir.Expr:
    _arity(node, args, 1)
    _want(node, args[0], NUMBER, MONEY)
    return ir.Func(args[0].type, "abs", tuple(args))


def _fixed(params: tuple[Type, ...], result: Type):
    def check(checker: Checker, node: ast.Call, args: list[ir.Expr]) -> ir.Expr:
        _arity(node, args, len(params))
        for a, p in zip(args, params):
            _want(node, a, p)
        return ir.Func(result, node.func, tuple(args))

    return check


def _given(checker: Checker, node: ast.Call, args: list[ir.Expr]) -> ir.Expr:
    """``given(facts.x)`` / ``given(e.x)``: whether an optional fact was supplied (reading it would need it)."""
    _arity(node, args, 1)
    arg = args[0]
    if not ((isinstance(arg, ir.Input) and arg.path[0] == "facts") or isinstance(arg, ir.RowField)):
        raise _err(node, "given() takes a fact (facts.x) or a field of a row (e.x)")
    return ir.Func(BOOL, "given", (arg,))


def _add_months(checker: Checker, node: ast.Call, args: list[ir.Expr]) -> ir.Expr:
    """``add_months(month, n)`` → month; ``add_months(date, n)`` → the same day n months on (clipped to the month's end)."""
    _arity(node, args, 2)
    _want(node, args[0], DATE, MONTH)
    _want(node, args[1], INT)
    return ir.Func(args[0].type, "add_months", tuple(args))


def _calendar_call(signature: str, params: tuple[Type, ...], result: Type):
    """A builtin counted on a working-day calendar: a calendar first, then ``params``; ``signature`` names them."""
    name = signature.split("(", 1)[0]

    def check(checker: Checker, node: ast.Call, args: list[ir.Expr]) -> ir.Expr:
        _arity(node, args, 1 + len(params))
        if args[0].type != CALENDAR:
            raise _err(node, f"{name}() takes a calendar first (declared in rules/calendar/), e.g. {name}(vn_public_holidays, …)")
        for a, want in zip(args[1:], params):
            if a.type != want:
                raise _err(node, f"{signature} expects {want} here, got {a.type}")
        return ir.Func(result, name, tuple(args))

    return check


# working_days(calendar, from, to, weekly_rest, rest_dates): working days from `from` to `to` (both included;
# 0 when `to` is before `from`) — not a holiday of the calendar, not a weekday in `weekly_rest`, not in
# `rest_dates`, not a make-up day for a rest day that fell on a holiday.
_working_days = _calendar_call("working_days(calendar, from, to, weekly_rest, rest_dates)", (DATE, DATE, WEEKDAYS, DATES), INT)
# nth_working_day(calendar, from, n, weekly_rest, rest_dates): the day of the n-th working day counted from
# `from` (included) — the inverse of working_days.
_nth_working_day = _calendar_call("nth_working_day(calendar, from, n, weekly_rest, rest_dates)", (DATE, INT, WEEKDAYS, DATES), DATE)


def _of_date_or_month(result: Type):
    def check(checker: Checker, node: ast.Call, args: list[ir.Expr]) -> ir.Expr:
        _arity(node, args, 1)
        _want(node, args[0], DATE, MONTH)
        return ir.Func(result, node.func, tuple(args))

    return check


_BUILTINS = {
    "min": _minmax,
    "max": _minmax,
    "round": _rounding,
    "floor": _rounding,
    "ceil": _rounding,
    "abs": _abs,
    "mod": _fixed((INT, INT), INT),
    "date": _fixed((INT, INT, INT), DATE),
    "month": _fixed((INT, INT), MONTH),
    "month_of": _fixed((DATE,), MONTH),
    "first_day": _fixed((MONTH,), DATE),
    "last_day": _fixed((MONTH,), DATE),
    "add_months": _add_months,
    "given": _given,
    "working_days": _working_days,
    "nth_working_day": _nth_working_day,
    "months_between": _fixed((MONTH, MONTH), INT),
    "add_days": _fixed((DATE, INT), DATE),
    "days_between": _fixed((DATE, DATE), INT),
    "year": _of_date_or_month(INT),
    "month_number": _of_date_or_month(INT),
    "day": _fixed((DATE,), INT),
}

BUILTIN_NAMES = frozenset(_BUILTINS)

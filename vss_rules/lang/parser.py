"""Text → syntax tree, with lark. Parse errors carry line and column."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from importlib.resources import files

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from . import ast

AGGREGATES = frozenset({"sum", "any", "all", "min", "max"})


class ExpressionSyntaxError(Exception):
    """A syntax error at (line, col) of the expression text (both from 1)."""

    def __init__(self, message: str, line: int, col: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = files("vss_rules.lang").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def _pos(meta_or_token) -> tuple[int, int]:
    return getattr(meta_or_token, "line", 1) or 1, getattr(meta_or_token, "column", 1) or 1


@v_args(meta=True)
class _ToAst(Transformer):
    def number(self, meta, children):
        text = str(children[0]).replace("_", "")
        return ast.Num(*_pos(meta), Fraction(text), "." not in text)

    def percent(self, meta, children):
        return ast.Num(*_pos(meta), Fraction(str(children[0])[:-1]) / 100, False)

    def string(self, meta, children):
        return ast.Str(*_pos(meta), str(children[0])[1:-1])

    def true(self, meta, children):
        return ast.Bool(*_pos(meta), True)

    def false(self, meta, children):
        return ast.Bool(*_pos(meta), False)

    def dotted(self, meta, children):
        return ast.Name(*_pos(meta), tuple(str(c) for c in children))

    def call(self, meta, children):
        name, *args = children
        return ast.Call(*_pos(meta), str(name), tuple(args))

    def aggregate(self, meta, children):
        func, body, var, source, *rest = children
        if str(func) not in AGGREGATES:
            raise ExpressionSyntaxError(
                f"'{func}(… for …)' is not an aggregation; use one of {', '.join(sorted(AGGREGATES))}", *_pos(func)
            )
        parts = {t.data: t.children[0] for t in rest if isinstance(t, Tree)}
        return ast.Aggregate(
            *_pos(meta), str(func), body, str(var), str(source), parts.get("where"), parts.get("window"), parts.get("default")
        )

    def source(self, meta, children):
        return ".".join(str(c) for c in children)

    def binop(self, meta, children):
        left, op, right = children
        return ast.BinOp(*_pos(meta), str(op), left, right)

    def compare(self, meta, children):
        left, op, right = children
        return ast.Compare(*_pos(meta), str(op), left, right)

    def and_(self, meta, children):
        return ast.Logic(*_pos(meta), "and", *children)

    def or_(self, meta, children):
        return ast.Logic(*_pos(meta), "or", *children)

    def not_(self, meta, children):
        return ast.Not(*_pos(meta), children[0])

    def neg(self, meta, children):
        return ast.Neg(*_pos(meta), children[0])

    def cond(self, meta, children):
        return ast.If(*_pos(meta), *children)

    def member(self, meta, children):
        return ast.Member(*_pos(meta), children[0], tuple(children[1:]), False)

    def not_member(self, meta, children):
        return ast.Member(*_pos(meta), children[0], tuple(children[1:]), True)


def _end(text: str) -> tuple[int, int]:
    lines = text.splitlines() or [""]
    return len(lines), len(lines[-1]) + 1


def _describe(exc: UnexpectedInput) -> str:
    if isinstance(exc, UnexpectedToken):
        if exc.token.type == "$END":
            return "unexpected end of expression"
        return f"unexpected {exc.token.value!r}"
    if isinstance(exc, UnexpectedCharacters):
        return f"unexpected character {exc.char!r}"
    if isinstance(exc, UnexpectedEOF):
        return "unexpected end of expression"
    return "syntax error"


def parse(text: str) -> ast.Node:
    """Parse one expression. Raises :class:`ExpressionSyntaxError`."""
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        line = getattr(exc, "line", 1)
        col = getattr(exc, "column", 1)
        at_end = isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END")
        if at_end or not isinstance(line, int) or line < 1:
            line, col = _end(text)
        raise ExpressionSyntaxError(_describe(exc), line, col) from None
    if isinstance(tree, Token):  # pragma: no cover - grammar always yields trees
        raise ExpressionSyntaxError("not an expression", 1, 1)
    try:
        return _ToAst().transform(tree)
    except VisitError as exc:  # lark wraps errors raised while transforming
        if isinstance(exc.orig_exc, ExpressionSyntaxError):
            raise exc.orig_exc from None
        raise

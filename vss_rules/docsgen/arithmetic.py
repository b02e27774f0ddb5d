"""The arithmetic of an amount, for a readable account of a Decision: the formula of the amount's rule
with its operands' values put in, then the same for each operand that is itself computed."""

from __future__ import annotations

from typing import Any

from ..lang import ir
from ..rulebook.book import Rulebook
from .notation import Notation, value_text

MAX_DEPTH = 3
_COMPUTING = (ir.Arith, ir.Func, ir.Agg, ir.IfElse, ir.Lookup)


def _refs_in_order(e: ir.Expr) -> list[str]:
    return list(dict.fromkeys(n.id for n in ir.walk(e) if isinstance(n, ir.Ref)))


def amount_lines(book: Rulebook, period: str, values: dict[str, Any], rule_id: str, lang: str,
                 indent: str = "    ") -> list[str]:
    """Lines showing how the value of ``rule_id`` was computed under ``period`` from ``values``
    (a Decision's named values); empty when the rule has no formula."""
    lines: list[str] = []
    seen: set[str] = set()

    def shown(rid: str) -> str | None:
        rule = book.definition(rid, period)
        if rid not in values or rule is None:
            return None
        return value_text(values[rid], rule.type, lang)

    def walk(rid: str, depth: int) -> None:
        rule = book.definition(rid, period)
        if rule is None or rule.expr is None or rid in seen or depth > MAX_DEPTH or rid not in values:
            return
        seen.add(rid)
        pad = indent + "   " * depth
        names = Notation(lang, markdown=False).render(rule.expr)
        result = shown(rid) or "—"
        line = f"{pad}{rule.title.get(lang)} ({rid}) = {names}"
        if isinstance(rule.expr, ir.IfElse):  # a chain of cases: name the operands' values instead
            operands = [f"{r} = {shown(r)}" for r in _refs_in_order(rule.expr) if shown(r) is not None]
            lines.append(f"{line} = {result}")
            if operands:
                lines.append(f"{pad}   ({'; '.join(operands)})")
        else:
            worked = Notation(lang, markdown=False, value_of=shown).render(rule.expr)
            lines.append(f"{line}" + (f" = {worked}" if worked != names else "") + f" = {result}")
        for ref in _refs_in_order(rule.expr):
            sub = book.definition(ref, period)
            if sub is not None and isinstance(sub.expr, _COMPUTING) and sub.type.kind in ("int", "number", "money"):
                walk(ref, depth + 1)

    walk(rule_id, 0)
    return lines


def benefit_arithmetic(decision: Any, benefit_id: str, lang: str, book: Rulebook | None = None) -> list[str]:
    """The arithmetic of a decided benefit's amount (empty when the rules at hand do not know it)."""
    from ..errors import VssError
    from ..rulebook import load_rulebook

    try:
        book = book or load_rulebook()
    except VssError:
        return []
    benefit = book.benefits.get(benefit_id)
    if benefit is None or not benefit.amount:
        return []
    return amount_lines(book, decision.law.period, decision.values, benefit.amount, lang)

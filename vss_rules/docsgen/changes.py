"""What changed from one law period to the next, rule by rule, for one regime."""

from __future__ import annotations

from dataclasses import dataclass

from ..rulebook.book import Benefit, LawPeriod, Rule
from .model import Book, Regime, applies


@dataclass
class Change:
    id: str
    status: str  # added | removed | changed | reworded | unchanged
    before: Rule | Benefit | None
    after: Rule | Benefit | None


@dataclass
class Transition:
    before: LawPeriod
    after: LawPeriod
    between_versions: bool
    changes: list[Change]

    def of(self, status: str) -> list[Change]:
        return [c for c in self.changes if c.status == status]


def _same_logic(a: Rule, b: Rule) -> bool:
    return (a.kind, a.type, a.scope, a.expr, a.table and (a.table.inputs, a.table.rows), a.rounding) == \
        (b.kind, b.type, b.scope, b.expr, b.table and (b.table.inputs, b.table.rows), b.rounding)


def _same_logic_benefit(a: Benefit, b: Benefit) -> bool:
    keys = ("eligible", "only_if", "amount", "rounding", "unit", "quantity", "start_date", "on_refusal", "event_kinds")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def _compare(ident: str, a, b) -> Change:
    if a is None and b is None:
        raise ValueError(ident)
    if a is None:
        return Change(ident, "added", None, b)
    if b is None:
        return Change(ident, "removed", a, None)
    if a is b:
        return Change(ident, "unchanged", a, b)
    same = _same_logic_benefit(a, b) if isinstance(a, Benefit) else _same_logic(a, b)
    if not same:
        return Change(ident, "changed", a, b)
    wording = (a.title, a.text, a.cites, getattr(a, "quote", None)) != (b.title, b.text, b.cites, getattr(b, "quote", None))
    return Change(ident, "reworded" if wording else "unchanged", a, b)


def _definition(reg: Regime, rid: str, period: LawPeriod) -> Rule | None:
    return next((d for d in reg.rules.get(rid, ()) if applies(d.laws, [period])), None)


def transitions(bk: Book, reg: Regime) -> list[Transition]:
    """Each step from one period to the next in each law family, where the regime has rules on both sides."""
    out = []
    families = bk.families_of(reg)
    for family in bk.book.families.values():
        if family.id not in families:
            continue
        periods = [p for v in family.versions for p in v.periods]
        for before, after in zip(periods, periods[1:]):
            changes = []
            for rid in reg.rules:
                a, b = _definition(reg, rid, before), _definition(reg, rid, after)
                if a is not None or b is not None:
                    changes.append(_compare(rid, a, b))
            for ben in reg.benefits:
                a2 = ben if applies(ben.laws, [before]) else None
                b2 = ben if applies(ben.laws, [after]) else None
                if a2 is not None or b2 is not None:
                    changes.append(_compare(ben.id, a2, b2))
            if any(c.before is not None for c in changes) and any(c.after is not None for c in changes):
                out.append(Transition(before, after, before.version != after.version, changes))
    return out

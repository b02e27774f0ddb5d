"""Whole-book checks: one definition per law period, benefits well formed, names resolve without cycles, citations known."""

from __future__ import annotations

from ..errors import Position, RuleFileError
from ..lang import ir
from ..lang.types import BOOL, DATE, INT, MONEY, NUMBER


class BookChecks:
    """Mixin of the loader (:class:`vss_rules.rulebook.loader._Load`); uses its state and helpers."""

    def check_definitions(self) -> None:
        for rid, defs in self.rules.items():
            for i, a in enumerate(defs):
                for b in defs[i + 1:]:
                    if a.laws is None or b.laws is None or a.laws & b.laws:
                        both = sorted((a.laws or set()) & (b.laws or set())) or ["every law"]
                        self.fail(RuleFileError(
                            f"rule {rid} is defined twice for {', '.join(both)} (also at {a.pos})", where=b.pos, code="DUPLICATE_ID"))

    def check_benefits(self) -> None:
        wants = {"eligible": (BOOL,), "only_if": (BOOL,), "amount": (MONEY,), "quantity": (INT, NUMBER), "start_date": (DATE,)}
        for b in self.benefits.values():
            for k in b.event_kinds:
                if k not in self.event_kinds:
                    self.fail(RuleFileError(f"benefit {b.id}: unknown event kind '{k}'", where=b.pos, code="UNKNOWN_NAME"))
            rows = self.decl.row_values.get(b.per, {}) if b.per else {}  # per-row rules of a per-row benefit
            for attr, types in wants.items():
                ref = getattr(b, attr)
                if ref is None:
                    continue
                typ = self.decl.values.get(ref) if attr == "only_if" else self.decl.values.get(ref, rows.get(ref))
                if typ is None:
                    self.fail(RuleFileError(f"benefit {b.id}: {attr} names unknown rule '{ref}'", where=b.pos, code="UNKNOWN_NAME"))
                elif typ not in types:
                    self.fail(RuleFileError(f"benefit {b.id}: {attr} '{ref}' is {typ}, expected {' or '.join(map(str, types))}",
                                            where=b.pos, code="TYPE_ERROR"))
            for ref in (*b.on_refusal, *b.report):
                if ref not in self.decl.values and ref not in rows:
                    what = "on_refusal" if ref in b.on_refusal else "report"
                    self.fail(RuleFileError(f"benefit {b.id}: {what} names unknown rule '{ref}'", where=b.pos, code="UNKNOWN_NAME"))
        for k in self.event_kinds.values():
            if k.family not in self.families:
                self.fail(RuleFileError(f"event kind {k.id}: unknown law family '{k.family}'", where=Position(k.file), code="UNKNOWN_NAME"))
            if k.law_date is not None and self.decl.values.get(k.law_date) != DATE:
                self.fail(RuleFileError(f"event kind {k.id}: law_date must name a rule of type date, not '{k.law_date}'",
                                        where=Position(k.file), code="UNKNOWN_NAME"))

    def check_periods_resolve(self) -> None:
        """Under each law period, everything a benefit needs resolves to exactly one definition, without cycles."""
        for kind in self.event_kinds.values():
            if kind.law_date is not None:
                self.resolve(kind.law_date, None, [f"law_date of event kind {kind.id}"], set(), set())
        for fam in self.families.values():
            kinds = {k.id for k in self.event_kinds.values() if k.family == fam.id}
            for version in fam.versions:
                for period in version.periods:
                    done: set[str] = set()
                    for b in self.benefits.values():
                        if not kinds & set(b.event_kinds) or (b.laws is not None and period.id not in b.laws):
                            continue
                        for ref in (b.eligible, b.only_if, b.amount, b.quantity, b.start_date, *b.on_refusal, *b.report):
                            if ref:
                                self.resolve(ref, period.id, [f"benefit {b.id}"], done, set())

    def resolve(self, rid: str, period: str | None, path: list[str], done: set[str], stack: set[str]) -> None:
        if rid in done:
            return
        if rid in stack:
            self.fail(RuleFileError(f"circular definition: {' → '.join(path)}", where=self.first_pos(rid), code="CYCLE"))
            return
        defs = self.rules.get(rid, [])
        if period is None:
            match = [d for d in defs if d.laws is None]
            if defs and not match:
                self.fail(RuleFileError(f"{path[0]} needs '{rid}' before the law is chosen, so it cannot be limited to some laws",
                                        where=defs[0].pos, code="LAW_SCOPE"))
                return
        else:
            match = [d for d in defs if d.laws is None or period in d.laws]
        if not match:
            if defs:
                self.fail(RuleFileError(f"'{rid}' has no definition under {period} (needed by {' → '.join(path)})",
                                        where=defs[0].pos, code="LAW_SCOPE"))
            return
        rule = match[0]
        stack.add(rid)
        nodes = [rule.expr] if rule.expr is not None else [i.expr for i in rule.table.inputs if i.expr is not None]  # type: ignore[union-attr]
        for node in nodes:
            for n in ir.walk(node):
                if isinstance(n, (ir.Ref, ir.RowRef)):
                    self.resolve(n.id, period, [*path, n.id], done, stack)
        stack.discard(rid)
        done.add(rid)

    def first_pos(self, rid: str) -> Position:
        defs = self.rules.get(rid)
        return defs[0].pos if defs else Position(str(self.root))

    def check_citations(self) -> None:
        for cite, pos in self.all_cites:
            if cite.document not in self.instruments:
                self.fail(RuleFileError(f"citation of unknown document '{cite.document}' (declare it under instruments in laws.yaml)",
                                        where=pos, code="UNKNOWN_DOCUMENT"))

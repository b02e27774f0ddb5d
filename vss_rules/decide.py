"""evaluate(case) → Decision, with the scalar backend.

Steps: validate the case against the rulebook; choose the law version with the
family's cited selection rule and the event kind's deciding date; decide every
benefit the rule files declare for the event kind under that law; report
values, reasons (the conditions that decided), remedies and a trace.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from functools import lru_cache
from typing import Any

from . import months
from .backends.scalar import Evaluator
from .errors import CaseError, EvaluationError, NotEncodedError, VssError
from .intake import prepare, validate_case
from .lang import ir
from .lang.types import Type
from .model import BenefitDecision, Bilingual, CitationOut, Decision, LawApplied, Reason, Remedy, TraceStep
from .money import apply_rounding
from .rulebook.book import Benefit, Citation, EventKind, LawPeriod, Rulebook, Text

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def output_value(value: Any, typ: Type) -> Any:
    """A runtime value → its JSON-friendly form."""
    if value is None:
        return None
    if typ.kind == "month":
        return months.month_str(value)
    if typ.kind == "date":
        return value.isoformat()
    if typ.kind in ("int", "number", "money"):
        x = Fraction(value)
        return int(x) if x.denominator == 1 else float(x)
    return value


def cite_out(c: Citation) -> CitationOut:
    return CitationOut.model_construct(document=c.document, article=c.article, clause=c.clause, point=c.point,
                                       label=c.label("en"), label_vi=c.label("vi"), status=c.status)


def bilingual(t: Text) -> Bilingual:
    return Bilingual.model_construct(vi=t.vi, en=t.en)


@lru_cache(maxsize=4096)
def _cites_for(cites: tuple[Citation, ...], other_versions: frozenset[str]) -> tuple[CitationOut, ...]:
    """Citations that speak for the law applied: those of other versions of the same law are left out."""
    kept = [c for c in cites if c.document not in other_versions]
    return tuple(cite_out(c) for c in (kept or cites))


_POLARITY: dict[int, tuple[ir.Expr, dict[str, int]]] = {}


def _polarities(expr: ir.Expr | None) -> dict[str, int]:
    """For each rule an expression reads: +1 if it counts for the result, -1 if against (under a ``not``), 0 if both
    or undetermined (an ``if`` condition, a comparison, a function argument)."""
    if expr is None:
        return {}
    found = _POLARITY.get(id(expr))
    if found is not None and found[0] is expr:
        return found[1]
    out: dict[str, int] = {}

    def walk(node: ir.Expr, sign: int) -> None:
        if isinstance(node, (ir.Ref, ir.RowRef)):
            out[node.id] = sign if out.get(node.id, sign) == sign else 0
        elif isinstance(node, ir.Not):
            walk(node.operand, -sign)
        elif isinstance(node, ir.Logic):
            walk(node.left, sign)
            walk(node.right, sign)
        elif isinstance(node, ir.IfElse):
            walk(node.cond, 0)
            walk(node.then, sign)
            walk(node.orelse, sign)
        else:
            for value in node.__dict__.values():
                for child in (value if isinstance(value, tuple) else (value,)):
                    if isinstance(child, ir.Expr):
                        walk(child, 0)

    walk(expr, 1)
    _POLARITY[id(expr)] = (expr, out)
    return out


_REFS: dict[int, tuple[ir.Expr, frozenset[str]]] = {}


def _direct_refs(expr: ir.Expr | None) -> frozenset[str]:
    """Ids of the rules an expression reads (cached per expression: rulebooks are immutable)."""
    if expr is None:
        return frozenset()
    found = _REFS.get(id(expr))
    if found is None or found[0] is not expr:
        found = (expr, frozenset(n.id for n in ir.walk(expr) if isinstance(n, (ir.Ref, ir.RowRef))))
        _REFS[id(expr)] = found
    return found[1]


class _Decider:
    def __init__(self, book: Rulebook, ev: Evaluator):
        self.book = book
        self.ev = ev
        self.period = ev.period or ""
        version = book.period(self.period).version
        family = book.version(version).family
        self.other_versions = frozenset(v.id for v in book.families[family].versions if v.id != version)

    def cites(self, cites: tuple[Citation, ...]) -> list[CitationOut]:
        return list(_cites_for(cites, self.other_versions))

    def get(self, rid: str, row: dict[str, Any] | None = None) -> Any:
        """The value of a rule; a per-row rule takes the row's value."""
        rule = self.book.definition(rid, self.period)
        if row is not None and rule is not None and rule.scope is not None:
            return self.ev.row_value(rid, row)
        return self.ev.value(rid)

    def shown(self, rid: str, row: dict[str, Any] | None = None) -> str:
        """A value for a ``{placeholder}`` in a text, computed on demand."""
        rule = self.book.definition(rid, self.period)
        if rule is None:
            return "{" + rid + "}"
        try:
            return str(output_value(self.get(rid, row), rule.type))
        except VssError:
            return "—"

    def fill(self, text: Text, row: dict[str, Any] | None = None) -> Bilingual:
        if "{" not in text.vi and "{" not in text.en:
            return bilingual(text)
        return Bilingual.model_construct(vi=_PLACEHOLDER.sub(lambda m: self.shown(m.group(1), row), text.vi),
                                         en=_PLACEHOLDER.sub(lambda m: self.shown(m.group(1), row), text.en))

    def signs(self, root: str, conditions: set[str]) -> dict[str, int]:
        """How each condition counts for the root condition: +1 for, -1 against, 0 both ways or undetermined."""
        out: dict[str, int] = {root: 1}
        order = [root]
        for rid in order:  # breadth-first over conditions; a condition reached two ways with opposite signs is 0
            rule = self.book.definition(rid, self.period)
            for child, sign in _polarities(rule.expr if rule is not None else None).items():
                if child not in conditions:
                    continue
                value = out[rid] * sign
                if child not in out:
                    out[child] = value
                    order.append(child)
                elif out[child] != value:
                    out[child] = 0
        return out

    def decide(self, b: Benefit) -> list[BenefitDecision]:
        """The benefit's decision; for a per-row benefit, one decision for each row of its source."""
        if b.per is None:
            return [self.benefit(b)]
        self.check_encoded(b)
        return [self.benefit(b, row) for row in self.ev.data.rows.get(b.per, [])]

    def check_encoded(self, b: Benefit) -> None:
        if b.only_if and not self.ev.value(b.only_if):
            rule = self.book.definition(b.only_if, self.period)
            text = rule.text.en if rule else b.only_if
            raise NotEncodedError(f"{b.id} under {self.period}: this case is outside what the rule files encode ({text})",
                                  where="event", code="NOT_ENCODED")

    def benefit(self, b: Benefit, row: dict[str, Any] | None = None) -> BenefitDecision:
        ev, period = self.ev, self.period
        self.check_encoded(b)
        eligible, touched = ev.collect(b.eligible, row if self.is_row_rule(b.eligible) else None)
        # Conditions read to decide: case-level ones, and per-row ones as far as they were computed for this row
        # (an aggregation over all rows reads them for the other rows too; those are not this row's reasons).
        memo = row.get("_memo", {}) if row is not None else {}
        conditions = [rid for rid in touched if (r := self.book.definition(rid, period)) is not None and r.kind == "condition"
                      and (r.scope is None or rid in memo)]
        signs = self.signs(b.eligible, set(conditions))
        reasons = []
        for rid in conditions:
            rule = self.book.definition(rid, period)
            direct = _direct_refs(rule.expr)  # type: ignore[union-attr]
            outcome = bool(memo[rid] if rule.scope is not None else ev.values[rid])  # type: ignore[union-attr]
            sign = signs.get(rid, 0)
            effect = "neutral" if sign == 0 else ("supports" if (sign > 0) == outcome else "blocks")
            reasons.append(Reason.model_construct(  # built from checked parts: no need to validate again
                code=rid, outcome=outcome, text=self.fill(rule.text, row),  # type: ignore[union-attr]
                cites=self.cites(rule.cites), depends_on=[c for c in conditions if c in direct], effect=effect))  # type: ignore[union-attr]
        amount = quantity = start = None
        remedies: list[Remedy] = []
        if eligible:
            if b.amount:
                raw = self.get(b.amount, row)
                try:
                    amount = apply_rounding(raw, b.rounding or "exact")
                except ArithmeticError as e:
                    raise EvaluationError(f"benefit {b.id}: {e}", where=str(b.pos), code="ROUNDING") from None
                if amount < 0:
                    raise EvaluationError(f"benefit {b.id}: negative amount {amount}", where=str(b.pos), code="NEGATIVE_AMOUNT")
            if b.quantity:
                quantity = output_value(self.get(b.quantity, row), self.book.definition(b.quantity, period).type)  # type: ignore[union-attr]
            if b.start_date:
                start = self.get(b.start_date, row)
            for rid in b.report:  # computed now, so that the Decision's values show them
                self.get(rid, row)
        else:
            for rid in b.on_refusal:
                rule = self.book.definition(rid, period)
                if rule is not None:
                    remedies.append(Remedy(id=rid, value=output_value(self.get(rid, row), rule.type), text=bilingual(rule.title)))
        return BenefitDecision(
            id=b.id, title=bilingual(b.title), eligible=bool(eligible), amount_vnd=amount, unit=b.unit,  # type: ignore[arg-type]
            quantity=quantity, start_date=start, rounding=b.rounding if amount is not None else None,
            reasons=reasons, cites=self.cites(b.cites), what_would_change=remedies,
            relative_index=row["_index"] if row is not None else None,
        )

    def is_row_rule(self, rid: str) -> bool:
        rule = self.book.definition(rid, self.period)
        return rule is not None and rule.scope is not None

    def row_values(self, sources: set[str]) -> dict[str, Any]:
        """Per-row values computed for the rows of ``sources``, named ``<rule id>[<row index>]``."""
        out: dict[str, Any] = {}
        for source in sorted(sources):
            for row in self.ev.data.rows.get(source, []):
                for rid, v in row.get("_memo", {}).items():
                    rule = self.book.definition(rid, self.period)
                    if rule is not None:
                        out[f"{rid}[{row['_index']}]"] = output_value(v, rule.type)
        return out


def check_input(kind: EventKind, evaluator: Evaluator) -> None:
    """The event kind's input checks; the first that fails refuses the case, naming the field."""
    for check in kind.checks:
        for row in (evaluator.data.rows.get(check.per, []) if check.per else [None]):
            if not evaluator.check(check.id, check.expr, row):
                where = check.where if row is None else f"{row.get('_path') or check.per}.{check.where}"
                law = "".join(f"; {c.label('en')}" for c in check.cites)
                raise CaseError(f"{check.text.en} ({check.text.vi}){law}", where=where, code="CASE_INCONSISTENT")


def choose_period(book: Rulebook, kind: EventKind, evaluator: Evaluator) -> tuple[LawPeriod, dt.date]:
    family = book.families[kind.family]
    decisive = evaluator.value(kind.law_date) if kind.law_date else evaluator.data.inputs[("event", "date")]
    for version in family.versions:
        for period in version.periods:
            if period.contains(decisive):
                return period, decisive
    first = family.versions[0].start if family.versions else None
    raise NotEncodedError(f"no {family.id} law version is encoded for {decisive} (rules start {first})",
                          where="event.date", code="NO_LAW_VERSION")


def _law_applied(book: Rulebook, kind: EventKind, period: LawPeriod, decisive: dt.date) -> LawApplied:
    sel = book.families[kind.family].selection
    date_rule = book.definition(kind.law_date, period.id) if kind.law_date else None
    date_text = date_rule.text if date_rule else Text("Ngày xảy ra sự kiện quyết định luật áp dụng.", "The event date decides.")
    return LawApplied(
        family=kind.family, version=period.version, period=period.id, title=bilingual(book.version(period.version).title),
        decisive_date=decisive,
        reason=Reason(code=sel.id, outcome=True, text=Bilingual(
            vi=f"{sel.text.vi} {date_text.vi} Ngày quyết định: {decisive.isoformat()} → {period.id} ({period.title.vi}).",
            en=f"{sel.text.en} {date_text.en} Deciding date: {decisive.isoformat()} → {period.id} ({period.title.en}).",
        ), cites=[cite_out(c) for c in (*sel.cites, *(date_rule.cites if date_rule else ()))]),
    )


def evaluate_with(book: Rulebook, case: Any, *, trace: bool = False) -> Decision:
    model = validate_case(case, book)
    data = prepare(model, book)
    kind = book.event_kinds[model.event.kind]  # type: ignore[attr-defined]
    pre = Evaluator(book, data, None, trace=trace)
    check_input(kind, pre)
    period, decisive = choose_period(book, kind, pre)
    ev = Evaluator(book, data, period.id, trace=trace, memo=pre.values)
    if pre.trace and ev.trace is not None:
        ev.trace[:0] = pre.trace
    benefits = [b for b in book.benefits.values() if kind.id in b.event_kinds and (b.laws is None or period.id in b.laws)]
    if not benefits:
        raise NotEncodedError(f"no benefit for a {kind.id} event is encoded under {period.id}", where="event.kind")
    decider = _Decider(book, ev)
    decided = [d for b in benefits for d in decider.decide(b)]
    values = {}
    for rid, v in ev.values.items():
        rule = book.definition(rid, period.id)
        if rule is not None:
            values[rid] = output_value(v, rule.type)
    values.update(decider.row_values({b.per for b in benefits if b.per is not None}))
    notes = [
        Bilingual(
            vi=f"Giá trị {pid} do hồ sơ cung cấp (nguồn: {data.supplied_sources[pid]}), không lấy từ tệp quy tắc.",
            en=f"Values of {pid} were supplied by the case (source: {data.supplied_sources[pid]}), not taken from the rule files.",
        )
        for pid in sorted(ev.used_supplied)
    ]
    steps = None
    if ev.trace is not None:
        steps = [TraceStep(id=rid, kind=rule.kind, value=output_value(v, rule.type), law_period=period.id,
                           cites=[c.label("en") for c in rule.cites]) for rid, v, rule in ev.trace]
    return Decision(
        case_id=model.id, event_kind=kind.id, event_date=model.event.date,  # type: ignore[attr-defined]
        law=_law_applied(book, kind, period, decisive), benefits=decided, values=values, notes=notes, trace=steps,
    )

"""Reading regime files: event kinds and their facts, interpretations, rules, tables and benefits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import Position, RuleFileError
from ..lang import ir
from ..lang.types import BOOL
from ..model import BENEFIT_ROW_SOURCES, ROW_SOURCES
from ..money import ROUNDING_RULES
from .book import (
    Benefit,
    Check,
    EventKind,
    Fact,
    Interpretation,
    Rule,
)
from .reader import Obj, fraction_or_none
from .yamlsafe import YMap

UNITS = ("once", "month", "day")
RULE_KINDS = ("value", "condition", "table", "benefit")


class RegimeFiles:
    """Mixin of the loader (:class:`vss_rules.rulebook.loader._Load`); uses its state and helpers."""

    def read_regime_file(self, doc: Any, rel: str) -> None:
        o = Obj(doc, rel, Position(rel, 1, 1))
        o.ident("regime")
        self.regimes[rel] = o.text("title")
        for item in o.raw("event_kinds", False) or []:
            self.guard(self.read_event_kind, item, rel)
        for item in o.raw("interpretations", False) or []:
            self.guard(self.read_interpretation, item, rel)
        for item in o.raw("rules", False) or []:
            try:
                self.declare_rule(item, rel)
            except RuleFileError as e:
                self.fail(e)
        o.finish()

    def read_event_kind(self, item: Any, rel: str) -> None:
        o = Obj(item, "event kind", Position(rel))
        kid = o.ident()
        if kid in self.event_kinds:
            raise o.error("id", f"event kind '{kid}' declared twice", "DUPLICATE_ID")
        facts: list[Fact] = []
        raw_facts = o.raw("facts", False) or YMap()
        for name in raw_facts:
            f = Obj(raw_facts[name], f"fact {name} of {kid}", o.pos)
            ftyp = self.type_of(f, "type", fact=True)
            default = f.raw("default", False)
            if default is not None:
                default = self.typed(default, ftyp, f, "default")
            fact = Fact(str(name), ftyp, f.text("title"), bool(f.raw("required", False, False)), default,
                        fraction_or_none(f.raw("min", False)), fraction_or_none(f.raw("max", False)))
            f.finish()
            known = self.decl.facts.get(fact.name)
            if known is not None and known != ftyp:
                raise f.error("type", f"fact '{name}' is {known} in another event kind; one name, one type", "TYPE_ERROR")
            self.decl.facts[fact.name] = ftyp
            facts.append(fact)
        family = o.str("family") or ""
        self.event_kinds[kid] = EventKind(kid, family, o.text("title"), tuple(facts), o.str("law_date", False), rel)
        if o.has("checks"):
            self.pending_checks.append((kid, rel, o.raw("checks")))
        self.decl.event_kinds.append(kid)
        o.finish()

    def build_checks(self, kid: str, rel: str, items: Any) -> None:
        """An event kind's input checks: law-independent true/false expressions, per case or per row."""
        checks: list[Check] = []
        for item in items:
            c = Obj(item, f"check of event kind {kid}", Position(rel))
            cid = c.ident()
            per = c.str("per", False)
            if per is not None and per not in ROW_SOURCES:
                raise c.error("per", f"'per' must be one of {', '.join(ROW_SOURCES)}")
            expr = self.compile(c.raw("expr"), f"check {cid}", c.at("expr"), expected=BOOL,
                                row=(per, ROW_SOURCES[per]) if per else None)
            checks.append(Check(cid, expr, c.str("where") or "", per, c.text("text"), self.cites(c, required=False)))
            c.finish()
            for n in ir.walk(expr):
                if isinstance(n, (ir.Ref, ir.RowRef)):
                    self.resolve(n.id, None, [f"check {cid} of event kind {kid}"], set(), set())
        self.event_kinds[kid] = replace(self.event_kinds[kid], checks=tuple(checks))

    def read_interpretation(self, item: Any, rel: str) -> None:
        o = Obj(item, "interpretation", Position(rel))
        iid = o.ident()
        if iid in self.interpretations:
            raise o.error("id", f"interpretation '{iid}' declared twice", "DUPLICATE_ID")
        self.interpretations[iid] = Interpretation(iid, o.text("title"), o.text("text"), self.cites(o), rel)
        o.finish()

    def declare_rule(self, item: Any, rel: str) -> None:
        o = Obj(item, "rule", Position(rel))
        rid = o.ident()
        o.what = f"rule {rid}"
        kind = o.str("kind", False, "value")
        if kind not in RULE_KINDS:
            raise o.error("kind", f"kind must be one of {', '.join(RULE_KINDS)}")
        if kind == "benefit":
            self.pending_rules.append((rel, o))
            return
        typ = BOOL if kind == "condition" else self.type_of(o, "type")
        scope = o.data.get("per")
        if scope is not None and scope not in ROW_SOURCES:
            raise o.error("per", f"'per' must be one of {', '.join(ROW_SOURCES)}")
        if rid in self.decl.signatures:
            raise o.error("id", f"'{rid}' is already a parameter or table", "DUPLICATE_ID")
        table = self.decl.row_values.setdefault(str(scope), {}) if scope else self.decl.values
        if rid in table and table[rid] != typ:
            raise o.error("type", f"'{rid}' is defined elsewhere as {table[rid]}; every definition must have one type", "TYPE_ERROR")
        others = [rows for source, rows in self.decl.row_values.items() if source != scope]
        if any(rid in other for other in ([self.decl.values] if scope else []) + others):
            raise o.error("per", f"'{rid}' is defined elsewhere with a different 'per'", "DUPLICATE_ID")
        table[rid] = typ
        self.pending_rules.append((rel, o))

    def build_rule(self, rel: str, o: Obj) -> None:
        kind = o.str("kind", False, "value") or "value"
        if kind == "benefit":
            return self.build_benefit(rel, o)
        rid = o.ident()
        scope = o.str("per", False)
        row = (scope, ROW_SOURCES[scope]) if scope else None
        typ = BOOL if kind == "condition" else self.type_of(o, "type")
        laws = self.laws(o)
        expr = table = None
        if kind == "table":
            table = self.read_table(o, rel, with_exprs=True, row=row)
        else:
            expr = self.compile(o.raw("expr"), f"rule {rid}", o.at("expr"), expected=typ, row=row)
        rounding = o.str("rounding", False)
        if rounding is not None and rounding not in ROUNDING_RULES:
            raise o.error("rounding", f"rounding must be one of {', '.join(ROUNDING_RULES)}")
        interp = o.str("interpretation", False)
        rule = Rule(rid, kind, typ, scope, laws, expr, table, o.text("title"), o.text("text"), o.str("quote", False),
                    self.cites(o), rounding, o.str("unit", False), interp, rel, o.pos)
        o.finish()
        self.rules.setdefault(rid, []).append(rule)

    def build_benefit(self, rel: str, o: Obj) -> None:
        bid = o.ident()
        if bid in self.benefits:
            raise o.error("id", f"benefit '{bid}' declared twice", "DUPLICATE_ID")
        o.raw("kind")
        kinds = o.raw("event_kinds")
        unit = o.str("unit")
        if unit not in UNITS:
            raise o.error("unit", f"unit must be one of {', '.join(UNITS)}")
        rounding = o.str("rounding", False)
        if o.has("amount") and rounding not in ROUNDING_RULES:
            raise o.error("rounding", f"an amount needs its rounding rule, one of {', '.join(ROUNDING_RULES)}", "MISSING_ROUNDING")
        benefit = Benefit(
            bid, o.text("title"), o.text("text"), self.cites(o), tuple(str(k) for k in kinds), self.laws(o),
            o.str("eligible") or "", o.str("only_if", False), o.str("amount", False), rounding, unit or "once", o.str("quantity", False),
            o.str("start_date", False), tuple(str(x) for x in (o.raw("on_refusal", False) or [])), rel, o.pos,
            o.str("per", False), tuple(str(x) for x in (o.raw("report", False) or [])),
        )
        if benefit.per is not None and benefit.per not in BENEFIT_ROW_SOURCES:
            raise o.error("per", f"a benefit's 'per' must be one of {', '.join(BENEFIT_ROW_SOURCES)}")
        o.finish()
        self.benefits[bid] = benefit

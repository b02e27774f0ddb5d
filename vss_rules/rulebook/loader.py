"""Load and check every rule file into a :class:`Rulebook`.

All problems are collected and reported together, each as ``file:line:col:
message [CODE]``. A rulebook that loads is one where every expression parses
and type-checks, every name resolves under every law period that needs it,
every table is free of gaps and overlaps, every parameter and law version
tiles time, and every rule, row and value cites its article.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import Position, RuleFileError, RuleFileErrors
from ..lang import ir
from ..lang.checker import Checker, Signature, TypeCheckError
from ..lang.parser import ExpressionSyntaxError, parse
from ..calendar import Calendar, Holiday
from ..lang.types import BOOL, DATE, FACT_KINDS, INT, MONEY, NUMBER, Type, parse_type
from ..model import BENEFIT_ROW_SOURCES, ROW_SOURCES
from ..money import ROUNDING_RULES
from .book import (
    Benefit,
    Check,
    DatedValue,
    EventKind,
    Fact,
    Instrument,
    Interpretation,
    KeyRange,
    LawFamily,
    LawPeriod,
    LawVersion,
    Parameter,
    Rule,
    Rulebook,
    Selection,
    Table,
    TableInput,
    TableRow,
    Text,
)
from .coverage import check_coverage
from .reader import Obj, fraction_or_none, interval, scalar
from .scope import Declarations, RulebookScope, parameter_signature
from .yamlsafe import YList, YMap, YStr, load_yaml, position_of

UNITS = ("once", "month", "day")
RULE_KINDS = ("value", "condition", "table", "benefit")


def rule_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


class _Load:
    def __init__(self, root: Path):
        self.root = root
        self.errors: list[RuleFileError] = []
        self.lines: dict[str, list[str]] = {}
        self.decl = Declarations()
        self.instruments: dict[str, Instrument] = {}
        self.families: dict[str, LawFamily] = {}
        self.family_raw: list[tuple[Obj, str]] = []
        self.parameters: dict[str, Parameter] = {}
        self.tables: dict[str, Table] = {}
        self.rules: dict[str, list[Rule]] = {}
        self.benefits: dict[str, Benefit] = {}
        self.event_kinds: dict[str, EventKind] = {}
        self.interpretations: dict[str, Interpretation] = {}
        self.regimes: dict[str, Text] = {}
        self.calendars: dict[str, Calendar] = {}
        self.pending_rules: list[tuple[str, Obj]] = []
        self.pending_tables: list[tuple[str, Obj]] = []
        self.pending_checks: list[tuple[str, str, Any]] = []  # event kind id, file, raw checks
        self.period_ids: dict[str, frozenset[str]] = {}  # version or period id → period ids
        self.all_cites: list[tuple[Any, Position]] = []

    # -- helpers ------------------------------------------------------------------------------
    def fail(self, exc: RuleFileError) -> None:
        if isinstance(exc, RuleFileErrors):
            self.errors.extend(exc.errors)
        else:
            self.errors.append(exc)

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def expr_position(self, source: Any, line: int, col: int, fallback: Position) -> Position:
        pos = position_of(source, fallback)
        style = getattr(source, "style", None)
        if style in ("|", ">"):
            lines = self.lines.get(pos.file, [])
            target = pos.line + line  # block content starts on the line after the indicator
            indent = 0
            if 0 < target <= len(lines):
                text = lines[target - 1]
                indent = len(text) - len(text.lstrip(" "))
            return Position(pos.file, target, indent + col)
        offset = 1 if style in ("'", '"') else 0
        return Position(pos.file, pos.line + line - 1, (pos.col + offset + col - 1) if line == 1 else col)

    def compile(self, source: Any, what: str, fallback: Position, *, expected: Type | None = None,
                row: tuple[str, str] | None = None, scope: RulebookScope | None = None) -> ir.Expr:
        if isinstance(source, bool):
            source_text = "true" if source else "false"
        elif isinstance(source, (str, int, float)):
            source_text = str(source)
        else:
            raise RuleFileError(f"{what}: an expression must be text", where=position_of(source, fallback), code="RULE_SHAPE")
        text = source_text
        try:
            node = parse(text)
        except ExpressionSyntaxError as e:
            raise RuleFileError(f"{what}: {e.message}", where=self.expr_position(source, e.line, e.col, fallback), code="EXPR_SYNTAX") from None
        try:
            return Checker(scope or RulebookScope(self.decl), row).check(node, expected)
        except TypeCheckError as e:
            code = "UNKNOWN_NAME" if "unknown" in e.message else "TYPE_ERROR"
            raise RuleFileError(f"{what}: {e.message}", where=self.expr_position(source, e.line, e.col, fallback), code=code) from None

    def laws(self, o: Obj) -> frozenset[str] | None:
        raw = o.raw("laws", False)
        if raw is None:
            return None
        items = raw if isinstance(raw, YList) else [raw]
        out: set[str] = set()
        for i, item in enumerate(items):
            key = str(item)
            if key not in self.period_ids:
                known = ", ".join(sorted(self.period_ids))
                raise RuleFileError(f"{o.what}: unknown law version or period '{key}' (known: {known})",
                                    where=position_of(item, o.at("laws")), code="UNKNOWN_LAW")
            out |= self.period_ids[key]
        return frozenset(out)

    def cites(self, o: Obj, key: str = "cite", required: bool = True):
        """Citations of an object; a citation without status takes its instrument's."""
        out = []
        for c in o.cites(key, required):
            self.all_cites.append((c, o.at(key)))
            if not c.status:
                inst = self.instruments.get(c.document)
                c = replace(c, status=inst.status if inst else "U")
            out.append(c)
        return tuple(out)

    # -- phase 1: read ----------------------------------------------------------------------------
    def run(self) -> Rulebook:
        laws = self.root / "laws.yaml"
        files = rule_files(self.root)
        docs: dict[Path, Any] = {}
        for path in files:
            rel = self.rel(path)
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                self.fail(RuleFileError("not UTF-8 text", where=Position(rel), code="YAML_SYNTAX"))
                continue
            self.lines[rel] = text.splitlines()
            try:
                docs[path] = load_yaml(text, rel)
            except RuleFileError as e:
                self.fail(e)
        if laws not in docs:
            if not any(e.where and e.where.startswith(self.rel(laws)) for e in self.errors):
                self.fail(RuleFileError("rules/laws.yaml is missing", where=Position(self.rel(laws)), code="NO_LAWS"))
            raise RuleFileErrors(self.errors)
        self.read_laws(docs.pop(laws), self.rel(laws))
        params_dir = self.root / "parameters"
        calendar_dir = self.root / "calendar"
        for path, doc in docs.items():
            rel = self.rel(path)
            try:
                if params_dir in path.parents:
                    self.read_parameter_file(doc, rel)
                elif calendar_dir in path.parents:
                    self.read_calendar_file(doc, rel)
                else:
                    self.read_regime_file(doc, rel)
            except RuleFileError as e:
                self.fail(e)
        self.finish_families()
        for rel, o in self.pending_tables:
            self.guard(self.build_function_table, rel, o)
        for rel, o in self.pending_rules:
            self.guard(self.build_rule, rel, o)
        for kid, rel, items in self.pending_checks:
            self.guard(self.build_checks, kid, rel, items)
        self.check_definitions()
        self.check_benefits()
        self.check_periods_resolve()
        self.check_citations()
        if self.errors:
            raise RuleFileErrors(self.errors)
        return Rulebook(
            digest="",
            instruments=self.instruments,
            families=self.families,
            parameters=self.parameters,
            tables=self.tables,
            rules={k: tuple(v) for k, v in self.rules.items()},
            benefits=self.benefits,
            event_kinds=self.event_kinds,
            interpretations=self.interpretations,
            regimes=self.regimes,
            calendars=self.calendars,
        )

    def guard(self, fn, *args) -> None:
        try:
            fn(*args)
        except RuleFileError as e:
            self.fail(e)

    # -- laws.yaml --------------------------------------------------------------------------------
    def read_laws(self, doc: Any, rel: str) -> None:
        top = Obj(doc, "laws.yaml", Position(rel, 1, 1))
        for item in top.raw("instruments"):
            self.guard(self.read_instrument, item, rel)
        for item in top.raw("families"):
            try:
                self.read_family(item, rel)
            except RuleFileError as e:
                self.fail(e)
        top.finish()

    def read_instrument(self, item: Any, rel: str) -> None:
        o = Obj(item, "instrument", Position(rel))
        ident = o.str("id") or ""
        if ident in self.instruments:
            raise o.error("id", f"instrument '{ident}' declared twice", "DUPLICATE_ID")
        status = o.str("status", False, "V") or "V"
        self.instruments[ident] = Instrument(
            ident, o.str("kind") or "", o.text("title"), o.date("signed", False), o.str("source", False), status
        )
        o.finish()

    def read_family(self, item: Any, rel: str) -> None:
        o = Obj(item, "law family", Position(rel))
        fam_id = o.ident()
        title = o.text("title")
        versions: list[LawVersion] = []
        for v_item in o.raw("versions"):
            v = Obj(v_item, f"law version of {fam_id}", o.pos)
            vid = v.str("id") or ""
            start, end = v.date("from"), v.date("to", False)
            periods: list[LawPeriod] = []
            raw_periods = v.raw("periods", False) or []
            for p_item in raw_periods:
                p = Obj(p_item, f"period of {vid}", v.pos)
                pid = f"{vid}@{p.str('id')}"
                periods.append(LawPeriod(pid, vid, p.date("from"), p.date("to", False), p.text("title"), self.cites(p)))
                p.finish()
            vtitle = v.text("title")
            cites = self.cites(v)
            if not periods:
                periods.append(LawPeriod(vid, vid, start, end, vtitle, cites))
            self.check_tiling([(p.start, p.end, p.id) for p in periods], start, end, f"periods of {vid}", v.pos)
            versions.append(LawVersion(vid, fam_id, vtitle, start, end, tuple(periods), cites))
            for key in {vid, *(p.id for p in periods)}:
                if key in self.period_ids:  # `laws:` names versions and periods across families: one id, one meaning
                    self.fail(v.error("id", f"law version or period '{key}' is declared twice", "DUPLICATE_ID"))
            self.period_ids[vid] = frozenset(p.id for p in periods)
            for p in periods:
                self.period_ids[p.id] = frozenset({p.id})
            v.finish()
        versions.sort(key=lambda v: v.start)
        self.check_tiling([(v.start, v.end, v.id) for v in versions], versions[0].start if versions else None, None,
                          f"law versions of {fam_id}", o.pos)
        sel = Obj(o.raw("selection"), f"law selection of {fam_id}", o.pos)
        self.family_raw.append((sel, fam_id))
        self.families[fam_id] = LawFamily(fam_id, title, None, tuple(versions))  # type: ignore[arg-type]
        o.finish()

    def check_tiling(self, spans: list[tuple[dt.date, dt.date | None, str]], start: dt.date | None,
                     end: dt.date | None, what: str, pos: Position) -> None:
        """Spans must follow each other day after day from ``start`` to ``end`` (None = open)."""
        spans = sorted(spans, key=lambda s: s[0])
        expected = start
        for i, (s, e, name) in enumerate(spans):
            if expected is not None and s != expected:
                kind = "gap" if s > expected else "overlap"
                self.fail(RuleFileError(f"{what}: {kind} before '{name}' (starts {s}, expected {expected})", where=pos,
                                        code="DATES_GAP" if kind == "gap" else "DATES_OVERLAP"))
            if e is None:
                if i != len(spans) - 1:
                    self.fail(RuleFileError(f"{what}: '{name}' has no end but is not the last", where=pos, code="DATES_OVERLAP"))
                expected = None
                continue
            if e < s:
                self.fail(RuleFileError(f"{what}: '{name}' ends before it starts", where=pos, code="DATES_OVERLAP"))
            expected = e + dt.timedelta(days=1)
        if end is not None and spans and spans[-1][1] != end:
            self.fail(RuleFileError(f"{what}: the last one should end on {end}", where=pos, code="DATES_GAP"))

    def finish_families(self) -> None:
        for sel, fam_id in self.family_raw:
            try:
                selection = Selection(sel.ident(), sel.text("title"), sel.text("text"), self.cites(sel))
                sel.finish()
                fam = self.families[fam_id]
                self.families[fam_id] = LawFamily(fam.id, fam.title, selection, fam.versions)
            except RuleFileError as e:
                self.fail(e)
                self.families.pop(fam_id, None)

    # -- parameter files --------------------------------------------------------------------------
    def read_parameter_file(self, doc: Any, rel: str) -> None:
        o = Obj(doc, rel, Position(rel, 1, 1))
        if o.data.get("kind") == "table":
            self.declare_table_signature(o, rel)
            self.pending_tables.append((rel, o))
            return
        pid = o.ident()
        what = f"parameter {pid}"
        o.what = what
        if pid in self.decl.signatures or pid in self.decl.values:
            raise o.error("id", f"'{pid}' is declared twice", "DUPLICATE_ID")
        typ = self.type_of(o, "type")
        key = None
        key_domain = None
        if o.has("key"):
            k = Obj(o.raw("key"), f"{what} key", o.pos)
            key = (k.ident("name"), self.type_of(k, "type"))
            if k.has("domain"):
                key_domain = interval(k.raw("domain"), key[1])
            k.finish()
        values: list[DatedValue] = []
        for item in o.raw("values"):
            v = Obj(item, f"{what} value", o.pos)
            start, end = v.date("from"), v.date("to", False)
            cites = self.cites(v)
            note = v.str("note", False)
            if key is None:
                raw = v.raw("value")
                value = self.typed(raw, typ, v, "value")
            else:
                value = self.keyed_values(v, key, key_domain, typ, what)
            v.finish()
            values.append(DatedValue(start, end, value, cites, note, v.pos))
        if not values:
            raise o.error("values", "a parameter needs at least one value")
        self.check_tiling([(d.start, d.end if d.end else None, str(d.start)) for d in self.close_values(values)],
                          min(d.start for d in values), None, what, o.at("values"))
        param = Parameter(pid, o.text("title"), o.text("text"), typ, o.str("unit", False), key,
                          bool(o.raw("suppliable", False, False)), tuple(sorted(values, key=lambda d: d.start)), rel, o.pos)
        o.finish()
        self.parameters[pid] = param
        self.decl.signatures[pid] = parameter_signature(key[1] if key else None, typ)

    @staticmethod
    def close_values(values: list[DatedValue]) -> list[DatedValue]:
        """A value without ``to`` runs until the day before the next one starts."""
        ordered = sorted(values, key=lambda d: d.start)
        out = []
        for i, d in enumerate(ordered):
            end = d.end
            if end is None and i + 1 < len(ordered):
                end = ordered[i + 1].start - dt.timedelta(days=1)
            out.append(DatedValue(d.start, end, d.value, d.cites, d.note, d.pos))
        return out

    def keyed_values(self, v: Obj, key: tuple[str, Type], domain, typ: Type, what: str):
        rows = v.raw("table")
        entries = []
        for row in rows:
            r = Obj(row, f"{what} table row", v.pos)
            try:
                iv = interval(r.raw("key"), key[1])
            except ValueError as e:
                raise r.error("key", str(e)) from None
            entries.append((KeyRange(iv.low, iv.high), self.typed(r.raw("value"), typ, r, "value")))
            r.finish()
        from .book import Interval

        problems = check_coverage([key[0]], [key[1]], [domain], [(Interval(k.low, k.high),) for k, _ in entries], "unique")
        for p in problems:
            self.fail(v.error("table", p, "TABLE_GAP" if p.startswith("gap") else "TABLE_OVERLAP"))
        return tuple(entries)

    def typed(self, raw: Any, typ: Type, o: Obj, key: str) -> Any:
        try:
            return scalar(raw, typ)
        except (ValueError, TypeError, ArithmeticError) as e:
            raise o.error(key, f"{key}: {e}", "TYPE_ERROR") from None

    def type_of(self, o: Obj, key: str, *, fact: bool = False) -> Type:
        raw = o.raw(key)
        try:
            typ = parse_type(list(raw) if isinstance(raw, YList) else (dict(raw) if isinstance(raw, YMap) else str(raw)))
        except ValueError as e:
            raise o.error(key, str(e), "TYPE_ERROR") from None
        if typ.kind in FACT_KINDS and not fact:
            raise o.error(key, f"type {typ} is for event facts only", "TYPE_ERROR")
        return typ

    # -- tables ----------------------------------------------------------------------------------
    def declare_table_signature(self, o: Obj, rel: str) -> None:
        tid = str(o.data.get("id"))
        inputs = o.data.get("inputs") or []
        try:
            types = tuple(self.type_of(Obj(i, f"table {tid} input", o.pos), "type") for i in inputs)
            result = self.type_of(o, "type")
        except RuleFileError as e:
            self.fail(e)
            return
        if tid in self.decl.signatures or tid in self.decl.values:
            self.fail(o.error("id", f"'{tid}' is declared twice", "DUPLICATE_ID"))
        self.decl.signatures[tid] = Signature(types, result)

    def read_table(self, o: Obj, rel: str, with_exprs: bool, row: tuple[str, str] | None = None) -> Table:
        tid = o.ident()
        what = f"table {tid}"
        o.what = what
        typ = self.type_of(o, "type")
        inputs: list[TableInput] = []
        for item in o.raw("inputs"):
            i = Obj(item, f"{what} input", o.pos)
            name = i.ident("name")
            ityp = self.type_of(i, "type")
            expr = None
            if with_exprs:
                expr = self.compile(i.raw("expr"), f"{what} input {name}", i.pos, expected=ityp, row=row)
            domain = None
            if i.has("domain"):
                try:
                    domain = interval(i.raw("domain"), ityp)
                except ValueError as e:
                    raise i.error("domain", str(e)) from None
            i.finish()
            inputs.append(TableInput(name, ityp, expr, domain))
        names = [i.name for i in inputs]
        hit = o.str("hit", False, "unique")
        if hit not in ("unique", "first"):
            raise o.error("hit", "hit policy must be 'unique' or 'first'")
        rows: list[TableRow] = []
        for item in o.raw("rows"):
            r = Obj(item, f"{what} row", o.pos)
            when = r.raw("when", False) or YMap()
            if not isinstance(when, dict):
                raise r.error("when", "'when' maps input names to values or ranges")
            for k in when:
                if k not in names:
                    raise RuleFileError(f"{what} row: unknown input '{k}' (inputs: {', '.join(names)})",
                                        where=when.at(k) if isinstance(when, YMap) else r.pos, code="UNKNOWN_NAME")
            cells = []
            for inp in inputs:
                try:
                    cells.append(interval(when.get(inp.name), inp.type))
                except (ValueError, ArithmeticError) as e:
                    raise RuleFileError(f"{what} row, input {inp.name}: {e}", where=when.at(inp.name) if isinstance(when, YMap) else r.pos,
                                        code="TYPE_ERROR") from None
            then = self.typed(r.raw("then"), typ, r, "then")
            rows.append(TableRow(tuple(cells), then, self.cites(r), r.text("text", False), r.pos))
            r.finish()
        table = Table(tid, o.text("title"), o.text("text"), self.cites(o, required=False), typ, tuple(inputs), tuple(rows), hit or "unique", rel, o.pos)
        problems = check_coverage(names, [i.type for i in inputs], [i.domain for i in inputs], [r.when for r in rows], hit or "unique")
        for p in problems:
            self.fail(RuleFileError(f"{what}: {p}", where=o.at("rows"), code="TABLE_GAP" if p.startswith("gap") else "TABLE_OVERLAP"))
        return table

    def build_function_table(self, rel: str, o: Obj) -> None:
        o.seen.add("kind")
        table = self.read_table(o, rel, with_exprs=False)
        o.finish()
        self.tables[table.id] = table

    # -- calendar files ---------------------------------------------------------------------------
    def read_calendar_file(self, doc: Any, rel: str) -> None:
        """A working-day calendar: dated holidays, the period covered, the make-up rule for rest days."""
        o = Obj(doc, rel, Position(rel, 1, 1))
        cid = o.ident()
        o.what = f"calendar {cid}"
        if o.str("kind") != "calendar":
            raise o.error("kind", "a file under rules/calendar/ has 'kind: calendar'")
        if cid in self.calendars or cid in self.decl.signatures or cid in self.decl.values:
            raise o.error("id", f"'{cid}' is declared twice", "DUPLICATE_ID")
        cov = Obj(o.raw("covers"), f"{o.what} covers", o.pos)
        start, end = cov.date("from"), cov.date("to")
        cov.finish()
        assert start is not None and end is not None
        if end < start:
            raise o.error("covers", "'covers' ends before it starts", "DATES_OVERLAP")
        make_up, make_up_cites = False, ()
        if o.has("make_up_rest_day"):
            m = Obj(o.raw("make_up_rest_day"), f"{o.what} make_up_rest_day", o.pos)
            if m.str("rule") != "next_working_day":
                raise m.error("rule", "the only make-up rule is 'next_working_day'")
            m.str("quote", False)
            make_up, make_up_cites = True, self.cites(m)
            m.finish()
        holidays: list[Holiday] = []
        seen: dict[dt.date, Position] = {}
        for item in o.raw("holidays"):
            h = Obj(item, f"{o.what} holiday", o.pos)
            if h.has("date") == h.has("from"):
                raise h.error("date", "a holiday has either 'date' or 'from' and 'to'")
            first = h.date("date") if h.has("date") else h.date("from")
            last = first if h.has("date") else h.date("to")
            assert first is not None and last is not None
            name = h.text("name")
            assert name is not None
            holiday = Holiday(first, last, name.vi, name.en, self.cites(h), h.str("note", False), h.pos)
            h.finish()
            if last < first or first < start or last > end:
                raise h.error("date", f"holiday {first}…{last} is outside what the calendar covers ({start} to {end})", "DATES_OVERLAP")
            d = first
            while d <= last:
                if d in seen:
                    raise RuleFileError(f"{o.what}: {d} is listed twice (also at {seen[d]})", where=h.pos, code="DATES_OVERLAP")
                seen[d] = h.pos
                d += dt.timedelta(days=1)
            holidays.append(holiday)
        cal = Calendar(cid, o.text("title"), o.text("text"), self.cites(o), start, end,
                       tuple(sorted(holidays, key=lambda x: x.start)), make_up, make_up_cites, rel, o.pos)
        o.finish()
        self.calendars[cid] = cal
        self.decl.calendars.add(cid)

    # -- regime files -----------------------------------------------------------------------------
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
            checks.append(Check(cid, expr, c.str("where") or "", per, c.text("text")))
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

    # -- phase 3: whole-book checks -------------------------------------------------------------------
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


def load_uncached(root: Path) -> Rulebook:
    return _Load(root).run()

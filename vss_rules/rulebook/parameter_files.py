"""Reading ``rules/parameters/`` and ``rules/calendar/``: dated parameters, function tables, working-day calendars."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..calendar import Calendar, Holiday
from ..errors import Position, RuleFileError
from ..lang.checker import Signature
from ..lang.types import FACT_KINDS, Type, parse_type
from .book import (
    DatedValue,
    KeyRange,
    Parameter,
    Table,
    TableInput,
    TableRow,
)
from .coverage import check_coverage
from .reader import Obj, interval, scalar
from .scope import parameter_signature
from .yamlsafe import YList, YMap


class ParameterFiles:
    """Mixin of the loader (:class:`vss_rules.rulebook.loader._Load`); uses its state and helpers."""

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

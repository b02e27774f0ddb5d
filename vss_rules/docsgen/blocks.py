"""Markdown blocks shared by the pages: citations, decision tables, dated values, one rule."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from ..lang import ir
from ..lang.types import Type
from ..months import month_str
from ..rulebook.book import Citation, Interval, KeyRange, LawVersion, Parameter, Rule, Table
from .model import Book
from .notation import Notation, lookups, rule_refs, value_text
from .words import word


def cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def type_text(t: Type) -> str:
    """``text(a|b)`` → `` `a`, `b` `` (so that a long list wraps)."""
    return ", ".join(f"`{v}`" for v in t.values) if t.kind == "text" and t.values else t.kind


def indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line if line else line for line in text.splitlines())


class Blocks:
    """Renders pieces of one page (``page`` is its path, for relative links) in one language."""

    def __init__(self, bk: Book, lang: str, page: str, version: LawVersion | None = None):
        self.bk, self.lang, self.page, self.version = bk, lang, page, version

    def w(self, key: str) -> str:
        return word(key, self.lang)

    def link(self, ident: str) -> str | None:
        where = self.bk.where(ident, self.version)
        return self.bk.rel(self.page, where) if where else None

    def ref(self, ident: str, title: bool = True) -> str:
        """A link to a rule, parameter or table, with its title."""
        target = self.link(ident)
        name = f"[`{ident}`]({target})" if target else f"`{ident}`"
        t = self.title_of(ident) if title else None
        return f"{name} — {t}" if t else name

    def title_of(self, ident: str) -> str | None:
        b = self.bk.book
        if ident in b.parameters:
            return b.parameters[ident].title.get(self.lang)
        if ident in b.tables:
            return b.tables[ident].title.get(self.lang)
        if ident in b.benefits:
            return b.benefits[ident].title.get(self.lang)
        defs = b.rules.get(ident)
        return defs[0].title.get(self.lang) if defs else None

    def notation(self) -> Notation:
        return Notation(self.lang, link=self.link)

    # -- citations ----------------------------------------------------------------------------------
    def cite(self, c: Citation) -> str:
        status = self.bk.cite_status(c)
        target = self.bk.rel(self.page, self.bk.instrument_anchor(c.document))
        note = f" — {c.note}" if c.note else ""
        return f"[{c.label(self.lang)}]({target}) <small>[{status}: {self.w('status_' + status)}]</small>{note}"

    def cites(self, cites: tuple[Citation, ...]) -> str:
        return "; ".join(self.cite(c) for c in cites)

    # -- values -------------------------------------------------------------------------------------
    def interval(self, iv: Interval, typ: Type) -> str:
        if iv.values is not None:
            return ", ".join(value_text(v, typ, self.lang) for v in sorted(iv.values, key=str))
        lo = None if iv.low is None else value_text(iv.low, typ, self.lang)
        hi = None if iv.high is None else value_text(iv.high, typ, self.lang)
        if lo is None and hi is None:
            return self.w("any")
        if lo is not None and hi is not None:
            if iv.low == iv.high and not iv.low_open and not iv.high_open:
                return lo
            if not iv.low_open and not iv.high_open:
                return f"{lo} – {hi}"
            return f"{'>' if iv.low_open else '≥'} {lo}, {'<' if iv.high_open else '≤'} {hi}"
        if lo is not None:
            return f"{'>' if iv.low_open else '≥'} {lo}"
        return f"{'<' if iv.high_open else '≤'} {hi}"

    def key_range(self, kr: KeyRange, typ: Type) -> str:
        return self.interval(Interval(kr.low, kr.high), typ)

    def decision_table(self, t: Table) -> str:
        n = self.notation()
        parts = []
        computed = [i for i in t.inputs if i.expr is not None]
        if computed:
            parts.append("\n".join(f"- `{i.name}` = {n.render(i.expr)}" for i in computed if i.expr is not None))
        header = [i.name for i in t.inputs] + [self.w("result"), self.w("citation")]
        rows = []
        for r in t.rows:
            cells = [self.interval(iv, i.type) for iv, i in zip(r.when, t.inputs)]
            then = value_text(r.then, t.type, self.lang)
            if r.text:
                then += f" ({r.text.get(self.lang)})"
            rows.append(cells + [then, self.cites(r.cites)])
        parts.append(table(header, rows))
        parts.append(f"*{self.w('hit first') if t.hit == 'first' else self.w('hit unique')}*")
        return "\n\n".join(parts)

    def dated_values(self, p: Parameter) -> str:
        header = [self.w("from"), self.w("to"), self.w("value"), self.w("citation"), self.w("note")]
        if p.key is None:
            rows = [self._dated_row(p, i, value_text(v.value, p.type, self.lang)) for i, v in enumerate(p.values)]
            return table(header, rows)
        out = []
        key_name, key_type = p.key
        for i, v in enumerate(p.values):
            out.append(table(header[:2] + [header[3], header[4]], [self._dated_row(p, i, None)]))
            out.append(table([f"{self.w('key')}: {key_name}", self.w("value")],
                             [[self.key_range(kr, key_type), value_text(val, p.type, self.lang)] for kr, val in v.value]))
        return "\n\n".join(out)

    def _dated_row(self, p: Parameter, i: int, shown: str | None) -> list[str]:
        v = p.values[i]
        end = v.end or (p.values[i + 1].start - dt.timedelta(days=1) if i + 1 < len(p.values) else None)
        end = value_text(end, None, self.lang) if end else "…"
        row = [value_text(v.start, None, self.lang), end]
        if shown is not None:
            row.append(shown + (f" {p.unit}" if p.unit and p.type.kind != "money" else ""))
        return row + [self.cites(v.cites), v.note or ""]

    # -- one rule -----------------------------------------------------------------------------------
    def kind_line(self, d: Rule) -> str:
        bits = [f"`{d.id}`", f"{self.w('kind')}: {self.w('kind_' + d.kind)}", f"{self.w('type')}: {type_text(d.type)}"]
        if d.unit:
            bits.append(f"{self.w('unit')}: {d.unit}")
        if d.rounding:
            bits.append(f"{self.w('rounding')}: {d.rounding}")
        if d.scope:
            bits.append(f"{self.w('per row')} `{d.scope}`")
        return " · ".join(bits)

    def formula(self, e: ir.Expr) -> str:
        n = self.notation()
        cases = n.cases(e)
        if len(cases) == 1:
            return f"**{self.w('formula')}:** {cases[0][1]}"
        rows = [[f"{self.w('if')} {c}" if c else self.w("otherwise"), v] for c, v in cases]
        return f"**{self.w('formula')}:**\n\n" + table([self.w("case"), self.w("value")], rows)

    def parameter_values(self, ident: str) -> str:
        """A collapsed box with the dated values of a parameter a rule reads."""
        b = self.bk.book
        title = self.title_of(ident) or ident
        if ident in b.parameters and b.parameters[ident].key is None:
            body = self.dated_values(b.parameters[ident])
        else:
            body = f"{self.ref(ident, title=False)}"
        box = f'??? info "{self.w("parameters used")}: {ident} — {title}"\n\n{indent(body)}\n'
        return f'<div data-search-exclude markdown="1">\n\n{box}\n</div>'  # searched on the parameters page

    def definition(self, d: Rule, several: bool) -> str:
        out = []
        if several:
            periods = ", ".join(sorted(d.laws)) if d.laws is not None else self.w("all periods")
            out.append(f"**{self.w('applies to')}: {periods}**")
        out.append(d.text.get(self.lang))
        if d.quote:
            out.append(f"> *{self.w('quote')}:* „{d.quote}“")
        if d.expr is not None:
            out.append(self.formula(d.expr))
        if d.table is not None:
            out.append(self.decision_table(d.table))
        out.append(f"**{self.w('citations')}:** {self.cites(d.cites)}")
        if d.interpretation:
            target = self.bk.rel(self.page, f"{self.bk.INTERPRETATIONS}#{d.interpretation}")
            interp = self.bk.book.interpretations.get(d.interpretation)
            shown = interp.title.get(self.lang) if interp else d.interpretation
            out.append(f"**{self.w('interpretation')}:** [{shown}]({target})")
        exprs = [d.expr] if d.expr is not None else [i.expr for i in d.table.inputs if i.expr is not None] if d.table else []
        used = sorted(set().union(*(lookups(e) for e in exprs))) if exprs else []
        refs = sorted(set().union(*(rule_refs(e) for e in exprs))) if exprs else []
        if refs:
            out.append(f"**{self.w('uses')}:** " + ", ".join(self.ref(r, title=False) for r in refs))
        out.extend(self.parameter_values(p) for p in used)
        return "\n\n".join(out)

    def rule(self, defs: list[Rule], used_by: list[str]) -> str:
        first = defs[0]
        out = [f"### {first.title.get(self.lang)} {{#{first.id}}}", self.kind_line(first)]
        for d in defs:
            out.append(self.definition(d, several=len(defs) > 1))
        if used_by:
            out.append(f"**{self.w('used by')}:** " + ", ".join(self.ref(u, title=False) for u in used_by))
        return "\n\n".join(out)


def as_number(x: Any) -> float:
    if isinstance(x, int) and not isinstance(x, bool):
        return float(x)
    return float(Fraction(x))


def month_label(m: float) -> str:
    return month_str(int(m))

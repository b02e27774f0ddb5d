"""Every generated page, in Vietnamese (``x.md``) and English (``x.en.md``), from the Rulebook."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..rulebook.book import Citation, LawVersion, Rulebook
from . import charts as ch
from .blocks import Blocks, indent, table, type_text
from .changes import Change, transitions
from .coverage import Coverage, ScenarioRun, coverage, load_article_list, percent_of, run_scenarios
from .model import Book, Regime, slug
from .notation import lookups, rule_refs, value_text
from .words import LANGS, word

GENERATED_NOTE = {
    "vi": "<!-- Trang này được sinh tự động từ tệp quy tắc (vss-rules docs); đừng sửa tay. -->",
    "en": "<!-- Generated from the rule files (vss-rules docs); do not edit by hand. -->",
}


@dataclass
class Sources:
    """What the pages are generated from besides the Rulebook (all optional)."""

    scenarios: Path | None = None  # folder of YAML scenarios
    charts: Path | None = None  # chart file (docs/charts.yaml)
    articles: Path | None = None  # article list (docs/benefit-articles.yaml)
    root: Path | None = None  # paths on the pages are shown relative to this

    @classmethod
    def checkout(cls, root: Path) -> Sources:
        """Where a source checkout keeps them: tests/scenarios/, docs/charts.yaml, docs/benefit-articles.yaml."""
        return cls(scenarios=root / "tests" / "scenarios", charts=root / "docs" / "charts.yaml",
                   articles=root / "docs" / "benefit-articles.yaml", root=root)


@dataclass
class Generated:
    pages: dict[str, str] = field(default_factory=dict)  # "law/x.md" / "law/x.en.md" → markdown
    nav: list[str] = field(default_factory=list)  # default-language paths, in reading order
    coverage: Coverage | None = None


def localized(path: str, lang: str) -> str:
    return path if lang == "vi" else path[: -len(".md")] + f".{lang}.md"


class _Site:
    def __init__(self, book: Rulebook, sources: Sources):
        self.book = book
        self.bk = Book(book)
        self.sources = sources
        self.charts = ch.load_chart_config(sources.charts)
        self.runs: list[ScenarioRun] = run_scenarios(book, sources.scenarios)
        self.cov = coverage(book, [r.scenario for r in self.runs], load_article_list(sources.articles))
        self.sweeps = {s.id: ch.sweep_points(book, s) for s in self.charts.sweeps}
        self.out = Generated(coverage=self.cov)

    def add(self, path: str, make, boost: float | None = None) -> None:
        """Add a page in both languages; ``boost`` ranks it higher (or lower) in the site search."""
        self.out.nav.append(path)
        meta = f"---\nsearch:\n  boost: {boost}\n---\n" if boost else ""
        for lang in LANGS:
            title, _, body = make(lang).partition("\n")  # the H1 stays first: mkdocs takes the page title from it
            self.out.pages[localized(path, lang)] = f"{meta}{title}\n\n{GENERATED_NOTE[lang]}\n{body.rstrip()}\n"

    def shown_path(self, p: str) -> str:
        root = self.sources.root
        try:
            return str(Path(p).resolve().relative_to(root.resolve())) if root else p
        except ValueError:
            return p

    # -- the whole site -----------------------------------------------------------------------------
    def build(self) -> Generated:
        self.add(Book.INDEX, self.index)
        for reg in self.bk.regimes.values():
            self.add(reg.index_page(), lambda lang, reg=reg: self.regime_index(reg, lang))
            for v in reg.versions:
                self.add(reg.version_page(v), lambda lang, reg=reg, v=v: self.version_page(reg, v, lang), boost=3)
            self.add(reg.changes_page(), lambda lang, reg=reg: self.changes_page(reg, lang))
        self.add(Book.PARAMETERS, self.parameters)
        self.add(Book.INSTRUMENTS, self.instruments, boost=0.3)
        self.add(Book.INTERPRETATIONS, self.interpretations)
        self.add(Book.COVERAGE, self.coverage)
        return self.out

    # -- law/index ----------------------------------------------------------------------------------
    def index(self, lang: str) -> str:
        bl = Blocks(self.bk, lang, Book.INDEX)
        w = bl.w
        out = [f"# {w('site law')}"]
        for fam in self.book.families.values():
            out.append(f"## {fam.title.get(lang)}")
            rows = []
            for v in fam.versions:
                for p in v.periods:
                    end = value_text(p.end, None, lang) if p.end else w("until now")
                    rows.append([v.title.get(lang), f"`{p.id}`", p.title.get(lang) if p.id != v.id else "",
                                 value_text(p.start, None, lang), end, bl.cites(p.cites or v.cites)])
            out.append(table([w("version"), w("period"), "", w("from"), w("to"), w("citation")], rows))
            sel = fam.selection
            out.append(f"**{w('selection')}:** {sel.title.get(lang)}. {sel.text.get(lang)} ({bl.cites(sel.cites)})")
        out.append(f"## {w('regimes')}")
        rows = []
        for reg in self.bk.regimes.values():
            versions = ", ".join(f"[{v.id}]({self.bk.rel(Book.INDEX, reg.version_page(v))})" for v in reg.versions)
            rows.append([f"[{reg.title.get(lang)}]({self.bk.rel(Book.INDEX, reg.index_page())})",
                         str(len(reg.rules)), str(len(reg.benefits)), versions])
        out.append(table([w("regime"), w("rules"), w("benefits"), w("law versions")], rows))
        links = [(Book.PARAMETERS, "parameters title"), (Book.INSTRUMENTS, "instruments"),
                 (Book.INTERPRETATIONS, "interpretations"), (Book.COVERAGE, "coverage")]
        out.append("\n".join(f"- [{w(k)}]({self.bk.rel(Book.INDEX, p)})" for p, k in links))
        return "\n\n".join(out)

    # -- a regime -------------------------------------------------------------------------------------
    def regime_index(self, reg: Regime, lang: str) -> str:
        page = reg.index_page()
        bl = Blocks(self.bk, lang, page)
        w = bl.w
        out = [f"# {reg.title.get(lang)}"]
        out.append("\n".join(f"- [{v.title.get(lang)} ({v.id})]({self.bk.rel(page, reg.version_page(v))})"
                             for v in reg.versions))
        out.append(f"- [{w('changes')}]({self.bk.rel(page, reg.changes_page())})")
        if reg.benefits:
            out.append(f"## {w('benefits')}")
            rows = []
            for b in reg.benefits:
                marks = [w("yes") if any(p.id in (b.laws or {p.id}) for p in v.periods) else "—" for v in reg.versions]
                rows.append([f"{b.title.get(lang)} (`{b.id}`)", w("unit_" + b.unit)] + marks)
            out.append(table([w("benefit"), w("unit")] + [v.id for v in reg.versions], rows))
        if reg.event_kinds:
            out.append(f"## {w('event kinds')}")
            for k in reg.event_kinds:
                out.append(self.event_kind(bl, k, lang))
        files = [f"- `{self.shown_path(f) if self.sources.root else f}` — {self.book.regimes[f].get(lang)}" for f in reg.files]
        out.append(f"## {w('rules')}\n\n" + "\n".join(files))
        for s in self.charts.sweeps:
            if s.regime == reg.id:
                out.append(f"## {s.title.get(lang)}")
                out.append(figure(ch.sweep_chart(self.book, s, lang, self.sweeps[s.id])))
                out.append("\n".join(f"- {t.get(lang)}: `{_case_summary(c)}`" for t, c in s.series))
        return "\n\n".join(out)

    def event_kind(self, bl: Blocks, k, lang: str) -> str:
        w = bl.w
        law_date = bl.ref(k.law_date) if k.law_date else w("event date")
        rows = []
        for f in k.facts:
            rng = ""
            if f.minimum is not None or f.maximum is not None:
                rng = f"{value_text(f.minimum, None, lang) if f.minimum is not None else '…'} – " \
                      f"{value_text(f.maximum, None, lang) if f.maximum is not None else '…'}"
            default = value_text(f.default, f.type, lang) if f.default is not None else ""
            rows.append([f"`{f.name}`", f.title.get(lang), type_text(f.type), w("required") if f.required else w("optional"),
                         default, rng])
        facts = table([w("fact"), w("title"), w("type"), "", w("default"), ""], rows) if rows else ""
        checks = ""
        if k.checks:
            checks = f"**{w('input checks')}**\n\n" + table(
                [w("check"), w("condition"), w("citation")],
                [[f"`{c.id}`", c.text.get(lang), bl.cites(c.cites) if c.cites else "—"] for c in k.checks])
        return (f"### {k.title.get(lang)} {{#event-{k.id}}}\n\n`{k.id}` · {w('law date')}: {law_date}\n\n{facts}\n\n{checks}")

    def version_page(self, reg: Regime, v: LawVersion, lang: str) -> str:
        page = reg.version_page(v)
        bl = Blocks(self.bk, lang, page, v)
        w = bl.w
        end = value_text(v.end, None, lang) if v.end else w("until now")
        out = [f"# {reg.title.get(lang)} — {v.id}",
               f"**{v.title.get(lang)}** · {w('in force')}: {value_text(v.start, None, lang)} – {end} · "
               f"{w('citation')}: {bl.cites(v.cites)}"]
        if len(v.periods) > 1:
            out.append("\n".join(f"- `{p.id}` ({value_text(p.start, None, lang)} – "
                                 f"{value_text(p.end, None, lang) if p.end else w('until now')}): {p.title.get(lang)}"
                                 for p in v.periods))
        benefits = [b for b in reg.benefits if b.laws is None or any(p.id in b.laws for p in v.periods)]
        if benefits:
            out.append(f"## {w('benefits')}")
            out += [self.benefit(bl, b, lang) for b in benefits]
        used_by = self.used_by(v)
        current_file = None
        for rid in reg.rules:
            defs = self.bk.definitions(rid, v)
            if not defs:
                continue
            if defs[0].file != current_file:
                current_file = defs[0].file
                out.append(f"## {self.book.regimes.get(current_file, reg.title).get(lang)}")
            out.append(bl.rule(defs, sorted(used_by.get(rid, ()))))
        return "\n\n".join(out)

    def used_by(self, v: LawVersion) -> dict[str, set[str]]:
        users: dict[str, set[str]] = {}
        for rid, defs in self.book.rules.items():
            for d in self.bk.definitions(rid, v):
                exprs = [d.expr] if d.expr is not None else [i.expr for i in d.table.inputs if i.expr] if d.table else []
                for e in exprs:
                    for r in rule_refs(e) | lookups(e):
                        users.setdefault(r, set()).add(rid)
        return users

    def benefit(self, bl: Blocks, b, lang: str) -> str:
        w = bl.w
        out = [f"### {b.title.get(lang)} {{#benefit-{b.id}}}",
               f"`{b.id}` · {w('unit')}: {w('unit_' + b.unit)} · {w('event kind')}: " +
               ", ".join(f"`{k}`" for k in b.event_kinds),
               b.text.get(lang)]
        items = [("encoded only if", b.only_if), ("eligible if", b.eligible), ("amount", b.amount),
                 ("quantity", b.quantity), ("start date", b.start_date)]
        lines = [f"- {w(k)}: {bl.ref(v)}" for k, v in items if v]
        if b.rounding:
            lines.append(f"- {w('rounding')}: {b.rounding}")
        if b.on_refusal:
            lines.append(f"- {w('on refusal')}: " + ", ".join(bl.ref(r) for r in b.on_refusal))
        out.append("\n".join(lines))
        out.append(f"**{w('citations')}:** {bl.cites(b.cites)}")
        return "\n\n".join(out)

    # -- what changed ---------------------------------------------------------------------------------
    def changes_page(self, reg: Regime, lang: str) -> str:
        page = reg.changes_page()
        w = lambda k: word(k, lang)  # noqa: E731
        out = [f"# {w('changes of')}: {reg.title.get(lang)}"]
        # changes of law version first, the newest first; then changes between periods of one version
        for t in sorted(transitions(self.bk, reg), key=lambda t: (not t.between_versions, -t.after.start.toordinal())):
            bl_before = Blocks(self.bk, lang, page, self.bk.version_of(t.before.id))
            bl_after = Blocks(self.bk, lang, page, self.bk.version_of(t.after.id))
            head = f"{t.before.id} → {t.after.id}"
            counts = ", ".join(f"{w(s)}: {len(t.of(s))}" for s in ("added", "removed", "changed", "reworded", "unchanged"))
            out.append(f"## {head}\n\n{self.bk.version_of(t.before.id).title.get(lang)} → "
                       f"{self.bk.version_of(t.after.id).title.get(lang)} ({counts})")
            for status in ("changed", "added", "removed", "reworded"):
                items = t.of(status)
                if items:
                    out.append(f"### {w(status)}")
                    out += [self.change(c, bl_before, bl_after, lang) for c in items]
            same = t.of("unchanged")
            if same:
                out.append(f"### {w('unchanged')}\n\n" + ", ".join(bl_after.ref(c.id, title=False) for c in same))
        return "\n\n".join(out)

    def change(self, c: Change, before: Blocks, after: Blocks, lang: str) -> str:
        w = before.w
        thing = c.after or c.before
        title = thing.title.get(lang) if thing else c.id
        rows = []
        for label, get in ((w("text"), lambda x: x.text.get(lang)),
                           (w("formula"), lambda x: self.logic(x, lang, before if x is c.before else after)),
                           (w("citations"), lambda x: (before if x is c.before else after).cites(x.cites))):
            rows.append([label, get(c.before) if c.before else "—", get(c.after) if c.after else "—"])
        link = after.link(c.id) if c.after else before.link(c.id)
        name = f"[`{c.id}`]({link})" if link else f"`{c.id}`"
        return f"#### {title}\n\n{name}\n\n" + table(["", w("before"), w("after")], rows)

    def logic(self, x, lang: str, bl: Blocks) -> str:
        if hasattr(x, "expr"):
            if x.expr is not None:
                return bl.notation().render(x.expr)
            if x.table is not None:
                return f"{word('kind_table', lang)} ({len(x.table.rows)} {word('rules', lang).lower()})"
        parts = [f"{word(k, lang)}: {getattr(x, a)}" for k, a in
                 (("eligible if", "eligible"), ("amount", "amount"), ("start date", "start_date")) if getattr(x, a, None)]
        return "; ".join(parts)

    # -- parameters -------------------------------------------------------------------------------------
    def parameters(self, lang: str) -> str:
        page = Book.PARAMETERS
        bl = Blocks(self.bk, lang, page)
        w = bl.w
        out = [f"# {w('parameters title')}", f"## {w('parameters')}"]
        for p in sorted(self.book.parameters.values(), key=lambda p: p.id):
            out.append(f"### {p.title.get(lang)} {{#{p.id}}}")
            bits = [f"`{p.id}`", f"{w('type')}: {p.type}"] + ([f"{w('unit')}: {p.unit}"] if p.unit else [])
            if p.key:
                bits.append(f"{w('key')}: `{p.key[0]}` ({p.key[1]})")
            out += [" · ".join(bits), p.text.get(lang)]
            svg = ch.parameter_chart(p, lang)
            if svg:
                out.append(figure(svg))
            values = bl.dated_values(p)
            out.append(values if p.key is None else f'??? note "{w("dated values")}"\n\n{indent(values)}\n')
        out.append(f"## {w('function tables')}")
        for t in sorted(self.book.tables.values(), key=lambda t: t.id):
            out.append(f"### {t.title.get(lang)} {{#{t.id}}}")
            out.append(f"`{t.id}`({', '.join(f'{i.name}: {i.type}' for i in t.inputs)}) → {t.type}")
            out.append(t.text.get(lang))
            out.append(f"**{w('citations')}:** {bl.cites(t.cites)}" if t.cites else "")
            svg = ch.table_chart(t, lang, self.charts.tables.get(t.id))
            if svg:
                out.append(figure(svg))
            out.append(bl.decision_table(t))
        return "\n\n".join(x for x in out if x)

    # -- instruments ------------------------------------------------------------------------------------
    def instruments(self, lang: str) -> str:
        bl = Blocks(self.bk, lang, Book.INSTRUMENTS)
        w = bl.w
        out = [f"# {w('instruments')}"]
        legend = "\n".join(f"- **{s}**: {w('status_' + s)}" for s in ("V", "V-ocr", "S", "U", "I"))
        out.append(legend)
        for i in self.book.instruments.values():
            signed = f" · {w('signed')}: {value_text(i.signed, None, lang)}" if i.signed else ""
            out.append(f"### {i.id} {{#{slug(i.id)}}}\n\n{i.title.get(lang)} · {i.kind} · "
                       f"{w('status')}: **{i.status}** ({w('status_' + i.status)}){signed}\n\n"
                       f"{w('source')}: {i.source or '—'}")
        return "\n\n".join(out)

    # -- interpretations --------------------------------------------------------------------------------
    def interpretations(self, lang: str) -> str:
        page = Book.INTERPRETATIONS
        bl = Blocks(self.bk, lang, page)
        w = bl.w
        intro = {
            "vi": "Những chỗ văn bản chưa rõ, cách hiểu được chọn, quy tắc áp dụng cách hiểu đó và kịch bản kiểm thử "
                  "khẳng định nó. *Kịch bản khẳng định* nêu giá trị của một quy tắc áp dụng diễn giải; "
                  "*kịch bản có đi qua* tính đến quy tắc đó.",
            "en": "Where the law is ambiguous: the reading chosen, the rules that implement it and the scenarios that "
                  "pin it. A scenario *asserts* a reading when it states the value of a rule that implements it; it "
                  "*reaches* it when deciding the case computes such a rule.",
        }[lang]
        out = [f"# {w('interpretations')}", intro]
        for i in self.book.interpretations.values():
            rules = sorted(rid for rid, defs in self.book.rules.items() if any(d.interpretation == i.id for d in defs))
            asserted = [r for r in self.runs if r.asserted & set(rules)]
            reached = [r for r in self.runs if r.values & set(rules) and r not in asserted]
            out.append(f"## {i.title.get(lang)} {{#{i.id}}}")
            out.append(f"`{i.id}` · `{self.shown_path(i.file)}`")
            out.append(i.text.get(lang))
            out.append(f"**{w('citations')}:** {bl.cites(i.cites)}")
            out.append(f"**{w('implemented by')}:** " + (", ".join(bl.ref(r) for r in rules) or w("none")))
            out.append(f"**{w('asserted by')}:** " + (", ".join(f"`{r.scenario.id}`" for r in asserted) or w("none")))
            out.append(f"**{w('reached by')}:** " + (", ".join(f"`{r.scenario.id}`" for r in reached) or w("none")))
        return "\n\n".join(out)

    # -- coverage ---------------------------------------------------------------------------------------
    def coverage(self, lang: str) -> str:
        page = Book.COVERAGE
        bl = Blocks(self.bk, lang, page)
        w = bl.w
        listed, listed_enc, encoded, exercised = self.cov.totals()
        p1, p2 = percent_of(listed_enc, listed), percent_of(exercised, encoded)
        fmt = lambda p: "—" if p is None else value_text(p, None, lang) + " %"  # noqa: E731
        summary = {
            "vi": f"**Điều khoản về quyền lợi đã mã hóa: {listed_enc}/{listed} ({fmt(p1)}).** "
                  f"Trong {encoded} điều được quy tắc trích dẫn, {exercised} điều có kịch bản kiểm thử ({fmt(p2)}).",
            "en": f"**Benefit articles encoded: {listed_enc} of {listed} ({fmt(p1)}).** "
                  f"Of the {encoded} articles the rules cite, {exercised} are exercised by a scenario ({fmt(p2)}).",
        }[lang]
        how = {
            "vi": "Một điều được coi là *đã mã hóa* khi có quy tắc, quyền lợi, dòng bảng quyết định, giá trị tham số hoặc "
                  "quy tắc chọn luật trích dẫn nó; *có kịch bản* khi một kịch bản liệt kê nó trong `articles:`. Danh sách "
                  "điều khoản về quyền lợi của từng luật (mẫu số) nằm ở `docs/benefit-articles.yaml`; điều được trích dẫn "
                  "nhưng không có trong danh sách vẫn được liệt kê.",
            "en": "An article is *encoded* when a rule, benefit, decision-table row, parameter value or the law-selection "
                  "rule cites it; *exercised* when a scenario lists it under `articles:`. The benefit articles of each law "
                  "(the denominator) are listed in `docs/benefit-articles.yaml`; articles cited but not listed are shown too.",
        }[lang]
        out = [f"# {w('coverage')}", summary, how]
        rows = []
        for doc, arts in self.cov.by_document().items():
            l_, le, e, x = self.cov.totals(doc)
            if l_ or e:
                rows.append([f"[{doc}](#{_anchor(doc)})", f"{le}/{l_}" if l_ else "—", fmt(percent_of(le, l_)),
                             f"{x}/{e}", fmt(percent_of(x, e))])
        out.append(table([w("instrument"), w("encoded"), "%", w("exercised by"), "%"], rows))
        for doc, arts in self.cov.by_document().items():
            title = self.book.instruments[doc].title.get(lang) if doc in self.book.instruments else doc
            out.append(f"## {doc} {{#{_anchor(doc)}}}\n\n{title}")
            body = []
            for a in arts:
                if not (a.listed or a.encoded or a.scenarios):
                    continue
                label = article_label(doc, a.article, lang)
                clauses = ", ".join(sorted(a.clauses, key=lambda c: (len(c), c)))
                enc = (w("encoded") if a.encoded else f"**{w('not encoded')}**") + (f" ({clauses})" if clauses else "")
                by = ", ".join(bl.ref(r, title=False) for r in a.encoded_by[:8]) + (" …" if len(a.encoded_by) > 8 else "")
                group = a.group.get(lang) if a.group else "—"
                body.append([label, group, enc, by, ", ".join(f"`{s}`" for s in a.scenarios) or "—"])
            out.append(table([w("article"), w("regime"), w("encoded"), w("rules"), w("scenarios")], body))
        return "\n\n".join(out)


def figure(svg: str) -> str:
    """A chart, left out of the site search (its axis labels are no words to find)."""
    return f'<figure class="vss-chart" data-search-exclude>{svg}</figure>'


def _anchor(doc: str) -> str:
    return "doc-" + slug(doc)


def article_label(doc: str, article: str, lang: str) -> str:
    if not article[:1].isdigit():
        return article
    return Citation(doc, article).label(lang).replace(doc, "").strip(", ")


def _case_summary(case: dict) -> str:
    person = case.get("person", {})
    event = case.get("event", {})
    return f"{person.get('sex', '')}, {person.get('birth_date', '')}, {event.get('kind', '')} {event.get('date', '')}"


def generate(book: Rulebook, sources: Sources | None = None) -> Generated:
    """Every page, in both languages, with the navigation order."""
    return _Site(book, sources or Sources()).build()


def write(generated: Generated, out_dir: Path, prefix: str = "law/") -> list[Path]:
    """Write the pages under ``out_dir`` (a page ``law/x.md`` → ``out_dir/x.md``), only those that changed,
    and remove generated pages that no longer exist. Returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {out_dir / p[len(prefix):]: text for p, text in generated.pages.items()}
    written = []
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    for old in out_dir.rglob("*.md"):
        if old not in wanted:
            old.unlink()
    return written

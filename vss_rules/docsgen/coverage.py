"""Law coverage: which articles the rules encode, which scenarios exercise them, and which
documented interpretations the scenarios pin.

An article is *encoded* when a rule, benefit, decision-table row, parameter value or the
law-selection rule cites it. A scenario *exercises* the articles it lists under ``articles:``.
The benefit articles of each law — the denominator of the percentage — are listed in an
article list (``docs/benefit-articles.yaml``); articles the rules cite that the list lacks are
still shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import VssError
from ..rulebook.book import Citation, Rulebook, Text
from ..rulebook.yamlsafe import load_yaml

LAW_KINDS = ("law", "code")  # instrument kinds the report covers (decrees and circulars guide them)
_ART = re.compile(r"^Art\.\s*(?P<art>[0-9]+[a-z]?)(?:\((?P<clause>[^)]+)\))?(?:\((?P<point>[^)]+)\))?")


@dataclass(frozen=True)
class ArticleRef:
    document: str
    article: str
    clause: str | None = None


def parse_article(text: str) -> ArticleRef | None:
    """``"58/2014/QH13 Art. 56(2)(a)"`` → (58/2014/QH13, 56, 2); ``"135/2020/NĐ-CP Phụ lục I"`` → (…, Phụ lục I)."""
    doc, _, rest = text.strip().partition(" ")
    rest = rest.strip()
    if not doc or not rest:
        return None
    m = _ART.match(rest)
    if m:
        return ArticleRef(doc, m.group("art"), m.group("clause"))
    return ArticleRef(doc, rest)


@dataclass
class Article:
    document: str
    article: str
    group: Text | None = None  # from the article list; None: cited but not listed
    clauses: set[str] = field(default_factory=set)  # clauses cited
    encoded_by: list[str] = field(default_factory=list)  # ids of rules, benefits, parameters, tables
    scenarios: list[str] = field(default_factory=list)

    @property
    def encoded(self) -> bool:
        return bool(self.encoded_by)

    @property
    def listed(self) -> bool:
        return self.group is not None


@dataclass
class Coverage:
    articles: dict[tuple[str, str], Article]
    documents: list[str]  # the laws reported: those in the article list, then every other law or code cited

    def by_document(self) -> dict[str, list[Article]]:
        out: dict[str, list[Article]] = {d: [] for d in self.documents}
        for a in self.articles.values():
            if a.document in out:
                out[a.document].append(a)
        return {d: sorted(v, key=lambda a: _article_key(a.article)) for d, v in out.items()}

    def totals(self, doc: str | None = None) -> tuple[int, int, int, int]:
        """(listed, listed and encoded, encoded, encoded and exercised), for one document or every law."""
        arts = [a for a in self.articles.values() if a.document == doc or doc is None and a.document in self.documents]
        listed = [a for a in arts if a.listed]
        encoded = [a for a in arts if a.encoded]
        return len(listed), sum(a.encoded for a in listed), len(encoded), sum(bool(a.scenarios) for a in encoded)


def _article_key(article: str) -> tuple:
    m = re.match(r"(\d+)(.*)", article)
    return (0, int(m.group(1)), m.group(2)) if m else (1, 0, article)


def percent_of(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


def citing(book: Rulebook) -> list[tuple[str, Citation]]:
    """Every (id, citation) that encodes law: rules, table rows, benefits, parameters, look-up tables, selections."""
    out: list[tuple[str, Citation]] = []
    for rid, defs in book.rules.items():
        for d in defs:
            out += [(rid, c) for c in d.cites]
            if d.table is not None:
                out += [(rid, c) for row in d.table.rows for c in row.cites]
    for b in book.benefits.values():
        out += [(b.id, c) for c in b.cites]
    for p in book.parameters.values():
        out += [(p.id, c) for v in p.values for c in v.cites]
    for t in book.tables.values():
        out += [(t.id, c) for c in t.cites] + [(t.id, c) for row in t.rows for c in row.cites]
    for f in book.families.values():
        out += [(f.selection.id, c) for c in f.selection.cites]
    return out


def load_article_list(path: Path | None) -> dict[str, list[tuple[str, Text]]]:
    """``{document: [(article, group title)]}`` from the article list; ranges ``"42-46"`` expand."""
    if path is None or not path.is_file():
        return {}
    doc: Any = load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}
    out: dict[str, list[tuple[str, Text]]] = {}
    for document, groups in doc.items():
        for g in groups:
            title = Text(str(g["group"]["vi"]), str(g["group"]["en"]))
            for part in str(g["articles"]).split(","):
                lo, _, hi = part.strip().partition("-")
                arts = [str(n) for n in range(int(lo), int(hi) + 1)] if hi else [lo.strip()]
                out.setdefault(str(document), []).extend((a, title) for a in arts)
    return out


def coverage(book: Rulebook, scenarios: list[Any], article_list: dict[str, list[tuple[str, Text]]]) -> Coverage:
    arts: dict[tuple[str, str], Article] = {}
    for document, entries in article_list.items():
        for art, group in entries:
            arts[(document, art)] = Article(document, art, group)
    for ident, c in citing(book):
        if not c.article:
            continue
        a = arts.setdefault((c.document, c.article), Article(c.document, c.article))
        if ident not in a.encoded_by:
            a.encoded_by.append(ident)
        if c.clause:
            a.clauses.add(c.clause)
    for s in scenarios:
        for text in s.articles:
            ref = parse_article(text)
            if ref is None:
                continue
            a = arts.setdefault((ref.document, ref.article), Article(ref.document, ref.article))
            if s.id not in a.scenarios:
                a.scenarios.append(s.id)
    laws = [i.id for i in book.instruments.values() if i.kind in LAW_KINDS and i.id not in article_list]
    cited = {a.document for a in arts.values() if a.encoded or a.scenarios}
    return Coverage(arts, list(article_list) + [d for d in laws if d in cited])


# -- scenarios run once for the pages ---------------------------------------------------------------------
@dataclass
class ScenarioRun:
    scenario: Any
    file: str
    values: set[str]  # rule ids the Decision computed (empty when the case is refused with an error)
    asserted: set[str]  # rule ids its expectations name


def run_scenarios(book: Rulebook, scenario_dir: Path | None) -> list[ScenarioRun]:
    if scenario_dir is None or not scenario_dir.is_dir():
        return []
    from ..decide import evaluate_with
    from ..testing.scenarios import load_scenarios

    runs = []
    for f in sorted(scenario_dir.rglob("*.yaml")):
        try:
            scenarios = load_scenarios(f)
        except VssError:
            continue
        for s in scenarios:
            try:
                values = set(evaluate_with(book, s.case).values)
            except VssError:
                values = set()
            exp = s.expect
            asserted = set(exp.get("values") or {}) | set(exp.get("reasons") or {}) | set(exp.get("remedies") or {})
            asserted |= {book.benefits[b].amount for b in (exp.get("benefits") or {})
                         if b in book.benefits and book.benefits[b].amount}
            runs.append(ScenarioRun(s, str(f), values, asserted))
    return runs

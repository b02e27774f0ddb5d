"""What the pages are made of, read from the Rulebook: regimes, the rules of each under each law
version, links between them. No regime is named here: they are the folders of the rule files."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..rulebook.book import Benefit, Citation, EventKind, LawPeriod, LawVersion, Rule, Rulebook, Text


def slug(ident: str) -> str:
    """``41/2024/QH15`` → ``41-2024-qh15``."""
    text = ident.replace("đ", "d").replace("Đ", "D").lower()
    return re.sub(r"[^0-9a-z]+", "-", text).strip("-") or "x"


def regime_of(file: str) -> str:
    """The regime of a rule file is its first folder under the rules folder."""
    parts = PurePosixPath(file).parts
    return parts[1] if len(parts) > 2 else PurePosixPath(file).stem


@dataclass
class Regime:
    id: str
    title: Text
    files: list[str]
    rules: dict[str, tuple[Rule, ...]] = field(default_factory=dict)  # id → its definitions, in file order
    benefits: list[Benefit] = field(default_factory=list)
    event_kinds: list[EventKind] = field(default_factory=list)
    versions: list[LawVersion] = field(default_factory=list)  # versions under which some rule applies

    def index_page(self) -> str:
        return f"law/{self.id}/index.md"

    def version_page(self, version: LawVersion) -> str:
        return f"law/{self.id}/{slug(version.id)}.md"

    def changes_page(self) -> str:
        return f"law/{self.id}/changes.md"


def _regime_title(titles: list[Text], ident: str) -> Text:
    """The part of the files' titles before " — " when they all share it, else the first title."""
    if not titles:
        return Text(ident, ident)

    def common(texts: list[str]) -> str | None:
        heads = {t.split(" — ")[0].strip() for t in texts}
        return heads.pop() if len(heads) == 1 else None

    vi, en = common([t.vi for t in titles]), common([t.en for t in titles])
    return Text(vi or titles[0].vi, en or titles[0].en)


def applies(laws: frozenset[str] | None, periods: list[LawPeriod]) -> bool:
    return laws is None or any(p.id in laws for p in periods)


class Book:
    """The Rulebook seen by the pages: regimes, page paths and links."""

    PARAMETERS = "law/parameters.md"
    INSTRUMENTS = "law/instruments.md"
    INTERPRETATIONS = "law/interpretations.md"
    COVERAGE = "law/coverage.md"
    INDEX = "law/index.md"

    def __init__(self, book: Rulebook):
        self.book = book
        files: dict[str, list[str]] = {}
        for f in sorted(book.regimes):
            files.setdefault(regime_of(f), []).append(f)
        self.regimes: dict[str, Regime] = {
            rid: Regime(rid, _regime_title([book.regimes[f] for f in fs], rid), fs) for rid, fs in sorted(files.items())
        }
        order = {f: i for i, f in enumerate(sorted(book.regimes))}
        defs = sorted((d for ds in book.rules.values() for d in ds), key=lambda d: (order.get(d.file, 0), d.pos.line))
        for d in defs:
            reg = self.regimes.setdefault(regime_of(d.file), Regime(regime_of(d.file), Text(d.file, d.file), [d.file]))
            reg.rules[d.id] = (*reg.rules.get(d.id, ()), d)
        for b in sorted(book.benefits.values(), key=lambda b: (order.get(b.file, 0), b.pos.line)):
            self.regimes[regime_of(b.file)].benefits.append(b)
        for k in book.event_kinds.values():
            self.regimes[regime_of(k.file)].event_kinds.append(k)
        self.rule_regime = {rid: regime_of(ds[0].file) for rid, ds in book.rules.items()}
        for reg in self.regimes.values():
            families = self.families_of(reg)
            reg.versions = [v for v in self.versions() if v.family in families and any(
                applies(d.laws, list(v.periods)) for ds in reg.rules.values() for d in ds)]

    def families_of(self, reg: Regime) -> set[str]:
        """The law families a regime's events are decided under (else those its rules name)."""
        kinds = {k for b in reg.benefits for k in b.event_kinds} | {k.id for k in reg.event_kinds}
        found = {self.book.event_kinds[k].family for k in kinds if k in self.book.event_kinds}
        if found:
            return found
        named = {p for ds in reg.rules.values() for d in ds for p in (d.laws or ())}
        return {v.family for v in self.versions() if any(p.id in named for p in v.periods)}

    def versions(self) -> list[LawVersion]:
        return [v for f in self.book.families.values() for v in f.versions]

    def version_of(self, period_id: str) -> LawVersion:
        return self.book.version(self.book.period(period_id).version)

    def definitions(self, rid: str, version: LawVersion) -> list[Rule]:
        return [d for d in self.book.rules.get(rid, ()) if applies(d.laws, list(version.periods))]

    # -- links --------------------------------------------------------------------------------------
    @staticmethod
    def rel(from_page: str, to: str) -> str:
        """A relative link from one page to another page (``path.md#anchor``)."""
        path, _, anchor = to.partition("#")
        if path == from_page:
            return f"#{anchor}" if anchor else "#"
        target = posixpath.relpath(path, posixpath.dirname(from_page))
        return target + (f"#{anchor}" if anchor else "")

    def where(self, ident: str, version: LawVersion | None = None) -> str | None:
        """The page and anchor that define a rule, parameter or table id (under ``version`` when given)."""
        if ident in self.book.parameters or ident in self.book.tables:
            return f"{self.PARAMETERS}#{ident}"
        if ident in self.book.benefits:
            b = self.book.benefits[ident]
            reg = self.regimes[regime_of(b.file)]
            v = version if version in reg.versions and applies(b.laws, list(version.periods)) else next(
                (v for v in reg.versions[::-1] if applies(b.laws, list(v.periods))), None)
            return f"{reg.version_page(v)}#benefit-{ident}" if v else reg.index_page()
        if any(f.selection.id == ident for f in self.book.families.values()):
            return self.INDEX
        regime = self.rule_regime.get(ident)
        if regime is None:
            return None
        reg = self.regimes[regime]
        candidates = ([version] if version else []) + reg.versions[::-1]  # else the newest version's page
        for v in candidates:
            if v in reg.versions and self.definitions(ident, v):
                return f"{reg.version_page(v)}#{ident}"
        return None

    def instrument_anchor(self, doc: str) -> str:
        return f"{self.INSTRUMENTS}#{slug(doc)}"

    def cite_status(self, c: Citation) -> str:
        return c.status or (self.book.instruments[c.document].status if c.document in self.book.instruments else "U")

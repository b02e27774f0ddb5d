"""Reading ``rules/laws.yaml``: the instruments cited, and the law families whose versions and periods tile time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import Position, RuleFileError
from .book import (
    Instrument,
    LawFamily,
    LawPeriod,
    LawVersion,
    Selection,
)
from .reader import Obj


class LawsFile:
    """Mixin of the loader (:class:`vss_rules.rulebook.loader._Load`); uses its state and helpers."""

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

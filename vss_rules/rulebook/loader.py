"""Load and check every rule file into a :class:`Rulebook`.

All problems are collected and reported together, each as ``file:line:col:
message [CODE]``. A rulebook that loads is one where every expression parses
and type-checks, every name resolves under every law period that needs it,
every table is free of gaps and overlaps, every parameter and law version
tiles time, and every rule, row and value cites its article.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..calendar import Calendar
from ..errors import Position, RuleFileError, RuleFileErrors
from ..lang import ir
from ..lang.checker import Checker, TypeCheckError
from ..lang.parser import ExpressionSyntaxError, parse
from ..lang.types import Type
from .book import (
    Benefit,
    EventKind,
    Instrument,
    Interpretation,
    LawFamily,
    Parameter,
    Rule,
    Rulebook,
    Table,
    Text,
)
from .book_checks import BookChecks
from .laws_file import LawsFile
from .parameter_files import ParameterFiles
from .reader import Obj
from .regime_files import RegimeFiles
from .scope import Declarations, RulebookScope
from .yamlsafe import YList, load_yaml, position_of


def rule_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


class _Load(LawsFile, ParameterFiles, RegimeFiles, BookChecks):
    """Reads every rule file; the readers of each kind of file and the whole-book checks are mixins."""

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


def load_uncached(root: Path) -> Rulebook:
    return _Load(root).run()

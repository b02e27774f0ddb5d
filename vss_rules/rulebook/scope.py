"""What names mean to the type checker, built from the declarations of all rule files."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lang.checker import Signature
from ..lang.types import DATE, INT, SPANS, Type, enum
from ..model import CASE_INPUTS, ROW_FIELDS, ROW_SOURCES

# The fields of one span of a fact of type spans (``for s in facts.leave``): first and last day, and
# the number of calendar days it holds.
SPAN_FIELDS: dict[str, Type] = {"start": DATE, "end": DATE, "days": INT}


@dataclass
class Declarations:
    values: dict[str, Type] = field(default_factory=dict)  # case-level rule ids
    row_values: dict[str, dict[str, Type]] = field(default_factory=dict)  # source → id → type
    signatures: dict[str, Signature] = field(default_factory=dict)  # parameters and function tables
    facts: dict[str, Type] = field(default_factory=dict)
    event_kinds: list[str] = field(default_factory=list)
    calendars: set[str] = field(default_factory=set)  # working-day calendars (rules/calendar/)


class RulebookScope:
    """Implements :class:`vss_rules.lang.checker.Scope` over :class:`Declarations`."""

    def __init__(self, decl: Declarations, allowed_values: set[str] | None = None):
        self.decl = decl
        self.allowed_values = allowed_values  # restricts bare names (law-selection expressions)

    def value_type(self, name: str) -> Type | None:
        if self.allowed_values is not None and name not in self.allowed_values:
            return None
        return self.decl.values.get(name)

    def lookup_signature(self, name: str) -> Signature | None:
        return self.decl.signatures.get(name)

    def input_roots(self) -> tuple[str, ...]:
        return ("person", "event", "facts")

    def input_type(self, path: tuple[str, ...]) -> Type | None:
        if path in CASE_INPUTS:
            return CASE_INPUTS[path]
        if path == ("event", "kind"):
            return enum(*self.decl.event_kinds) if self.decl.event_kinds else None
        if len(path) == 2 and path[0] == "facts":
            return self.decl.facts.get(path[1])
        return None

    def calendars(self) -> tuple[str, ...]:
        return tuple(sorted(self.decl.calendars))

    def row_type(self, source: str, name: str) -> tuple[str, Type] | None:
        if source.startswith("facts."):  # the spans of a fact of type spans
            return ("field", SPAN_FIELDS[name]) if name in SPAN_FIELDS else None
        if name in ROW_FIELDS.get(source, {}):
            return "field", ROW_FIELDS[source][name]
        if source == "events":  # an event row carries its kind and the declared facts
            if name == "kind" and self.decl.event_kinds:
                return "field", enum(*self.decl.event_kinds)
            if name in self.decl.facts:
                return "field", self.decl.facts[name]
        if name in self.decl.row_values.get(source, {}):
            return "value", self.decl.row_values[source][name]
        return None

    def sources(self) -> dict[str, str]:
        spans = {f"facts.{name}": "s" for name, typ in sorted(self.decl.facts.items()) if typ == SPANS}
        return {**ROW_SOURCES, **spans}


def parameter_signature(key_type: Type | None, result: Type) -> Signature:
    return Signature((DATE,) if key_type is None else (DATE, key_type), result)

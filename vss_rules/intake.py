"""Case intake: validate a case against the rulebook, and shape it for the backends.

The static :class:`vss_rules.model.Case` takes ``event.facts`` as a plain
mapping; here a pydantic model is generated from the event kinds declared in
the rule files, so each kind's facts are typed, ranged and documented — in
validation and in :func:`case_schema` alike.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, model_validator

from . import months
from .backends.scalar import CaseData, Rows
from .calendar import WEEKDAYS
from .errors import CaseError, CaseErrors
from .lang.types import FACT_KINDS, Type
from .model import Case, Event, MonthText
from .rulebook.book import EventKind, Rulebook
from .rulebook.reader import SpanError, collection


class DateSpan(BaseModel):
    """A span of days, both ends included (a fact of type ``spans`` is a list of these)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> DateSpan:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


def _py_type(t: Type) -> Any:
    if t.kind == "dates":
        return list[dt.date]
    if t.kind == "weekdays":
        return list[Literal[WEEKDAYS]]  # type: ignore[valid-type]
    if t.kind == "spans":
        return list[DateSpan]
    if t.kind == "bool":
        return bool
    if t.kind == "int":
        return int
    if t.kind == "money":
        return Annotated[int, Field(ge=0)]
    if t.kind == "number":
        return Decimal
    if t.kind == "date":
        return dt.date
    if t.kind == "month":
        return MonthText
    if t.values:
        return Literal[t.values]  # type: ignore[valid-type]
    return str


def _json_value(v: Any, t: Type) -> Any:
    """A rule-file value (Fraction, month index…) → what the JSON Schema and pydantic expect."""
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else float(v)
    if t.kind == "month" and isinstance(v, int):
        return months.month_str(v)
    if t.kind == "weekdays":
        return [WEEKDAYS[i] for i in sorted(v)]
    if t.kind == "dates":
        return [d.isoformat() for d in sorted(v)]
    if t.kind == "spans":
        return [{"start": a.isoformat(), "end": b.isoformat()} for a, b in v]
    return v


def _facts_model(kind: EventKind) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for f in kind.facts:
        typ = _py_type(f.type)
        constraints: dict[str, Any] = {"description": f"{f.title.en} / {f.title.vi}"}
        if f.minimum is not None:
            constraints["ge"] = _json_value(f.minimum, f.type)
        if f.maximum is not None:
            constraints["le"] = _json_value(f.maximum, f.type)
        if f.required and f.type.kind == "spans":
            constraints["min_length"] = 1
        if f.required:
            fields[f.name] = (typ, Field(**constraints))
        else:
            fields[f.name] = (typ | None, Field(_json_value(f.default, f.type), **constraints))
    return create_model(f"Facts_{kind.id}", __config__=ConfigDict(extra="forbid", frozen=True), **fields)


@lru_cache(maxsize=8)
def case_model(book: Rulebook) -> type[BaseModel]:
    """A Case model whose ``event`` is a union over the declared event kinds, discriminated by ``kind``."""
    events = []
    for kind in book.event_kinds.values():
        events.append(
            create_model(
                f"Event_{kind.id}",
                __base__=Event,
                __doc__=f"{kind.title.en} / {kind.title.vi}",
                kind=(Literal[kind.id], ...),  # type: ignore[valid-type]
                facts=(_facts_model(kind), Field(default_factory=dict, validate_default=True)),
            )
        )
    union = Annotated[Union[tuple(events)], Field(discriminator="kind")] if len(events) > 1 else events[0]  # type: ignore[valid-type]  # noqa: UP007
    return create_model("Case", __base__=Case, event=(union, ...), history=(list[union], Field(default_factory=list)))  # type: ignore[valid-type]


def _where(loc: tuple[Any, ...], tags: Any = ()) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith("Event_") or str(part).startswith("function-"):
            continue  # union branch names are not fields
        elif out == "event" and part in tags:
            continue  # the discriminated union of event kinds names its branch by the kind
        else:
            out += ("." if out else "") + str(part)
    return out or "case"


def validate_case(case: dict[str, Any] | Case, book: Rulebook) -> BaseModel:
    if isinstance(case, BaseModel):
        case = case.model_dump(mode="json")
    if not isinstance(case, dict):
        raise CaseError("a case is a JSON object (mapping)", where="case", code="CASE_NOT_A_MAPPING")
    kind = (case.get("event") or {}).get("kind") if isinstance(case.get("event"), dict) else None
    if kind is not None and kind not in book.event_kinds:
        known = ", ".join(sorted(book.event_kinds))
        raise CaseError(f"unknown event kind {kind!r}; the rule files declare: {known}", where="event.kind", code="UNKNOWN_EVENT_KIND")
    try:
        return case_model(book).model_validate(case)
    except ValidationError as exc:
        errors = []
        for e in exc.errors(include_url=False):
            msg = e["msg"]
            if e["type"] == "extra_forbidden":
                msg = "unknown field (not part of the case schema)"
            errors.append(CaseError(msg, where=_where(tuple(e["loc"]), book.event_kinds), code="CASE_INVALID"))
        raise CaseErrors(errors) from None


def _number(x: Any) -> Any:
    if isinstance(x, bool) or x is None:
        return x
    if isinstance(x, (int, Decimal)):
        return Fraction(x)
    if isinstance(x, float):
        return Fraction(repr(x))
    return x


def _facts(event: Any, book: Rulebook) -> dict[str, Any]:
    """An event's declared facts, defaults filled in, as exact numbers and month integers."""
    out: dict[str, Any] = {}
    for f in book.event_kinds[event.kind].facts:
        raw = getattr(event.facts, f.name)
        if raw is None:
            raw = f.default
        elif f.type.kind == "month" and isinstance(raw, str):
            raw = months.parse_month(raw)
        elif f.type.kind in FACT_KINDS:
            try:
                raw = collection(raw, f.type)
            except SpanError as e:
                raise CaseError(str(e), where=f"event.facts.{f.name}[{e.index}]", code="SPANS_OVERLAP") from None
        out[f.name] = raw if f.type.kind == "month" else _number(raw)  # a month stays an integer
    return out


def _span_rows(event: Any, book: Rulebook) -> dict[str, list[dict[str, Any]]]:
    """Each fact of type spans as a row source ``facts.<name>``: its spans in date order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for f in book.event_kinds[event.kind].facts:
        if f.type.kind != "spans":
            continue
        given = getattr(event.facts, f.name)
        items = [(sp.start, sp.end, i) for i, sp in enumerate(given)] if given is not None else [(a, b, i) for i, (a, b) in enumerate(f.default or ())]
        out[f"facts.{f.name}"] = [{"start": a, "end": b, "days": Fraction((b - a).days + 1), "_path": f"event.facts.{f.name}[{i}]", "_index": i}
                                  for a, b, i in sorted(items)]
    return out


def prepare(case: BaseModel, book: Rulebook) -> CaseData:
    """Shape a validated case for evaluation: exact numbers, months as integers, periods cut at year ends."""
    birth, precision = case.person.birth  # type: ignore[attr-defined]
    event = case.event  # type: ignore[attr-defined]
    facts = _facts(event, book)
    periods = [(index, {k: _number(v) for k, v in p.model_dump().items() if k not in ("start", "end")},
                months.parse_month(p.start), months.parse_month(p.end))
               for index, p in enumerate(case.contributions)]  # type: ignore[attr-defined]

    def segments() -> list[dict[str, Any]]:
        """Contribution periods cut at calendar-year ends, oldest first."""
        out = [{**base, "start": a, "end": b, "months": Fraction(b - a + 1), "year": Fraction(months.year_of(a)), "_index": index}
               for index, base, start, end in periods for a, b in months.split_by_year(start, end)]
        return sorted(out, key=lambda s: s["start"])

    def monthly() -> list[dict[str, Any]]:
        """One row per contribution month, oldest first."""
        out = [{**base, "start": m, "end": m, "months": Fraction(1), "year": Fraction(months.year_of(m)),
                "_index": index, "_path": f"contributions[{index}]"}
               for index, base, start, end in periods for m in range(start, end + 1)]
        return sorted(out, key=lambda s: s["start"])

    history = [(h, _facts(h, book)) for h in case.history]  # type: ignore[attr-defined]  # validated now, whatever reads them

    def events() -> list[dict[str, Any]]:
        """The case's history of earlier events, then the event itself."""
        names = {f.name for k in book.event_kinds.values() for f in k.facts}
        out = [{**dict.fromkeys(names), **h_facts, "kind": h.kind, "date": h.date, "current": False,
                "_path": f"history[{i}].facts", "_index": i}
               for i, (h, h_facts) in enumerate(history)]
        out.append({**dict.fromkeys(names), **facts, "kind": event.kind, "date": event.date, "current": True,
                    "_path": "event.facts", "_index": len(out)})
        return out

    spans = _span_rows(event, book)
    builders = {"contributions": segments, "contribution_months": monthly, "events": events,
                "relatives": lambda: [relative_row(i, r) for i, r in enumerate(case.relatives)],  # type: ignore[attr-defined]
                **{name: (lambda rows=rows: rows) for name, rows in spans.items()}}
    supplied: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for pid, sp in case.supplied_parameters.items():  # type: ignore[attr-defined]
        param = book.parameters.get(pid)
        if param is None or not param.suppliable:
            allowed = ", ".join(sorted(p.id for p in book.parameters.values() if p.suppliable)) or "none"
            raise CaseError(f"parameter {pid!r} cannot be supplied by a case (suppliable: {allowed})",
                            where=f"supplied_parameters.{pid}", code="NOT_SUPPLIABLE")
        if (param.key is None) != (sp.value is not None):
            need = "by_key" if param.key else "value"
            raise CaseError(f"{pid} needs '{need}'", where=f"supplied_parameters.{pid}", code="CASE_INVALID")
        supplied[pid] = Fraction(sp.value) if sp.value is not None else {k: Fraction(v) for k, v in sp.by_key.items()}  # type: ignore[union-attr]
        sources[pid] = sp.source
    data = CaseData(
        inputs={
            ("person", "sex"): case.person.sex,  # type: ignore[attr-defined]
            ("person", "birth_date"): birth,
            ("person", "birth_date_precision"): precision,
            ("event", "date"): event.date,
            ("event", "kind"): event.kind,
        },
        facts=facts,
        rows=Rows(builders),
        supplied=supplied,
        supplied_sources=sources,
    )
    return data


def relative_row(index: int, relative: Any) -> dict[str, Any]:
    """One relative as a row: exact numbers, the birth date with its precision, the position as ``index``."""
    row = {k: _number(v) for k, v in relative.model_dump().items()}
    row["birth_date"], row["birth_date_precision"] = relative.birth
    row["index"] = Fraction(index)
    row["_index"] = index
    row["_path"] = f"relatives[{index}]"
    return row

"""Hypothesis strategies for cases, generated from the rulebook's declarations.

    from hypothesis import given
    from vss_rules.testing.strategies import cases

    @given(cases(event_kind="…", facts={"capacity_loss_percent": st.just(0)}))
    def test_something(case): ...

Facts are drawn from their declared types and ranges unless overridden; a fact
declared without a default may be left out; a draw whose facts contradict the
event kind's input checks is rejected, so every case is valid input. :func:`scenario_on_failure` writes
the failing case out as a YAML scenario, so a shrunk counter-example becomes a
regression test after a human fills in its expectation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from .. import months
from ..backends.scalar import Evaluator
from ..decide import check_input
from ..errors import CaseError
from ..intake import prepare, validate_case
from ..lang.types import Type
from ..rulebook import Rulebook, load_rulebook
from .scenarios import scenario_yaml


def _fact_value(t: Type, minimum: Any, maximum: Any) -> st.SearchStrategy[Any]:
    lo = 0 if minimum is None else int(minimum)
    hi = 100 if maximum is None else int(maximum)
    if t.kind == "bool":
        return st.booleans()
    if t.kind in ("int", "money"):
        return st.integers(lo, hi)
    if t.kind == "number":
        return st.integers(lo * 10, hi * 10).map(lambda x: x / 10)
    if t.kind == "date":
        return st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)
    if t.kind == "month":
        return st.integers(months.month(2000, 1), months.month(2035, 12)).map(months.month_str)
    if t.values:
        return st.sampled_from(t.values)
    return st.text(min_size=1, max_size=10)


@st.composite
def contribution_periods(draw, *, end_before: int, first_start: int = months.month(1975, 1),
                         max_periods: int = 4, wage_settings: tuple[str, ...] = ("state",),
                         work_conditions: tuple[str, ...] = ("normal",)) -> list[dict[str, Any]]:
    """Non-overlapping compulsory periods, oldest first, all ending before month ``end_before``."""
    count = draw(st.integers(1, max_periods))
    cuts = sorted(draw(st.lists(st.integers(first_start, end_before - 1), min_size=2 * count, max_size=2 * count, unique=True)))
    periods = []
    for i in range(count):
        start, end = cuts[2 * i], cuts[2 * i + 1]
        wage = draw(st.sampled_from(wage_settings))
        period: dict[str, Any] = {"start": months.month_str(start), "end": months.month_str(end), "wage_setting": wage,
                                  "work_condition": draw(st.sampled_from(work_conditions))}
        if wage == "state":
            period["salary_coefficient"] = draw(st.integers(100, 1000)) / 100
        else:
            period["monthly_salary_vnd"] = draw(st.integers(1_000_000, 50_000_000))
        periods.append(period)
    return periods


@st.composite
def cases(draw, *, event_kind: str, rulebook: Rulebook | None = None, facts: dict[str, st.SearchStrategy] | None = None,
          event_from: dt.date = dt.date(2016, 1, 1), event_to: dt.date = dt.date(2030, 12, 1),
          birth_from: dt.date = dt.date(1945, 1, 1), birth_to: dt.date = dt.date(1985, 12, 31),
          periods: st.SearchStrategy | None = None) -> dict[str, Any]:
    """A valid case of ``event_kind``: a person, contribution periods before the event, declared facts."""
    book = rulebook or load_rulebook()
    kind = book.event_kinds[event_kind]
    first = months.month_of(event_from)
    last = months.month_of(event_to)
    event_month = draw(st.integers(first, last))
    event_date = months.first_day(event_month)
    birth = draw(st.dates(birth_from, birth_to))
    precision = draw(st.sampled_from(["day", "day", "day", "month", "year"]))
    birth_text = {"day": birth.isoformat(), "month": birth.isoformat()[:7], "year": str(birth.year)}[precision]
    joined = max(months.month(birth.year + 18, birth.month), months.month(1975, 1))
    if joined >= event_month - 1:
        joined = event_month - 24
    contributions = draw(periods if periods is not None else contribution_periods(end_before=event_month, first_start=joined))
    overrides = facts or {}
    chosen: dict[str, Any] = {}
    for fact in kind.facts:
        if fact.name in overrides:
            chosen[fact.name] = draw(overrides[fact.name])
        elif fact.required or draw(st.booleans()):
            chosen[fact.name] = draw(_fact_value(fact.type, fact.minimum, fact.maximum))
    chosen = {k: v for k, v in chosen.items() if v is not None}
    case = {
        "person": {"sex": draw(st.sampled_from(["male", "female"])), "birth_date": birth_text},
        "contributions": contributions,
        "event": {"kind": event_kind, "date": event_date.isoformat(), "facts": chosen},
    }
    if kind.checks and not _passes_checks(book, case):
        reject()
    return case


def _passes_checks(book: Rulebook, case: dict[str, Any]) -> bool:
    """Whether ``case`` passes its event kind's declared input checks (facts drawn apart may contradict,
    or a check may need a fact the draw left out)."""
    model = validate_case(case, book)
    try:
        check_input(book.event_kinds[case["event"]["kind"]], Evaluator(book, prepare(model, book), None))
    except CaseError as exc:
        if exc.code not in ("CASE_INCONSISTENT", "FACT_REQUIRED", "FIELD_REQUIRED"):
            raise
        return False
    return True


@contextlib.contextmanager
def scenario_on_failure(case: dict[str, Any], name: str, directory: str | os.PathLike | None = None) -> Iterator[None]:
    """If the block fails, write ``case`` as a scenario file (``name``.yaml), then re-raise.

    Hypothesis replays the shrunk counter-example last, so the file left behind holds the minimal case.
    The default directory is ``$VSS_RULES_FAILURES`` or ``.hypothesis/vss-scenarios``.
    """
    try:
        yield
    except Exception as exc:
        folder = Path(directory or os.environ.get("VSS_RULES_FAILURES", ".hypothesis/vss-scenarios"))
        folder.mkdir(parents=True, exist_ok=True)
        text = scenario_yaml(case, id=f"FOUND-{name}", title=f"counter-example: {type(exc).__name__}: {exc}"[:300])
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        raise

"""Invariants of the old-age pension law, over generated cases (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import vss_rules
from vss_rules import months
from vss_rules.rulebook import load_rulebook
from vss_rules.testing.strategies import cases, scenario_on_failure

BOOK = load_rulebook()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NO_CAPACITY = {"capacity_loss_percent": st.just(0), "participant_group": st.just("employee"),
               "top_up_months": st.just(0), "expert_raise_months": st.just(0), "occupational_hiv": st.just(False),
               "conscript_service_start": st.none(), "conscript_service_end": st.none()}


def pension_cases(**kw):
    return cases(event_kind="retirement", rulebook=BOOK, facts=kw.pop("facts", NO_CAPACITY), **kw)


def decide(case):
    return vss_rules.evaluate(case, rulebook=BOOK)


def pension(decision):
    return decision.benefit("monthly_pension")


@SETTINGS
@given(pension_cases())
def test_rate_between_0_and_75_percent_and_amount_not_negative(case):
    with scenario_on_failure(case, "rate-bounds"):
        d = decide(case)
        rate = d.values.get("pension_rate")
        if rate is not None:
            assert 0 <= rate <= 0.75
        p = pension(d)
        if p.eligible:
            assert p.amount_vnd is not None and p.amount_vnd >= 0
            if d.values.get("minimum_pension_applies"):
                assert p.amount_vnd >= d.values["minimum_pension_vnd"]


@SETTINGS
@given(pension_cases(), st.integers(1, 60))
def test_more_contribution_never_lowers_the_rate(case, extra):
    first = min(months.parse_month(p["start"]) for p in case["contributions"])
    assume(first - extra >= months.month(1975, 1))
    longer = json.loads(json.dumps(case))
    earliest = min(longer["contributions"], key=lambda p: p["start"])
    earliest["start"] = months.month_str(months.parse_month(earliest["start"]) - extra)
    with scenario_on_failure(case, "more-contribution"):
        base, more = decide(case), decide(longer)
        assert base.law.period == more.law.period
        if "pension_full_rate" in base.values and "pension_full_rate" in more.values:
            assert more.values["pension_full_rate"] >= base.values["pension_full_rate"]
        if pension(base).eligible:
            assert pension(more).eligible


@SETTINGS
@given(pension_cases(), st.integers(1, 120))
def test_earlier_birth_never_delays_eligibility(case, months_earlier):
    born = case["person"]["birth_date"]
    assume(len(born) == 10)
    older = json.loads(json.dumps(case))
    b = dt.date.fromisoformat(born)
    older["person"]["birth_date"] = months.first_day(months.month_of(b) - months_earlier).isoformat()
    with scenario_on_failure(case, "earlier-birth"):
        if pension(decide(case)).eligible:
            assert pension(decide(older)).eligible


@SETTINGS
@given(pension_cases(), st.integers(101, 150))
def test_higher_salaries_never_lower_the_pension(case, percent):
    richer = json.loads(json.dumps(case))
    for p in richer["contributions"]:
        p["salary_coefficient"] = round(p["salary_coefficient"] * percent / 100, 2)
    with scenario_on_failure(case, "higher-salary"):
        a, b = pension(decide(case)), pension(decide(richer))
        assert a.eligible == b.eligible
        if a.eligible:
            assert b.amount_vnd >= a.amount_vnd


@SETTINGS
@given(st.dates(dt.date(2007, 1, 1), dt.date(2060, 12, 31)))
def test_exactly_one_law_period_per_date(day):
    for family in BOOK.families.values():
        if day < family.versions[0].start:  # before a family's first law nothing is encoded
            continue
        containing = [p.id for v in family.versions for p in v.periods if p.contains(day)]
        assert len(containing) == 1, (family.id, day, containing)


@pytest.mark.parametrize("sex", ["male", "female"])
def test_appendix_two_is_appendix_one_five_years_on(sex):
    """Decree 135/2020 Appendix II = Appendix I of someone born 5 years earlier, less 5 years (interpretation lowered_age_by_birth_month)."""
    from vss_rules.backends.scalar import Evaluator
    from vss_rules.lang.ir import Const, Lookup
    from vss_rules.lang.types import INT, MONTH, enum

    ev = Evaluator(BOOK, None, None)  # type: ignore[arg-type]

    def table(name, birth):
        return ev.lookup(Lookup(INT, name, (Const(enum("male", "female"), sex), Const(MONTH, birth))), None)

    for birth in range(months.month(1955, 1), months.month(1990, 12)):
        assert table("minimum_retirement_age_months", birth) == table("normal_retirement_age_months", birth - 60) - 60


@pytest.mark.parametrize("sex", ["male", "female"])
def test_roadmap_ages_never_fall_and_rise_by_the_law_steps(sex):
    """Labour Code Art. 169(2): from 60/55 the age rises 3 (men) or 4 (women) months a year to 62/60."""
    from vss_rules.backends.scalar import Evaluator
    from vss_rules.lang.ir import Const, Lookup
    from vss_rules.lang.types import INT, MONTH, enum

    ev = Evaluator(BOOK, None, None)  # type: ignore[arg-type]
    ages = [ev.lookup(Lookup(INT, "normal_retirement_age_months", (Const(enum("male", "female"), sex), Const(MONTH, b))), None)
            for b in range(months.month(1950, 1), months.month(1990, 12))]
    assert ages == sorted(ages)
    assert (min(ages), max(ages)) == ((720, 744) if sex == "male" else (660, 720))
    step = 3 if sex == "male" else 4
    assert all(b - a in (0, step) for a, b in zip(ages, ages[1:]))
    # the month the age is reached falls in the roadmap year that sets it (Decree 135/2020 Art. 4)
    for offset, age in enumerate(ages):
        birth = months.month(1950, 1) + offset
        reached_year = months.year_of(birth + age)
        if reached_year >= 2021:
            expected = min(720 + 3 * (reached_year - 2020), 744) if sex == "male" else min(660 + 4 * (reached_year - 2020), 720)
            assert age == expected, (months.month_str(birth), age, expected)

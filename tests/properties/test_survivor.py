"""Invariants of the survivor rules over generated death cases (hypothesis)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vss_rules
from vss_rules import months
from vss_rules.money import round_half_up
from vss_rules.rulebook import load_rulebook
from vss_rules.testing.strategies import scenario_on_failure

BOOK = load_rulebook()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RELATIONS = ["child", "spouse", "father", "mother", "father_in_law", "mother_in_law", "other_dependant"]


@st.composite
def relatives(draw, death: dt.date) -> dict:
    relation = draw(st.sampled_from(RELATIONS))
    if relation == "child":
        birth = draw(st.dates(death - dt.timedelta(days=50 * 365), death + dt.timedelta(days=280)))
    else:
        birth = draw(st.dates(dt.date(1925, 1, 1), death - dt.timedelta(days=18 * 365)))
    r: dict = {"relation": relation, "birth_date": birth.isoformat(), "sex": draw(st.sampled_from(["male", "female"])),
               "has_supporter": draw(st.booleans()), "also_relative_of_another_deceased": draw(st.booleans()),
               "monthly_income_vnd": draw(st.sampled_from([0, 1_000_000, 5_000_000])),
               "employed_with_compulsory_insurance": draw(st.booleans()),
               "monthly_benefits_vnd": draw(st.sampled_from([0, 1_000_000, 5_000_000]))}
    if draw(st.booleans()):
        r["capacity_loss_percent"] = draw(st.sampled_from([61, 81, 90]))
        r["capacity_assessment_date"] = (death + dt.timedelta(days=draw(st.integers(-400, 300)))).isoformat()
    return r


@st.composite
def death_cases(draw) -> dict:
    death = draw(st.dates(dt.date(2016, 1, 1), dt.date(2030, 6, 30)))
    death_month = months.month_of(death)
    # state-scale records that start before 2016 are valued at the reference level (no CPI table needed)
    start = draw(st.integers(months.month(1980, 1), min(months.month(2015, 12), death_month - 24)))
    count = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(start + 1, death_month - 1), min_size=2 * count - 1, max_size=2 * count - 1,
                                unique=True)))
    cuts = [start, *cuts]
    periods = [{"start": months.month_str(cuts[2 * i]), "end": months.month_str(cuts[2 * i + 1]), "wage_setting": "state",
                "salary_coefficient": draw(st.integers(100, 1000)) / 100} for i in range(count)]
    facts: dict = {"work_related_death": draw(st.booleans()), "lump_sum_chosen": draw(st.booleans()),
                   "top_up_months": draw(st.integers(0, 6))}
    if draw(st.integers(0, 3)) == 0:
        began = draw(st.dates(dt.date(2016, 1, 1), death))
        facts.update(pensioner=True, pension_start_date=began.isoformat(),
                     monthly_pension_vnd=draw(st.integers(2_000_000, 30_000_000)))
    return {
        "person": {"sex": draw(st.sampled_from(["male", "female"])), "birth_date": draw(st.dates(dt.date(1945, 1, 1), dt.date(1995, 12, 31))).isoformat()},
        "contributions": periods,
        "event": {"kind": "death", "date": death.isoformat(), "facts": facts},
        "relatives": draw(st.lists(relatives(death), max_size=7)),
    }


def decide(case):
    return vss_rules.evaluate(case, rulebook=BOOK)


@SETTINGS
@given(death_cases())
def test_at_most_four_monthly_allowances_and_eight_amounts(case):
    with scenario_on_failure(case, "survivor-four-relatives"):
        d = decide(case)
        paid = [b for b in d.benefits if b.id == "monthly_survivor_allowance" and b.eligible]
        assert len(paid) <= 4
        multiples = sum(d.values[f"relative_allowance_multiplier[{b.relative_index}]"] for b in paid)
        assert multiples <= 8
        for b in paid:
            assert b.amount_vnd is not None and b.amount_vnd > 0
            assert d.values[f"relative_allowance_rate[{b.relative_index}]"] in (0.5, 0.7)
        if paid:  # the monthly and the one-off allowance exclude each other
            assert not d.benefit("survivor_lump_sum").eligible


@SETTINGS
@given(death_cases())
def test_one_off_allowance_is_at_least_three_months(case):
    with scenario_on_failure(case, "survivor-one-off-minimum"):
        d = decide(case)
        lump = d.benefit("survivor_lump_sum")
        if lump.eligible and d.law.version != "71/2006/QH11":
            assert d.values["survivor_lump_sum_months"] >= 3
            base = Fraction(d.values["one_off_base_vnd"])
            assert lump.amount_vnd >= round_half_up(3 * base)


@SETTINGS
@given(death_cases())
def test_the_date_of_death_chooses_exactly_one_law(case):
    with scenario_on_failure(case, "survivor-law-by-date"):
        d = decide(case)
        death = dt.date.fromisoformat(case["event"]["date"])
        assert d.law.version == ("41/2024/QH15" if death >= dt.date(2025, 7, 1) else "58/2014/QH13")
        assert d.law.decisive_date == death

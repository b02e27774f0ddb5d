"""Invariants of the maternity leaves counted in months and odd days (a child's death, surrogacy, adoption, the
father's or carer's leave after the mother's death) and of the short leaves (check-ups, contraception), under both
laws: a leave never runs past its cap, and the amount is the monthly (or daily) rate times the quantity."""

from __future__ import annotations

import calendar
import datetime as dt
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vss_rules
from vss_rules.rulebook import load_rulebook
from vss_rules.testing.strategies import scenario_on_failure

BOOK = load_rulebook()
HALF_DONG = Fraction(1, 2) + Fraction(1, 10**6)  # rounding to whole dong, plus the float error of a value read back
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
L41_FROM = dt.date(2025, 7, 1)


def add_months(d: dt.date, n: int) -> dt.date:
    """The same day n months on, clipped to the month's end (the rule language's add_months)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def decide(case):
    return vss_rules.evaluate(case, rulebook=BOOK)


def iso(d: dt.date) -> str:
    return d.isoformat()


def contributions(until: dt.date, salary: int) -> list[dict]:
    return [{"start": "2014-01", "end": f"{until.year}-{until.month:02d}", "monthly_salary_vnd": salary}]


def assert_linear(d, benefit_id: str, base_value: str) -> None:
    """amount = monthly rate × (whole months + odd days ÷ 30), to within rounding."""
    b = d.benefit(benefit_id)
    if not b.eligible:
        return
    v = d.values
    quantity = Fraction(v["maternity_leave_whole_months"]) + Fraction(v["maternity_leave_odd_days"], 30)
    assert Fraction(str(b.quantity)) == quantity or abs(Fraction(str(b.quantity)) - quantity) < Fraction(1, 10**9)
    assert abs(b.amount_vnd - Fraction(str(v[base_value])) * quantity) <= HALF_DONG


@st.composite
def births(draw):
    birth = draw(st.dates(dt.date(2016, 3, 1), dt.date(2027, 6, 1)))
    children = draw(st.integers(1, 3))
    facts: dict = {"children_born": children}
    if draw(st.booleans()):
        facts["leave_start"] = iso(birth - dt.timedelta(days=draw(st.integers(0, 59))))
    carrier = draw(st.booleans())
    if carrier:
        facts["surrogate_carrier"] = True
        facts["handover_date"] = iso(birth + dt.timedelta(days=draw(st.integers(0, 300))))
    if draw(st.booleans()):
        facts["child_death_date"] = iso(birth + dt.timedelta(days=draw(st.integers(0, 250))))
    case = {"person": {"sex": "female", "birth_date": "1990-01-01"},
            "contributions": contributions(birth, draw(st.integers(3_000_000, 40_000_000))),
            "event": {"kind": "childbirth", "date": iso(birth), "facts": facts}}
    return case


@SETTINGS
@given(births())
def test_childbirth_leave_never_passes_the_childbirth_entitlement(case):
    with scenario_on_failure(case, "maternity-leave-cap"):
        d = decide(case)
        facts, birth = case["event"]["facts"], dt.date.fromisoformat(case["event"]["date"])
        first = dt.date.fromisoformat(facts.get("leave_start", case["event"]["date"]))
        entitled = add_months(first, 6 + facts["children_born"] - 1)
        until = dt.date.fromisoformat(d.values["maternity_leave_until"])
        assert until <= entitled
        assert d.values["maternity_leave_odd_days"] >= 0
        carrier = facts.get("surrogate_carrier", False)
        if carrier:  # at least 60 days from the birth, unless the childbirth leave itself is shorter
            assert until == entitled or until >= birth + dt.timedelta(days=60)
        elif "child_death_date" not in facts or d.law.version == "41/2024/QH15":
            assert until == entitled  # Law 41/2024 keeps the whole leave when the child dies
        else:  # Law 58/2014 Art. 34(3): never longer than 4 months from the birth or 2 from the death, whichever applies
            death = dt.date.fromisoformat(facts["child_death_date"])
            assert until in (entitled, add_months(birth, 4), add_months(death, 2))
        assert_linear(d, "childbirth_leave_benefit", "maternity_average_salary_vnd")


@SETTINGS
@given(st.dates(dt.date(2016, 3, 1), dt.date(2027, 6, 1)), st.integers(0, 240), st.integers(3_000_000, 40_000_000),
       st.sampled_from(["male", "female"]))
def test_adoption_leave_ends_when_the_child_is_6_months(child_birth, age_days, salary, sex):
    handover = child_birth + dt.timedelta(days=age_days)
    case = {"person": {"sex": sex, "birth_date": "1988-01-01"}, "contributions": contributions(handover, salary),
            "event": {"kind": "adoption", "date": iso(handover), "facts": {"child_birth_date": iso(child_birth)}}}
    with scenario_on_failure(case, "adoption-cap"):
        d = decide(case)
        b = d.benefit("adoption_leave_benefit")
        under_six = handover < add_months(child_birth, 6)
        assert b.eligible == under_six == d.benefit("adoption_grant").eligible
        if b.eligible:
            assert d.values["maternity_leave_until"] == iso(add_months(child_birth, 6))
            assert 0 < b.quantity <= 6
        assert_linear(d, "adoption_leave_benefit", "maternity_average_salary_vnd")


@SETTINGS
@given(st.dates(dt.date(2016, 3, 1), dt.date(2027, 6, 1)), st.integers(0, 200), st.integers(1, 3),
       st.sampled_from(["birth_mother", "commissioning_mother"]), st.booleans(), st.booleans(), st.booleans(),
       st.sampled_from(["died", "unfit"]))
def test_the_carer_never_has_more_than_the_mother_had(child_birth, days_after, children, role, insured, eligible,
                                                      takes_leave, mother_event):
    event = child_birth + dt.timedelta(days=days_after)
    case = {"person": {"sex": "male", "birth_date": "1988-01-01"}, "contributions": contributions(event, 9_000_000),
            "event": {"kind": "care_after_mother", "date": iso(event), "facts": {
                "child_birth_date": iso(child_birth), "children_born": children, "mother_role": role,
                "mother_insured": insured, "mother_eligible": eligible, "takes_leave": takes_leave,
                "mother_event": mother_event, "mother_average_salary_vnd": 7_500_000}}}
    if role == "commissioning_mother" and event < L41_FROM:
        return  # Law 58/2014: not encoded (Decree 115/2015)
    with scenario_on_failure(case, "carer-cap"):
        d = decide(case)
        b = d.benefit("care_after_mother_benefit")
        if b.eligible:
            until = dt.date.fromisoformat(d.values["maternity_leave_until"])
            assert until <= add_months(child_birth, 6 + children - 1)
            assert b.start_date > event or (mother_event == "unfit" and b.start_date == event)
        assert_linear(d, "care_after_mother_benefit", "care_monthly_base_vnd")


@SETTINGS
@given(st.dates(dt.date(2016, 3, 1), dt.date(2027, 6, 1)), st.sampled_from(["iud", "sterilisation"]),
       st.integers(1, 60), st.integers(3_000_000, 40_000_000))
def test_contraception_days_within_7_or_15_and_linear(day, method, prescribed, salary):
    case = {"person": {"sex": "female", "birth_date": "1990-01-01"}, "contributions": contributions(day, salary),
            "event": {"kind": "contraception", "date": iso(day), "facts": {"method": method, "days_prescribed": prescribed}}}
    with scenario_on_failure(case, "contraception-cap"):
        d = decide(case)
        b = d.benefit("contraception_benefit")
        assert b.eligible
        assert b.quantity == min(prescribed, 7 if method == "iud" else 15)
        daily = Fraction(str(d.values["average_salary_before_event_vnd"])) / 30
        assert abs(b.amount_vnd - daily * b.quantity) <= HALF_DONG


@SETTINGS
@given(st.dates(dt.date(2016, 3, 1), dt.date(2027, 11, 1)), st.integers(0, 6), st.integers(0, 7), st.booleans(),
       st.sampled_from([["sun"], ["sat", "sun"]]))
def test_a_checkup_pays_at_most_2_days_and_none_after_the_fifth(day, length, earlier, far, rest):
    case = {"person": {"sex": "female", "birth_date": "1990-01-01"}, "contributions": contributions(day, 9_600_000),
            "event": {"kind": "pregnancy_checkup", "date": iso(day), "facts": {
                "leave": [{"start": iso(day), "end": iso(day + dt.timedelta(days=length))}],
                "checkups_taken_earlier": earlier, "far_or_pathological": far, "weekly_rest_days": rest}}}
    with scenario_on_failure(case, "checkup-cap"):
        d = decide(case)
        b = d.benefit("pregnancy_checkup_benefit")
        if earlier >= 5:
            assert not b.eligible
            return
        paid = d.values["checkup_paid_days"]
        cap = 2 if (d.law.version == "41/2024/QH15" or far) else 1
        assert 0 <= paid <= min(cap, d.values["checkup_working_days_off"])
        if b.eligible:
            assert b.amount_vnd == 9_600_000 // 24 * paid

"""Invariants of the work-injury regime (Law 84/2015; Law 58/2014 Chapter III Section 3), over generated cases."""

from __future__ import annotations

import copy
import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import vss_rules
from vss_rules import months
from vss_rules.rulebook import load_rulebook

BOOK = load_rulebook()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COVERED_EVERYWHERE = ["labour_contract", "civil_servant", "defence_worker", "officer", "conscript", "salaried_manager"]
FUND = ("wi_lump_sum", "wi_monthly_allowance")
EQUIVALENT = ("employer_equivalent_lump_sum", "employer_equivalent_monthly_allowance")


def decide(case):
    return vss_rules.evaluate(case, rulebook=BOOK)


@st.composite
def injuries(draw, loss=st.integers(5, 100), paid=st.just(True), first=dt.date(2016, 1, 1)):
    """A covered, insured work accident or occupational disease with a finding of `loss` %."""
    accident = draw(st.dates(first, dt.date(2027, 6, 30)))
    treatment_end = accident + dt.timedelta(days=draw(st.integers(0, 240)))
    accident_month = months.month_of(accident)
    history = draw(st.integers(0, 300))
    kind = draw(st.sampled_from(["work_accident", "occupational_disease"]))
    facts = {
        "injury_kind": kind,
        "accident_circumstance": draw(st.sampled_from(["at_workplace_in_hours", "outside_on_assignment", "commuting"])),
        "worker_group": draw(st.sampled_from(COVERED_EVERYWHERE)),
        "assessed_loss_percent": draw(loss),
        "treatment_end_date": treatment_end.isoformat(),
        "capacity_assessment_date": (treatment_end + dt.timedelta(days=30)).isoformat(),
        "employer_paid_wi_contributions": draw(paid),
        "worker_wholly_at_fault": draw(st.booleans()),
    }
    salary = draw(st.integers(1_000_000, 60_000_000))
    case = {
        "person": {"sex": draw(st.sampled_from(["male", "female"])), "birth_date": "1975-06-15"},
        "contributions": [{"start": months.month_str(accident_month - history),
                           "end": months.month_str(accident_month + 6), "monthly_salary_vnd": salary}],
        "event": {"kind": "work_injury", "date": accident.isoformat(), "facts": facts},
    }
    return case


def with_loss(case, loss):
    other = copy.deepcopy(case)
    other["event"]["facts"]["assessed_loss_percent"] = loss
    return other


def amount(decision, benefit_id):
    b = decision.benefit(benefit_id)
    return b.amount_vnd if b.eligible else None


@SETTINGS
@given(st.sampled_from([("wi_lump_sum", 5, 29), ("wi_monthly_allowance", 31, 99)]).flatmap(
    lambda band: st.tuples(st.just(band[0]), injuries(loss=st.integers(band[1], band[2])))))
def test_the_fund_benefit_grows_with_the_capacity_loss_within_its_band(drawn):
    benefit_id, case = drawn
    m = case["event"]["facts"]["assessed_loss_percent"]
    low, high = decide(case), decide(with_loss(case, m + 1))
    assert amount(low, benefit_id) < amount(high, benefit_id)


@SETTINGS
@given(injuries(loss=st.integers(0, 99), first=dt.date(2016, 7, 1)))
def test_the_employer_minimum_never_falls_as_the_loss_rises(case):
    m = case["event"]["facts"]["assessed_loss_percent"]
    low, high = decide(case), decide(with_loss(case, m + 1))
    for bid in ("employer_compensation", "employer_allowance"):
        a, b = amount(low, bid), amount(high, bid)
        assert (a or 0) <= (b or 0)


@SETTINGS
@given(injuries(), st.integers(1, 48))
def test_more_years_in_the_fund_never_lower_an_amount(case, extra):
    longer = copy.deepcopy(case)
    row = longer["contributions"][0]
    row["start"] = months.month_str(months.parse_month(row["start"]) - extra)
    base, more = decide(case), decide(longer)
    assert more.values["wi_contribution_years"] >= base.values["wi_contribution_years"]
    for bid in FUND:
        if base.benefit(bid).eligible:
            assert more.benefit(bid).amount_vnd >= base.benefit(bid).amount_vnd


@SETTINGS
@given(injuries(paid=st.booleans(), first=dt.date(2016, 7, 1)))
def test_a_covered_injury_of_5_percent_yields_the_fund_benefit_or_the_employer_equivalent(case):
    d = decide(case)
    paid = case["event"]["facts"]["employer_paid_wi_contributions"]
    due = [b for b in d.benefits if b.id in (FUND if paid else EQUIVALENT) and b.eligible]
    assert len(due) == 1, [(b.id, b.eligible) for b in d.benefits]
    assert due[0].amount_vnd > 0
    other = EQUIVALENT if paid else FUND
    assert not any(b.eligible for b in d.benefits if b.id in other)


@SETTINGS
@given(injuries(loss=st.integers(5, 100), first=dt.date(2016, 1, 1)))
def test_the_fund_pays_under_every_law_version(case):
    d = decide(case)
    due = [b for b in d.benefits if b.id in FUND and b.eligible]
    assert len(due) == 1 and due[0].amount_vnd > 0


@SETTINGS
@given(injuries(loss=st.integers(0, 100), paid=st.booleans(), first=dt.date(2016, 7, 1)))
def test_amounts_are_whole_and_not_negative_and_one_law_decides(case):
    d = decide(case)
    end = dt.date.fromisoformat(case["event"]["facts"]["treatment_end_date"])
    assume(end >= dt.date(2016, 7, 1))
    expected = "84/2015/QH13@2025" if end >= dt.date(2025, 7, 1) else "84/2015/QH13@2016"
    assert d.law.period == expected
    for b in d.benefits:
        if b.amount_vnd is not None:
            assert isinstance(b.amount_vnd, int) and b.amount_vnd >= 0


def reassessed(case, previous, new, months_later):
    """The same injury re-assessed `months_later` months after its first finding: `previous` % → `new` %."""
    other = with_loss(case, new)
    facts = other["event"]["facts"]
    first_finding = dt.date.fromisoformat(facts["capacity_assessment_date"])
    finding = months.first_day(months.month_of(first_finding) + months_later)
    facts.update(assessment_type="reassessment", previous_assessment_date=first_finding.isoformat(),
                 previous_loss_percent=previous, capacity_assessment_date=finding.isoformat())
    return other


def first_found_on(case, loss, finding):
    """The same injury assessed for the first time, without in-patient treatment, on `finding` (so it starts then)."""
    other = with_loss(case, loss)
    other["event"]["facts"].update(inpatient_treatment=False, capacity_assessment_date=finding)
    return other


@SETTINGS
@given(injuries(loss=st.integers(5, 100), first=dt.date(2016, 7, 1)), st.integers(5, 100), st.integers(25, 60))
def test_a_reassessment_in_the_monthly_band_pays_as_a_first_finding_at_the_new_rate(case, previous, later):
    new = case["event"]["facts"]["assessed_loss_percent"]
    assume(new >= 31)
    again = reassessed(case, previous, new, later)
    finding = again["event"]["facts"]["capacity_assessment_date"]
    assert amount(decide(again), "wi_monthly_allowance") == amount(decide(first_found_on(case, new, finding)),
                                                                   "wi_monthly_allowance")


@SETTINGS
@given(injuries(loss=st.integers(6, 30), first=dt.date(2016, 7, 1)), st.integers(5, 29), st.integers(25, 60))
def test_a_lump_sum_reassessment_pays_the_difference_of_the_two_lump_sums(case, previous, later):
    new = case["event"]["facts"]["assessed_loss_percent"]
    assume(previous < new)
    again = reassessed(case, previous, new, later)
    finding = again["event"]["facts"]["capacity_assessment_date"]
    at_new = amount(decide(first_found_on(case, new, finding)), "wi_lump_sum")
    at_previous = amount(decide(first_found_on(case, previous, finding)), "wi_lump_sum")
    assert abs(amount(decide(again), "wi_lump_sum") - (at_new - at_previous)) <= 1

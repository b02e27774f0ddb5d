"""Invariants of the lump-sum withdrawal (L41 Art. 70, 102; L58 Art. 60), over generated records (hypothesis).

1. A withdrawal never exceeds what the formula allows: at most 2 months of the average per year (odd months
   rounded up to a half year), at most 2 months of the average and the amount contributed under a year, and
   never below zero.
2. More time before 2014 never raises it above the same time from 2014.
"""

from __future__ import annotations

import datetime as dt
import math
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
DECIDED = st.dates(dt.date(2025, 7, 1), dt.date(2026, 6, 30))  # revaluation tables for these dates are in the rule files


@st.composite
def periods(draw, first=months.month(2008, 1), last=months.month(2025, 6)):
    """Non-overlapping periods between two months: state-scale or voluntary (with or without state support)."""
    out, at = [], first + draw(st.integers(0, 24))
    for _ in range(draw(st.integers(1, 4))):
        if at > last:
            break
        length = draw(st.integers(1, 60))
        end = min(at + length - 1, last)
        if draw(st.booleans()):
            p = {"start": months.month_str(at), "end": months.month_str(end), "wage_setting": "state",
                 "salary_coefficient": float(draw(st.sampled_from([1.86, 2.34, 3.0, 4.4])))}
        else:
            p = {"start": months.month_str(at), "end": months.month_str(end), "scheme": "voluntary",
                 "monthly_salary_vnd": draw(st.sampled_from([1_500_000, 3_000_000, 8_000_000])),
                 "monthly_state_support_vnd": draw(st.sampled_from([0, 99_000]))}
        out.append(p)
        at = end + 1 + draw(st.integers(0, 18))
    return out


def withdrawal(contributions, decided, ground="emigration"):
    return {"person": {"sex": "female", "birth_date": "1985-06-15"}, "contributions": contributions,
            "event": {"kind": "lump_sum_withdrawal", "date": decided.isoformat(),
                      "facts": {"ground": ground, "decision_date": decided.isoformat()}}}


def decide(case):
    d = vss_rules.evaluate(case, rulebook=BOOK)
    return d, d.benefit("lump_sum_withdrawal")


@SETTINGS
@given(periods(), DECIDED, st.sampled_from(["emigration", "serious_illness", "contribution_break"]))
def test_a_withdrawal_never_exceeds_what_the_formula_allows(contributions, decided, ground):
    case = withdrawal(contributions, decided, ground)
    with scenario_on_failure(case, "withdrawal-bound"):
        d, w = decide(case)
        if not w.eligible:
            return
        total = d.values["total_months_recorded"]
        average = Fraction(d.values["average_salary_vnd"]).limit_denominator(10**6)
        assert w.amount_vnd >= 0
        if total < 12:
            assert w.amount_vnd <= round_half_up(2 * average) + 1
            assert w.amount_vnd <= round_half_up(Fraction(d.values["contributed_amount_vnd"])) + 1
        else:
            years_rounded_up = Fraction(math.ceil(total / 6), 2)
            assert w.amount_vnd <= round_half_up(2 * years_rounded_up * average) + 1
            lower = Fraction(3, 2) * (total // 12) * average - d.values["state_support_total_vnd"]
            assert w.amount_vnd >= round_half_up(max(Fraction(0), lower)) - 1
        if ground != "emigration":  # the support is kept on the illness ground only; here never above the whole
            assert w.amount_vnd <= round_half_up(Fraction(d.values["lump_sum_before_support_vnd"])) + 1


@SETTINGS
@given(st.integers(1, 120), st.integers(months.month(2008, 1), months.month(2013, 12)),
       st.integers(months.month(2014, 1), months.month(2015, 12)), st.sampled_from([1.86, 3.0, 4.4]),
       st.dates(dt.date(2026, 1, 1), dt.date(2026, 6, 30)))
def test_more_time_before_2014_never_raises_the_withdrawal(n, early_start, late_start, coefficient, decided):
    def record(start):  # n months from start; the later record ends by 2025-11, before the decision
        return [{"start": months.month_str(start), "end": months.month_str(start + n - 1), "wage_setting": "state",
                 "salary_coefficient": coefficient}]

    early, late = withdrawal(record(early_start), decided), withdrawal(record(late_start), decided)
    with scenario_on_failure(early, "pre-2014-not-above"):
        d_early, w_early = decide(early)
        d_late, w_late = decide(late)
        assert w_early.eligible and w_late.eligible
        assert d_early.values["months_before_2014"] >= d_late.values["months_before_2014"] == 0
        assert d_early.values["lump_sum_months_of_average"] <= d_late.values["lump_sum_months_of_average"]
        assert w_early.amount_vnd <= w_late.amount_vnd

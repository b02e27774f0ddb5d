"""Invariants of unemployment insurance under both Employment Laws, over generated cases (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import vss_rules
from vss_rules import months
from vss_rules.rulebook import load_rulebook

BOOK = load_rulebook()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# the last day of a month between 2015-06 and 2028-12, and the law that will decide a claim filed then
END_MONTHS = st.integers(months.month(2015, 6), months.month(2028, 12))
REGIONS = st.sampled_from(["I", "II", "III", "IV"])


def claim(end_month: int, n_months: int, wage: int, region: str, *, region_before: str | None = None) -> dict:
    end = months.last_day(end_month)
    start = end_month - n_months + 1
    periods = [{"start": months.month_str(start), "end": months.month_str(end_month), "monthly_salary_vnd": wage, "region": region}]
    if region_before is not None and n_months > 3:
        periods = [
            {"start": months.month_str(start), "end": months.month_str(end_month - 3), "monthly_salary_vnd": wage, "region": region_before},
            {"start": months.month_str(end_month - 2), "end": months.month_str(end_month), "monthly_salary_vnd": wage, "region": region},
        ]
    return {
        "person": {"sex": "male", "birth_date": "1985-01-01"},
        "contributions": periods,
        "event": {"kind": "unemployment_claim", "date": end.isoformat(),
                  "facts": {"claim_filed_date": (end + dt.timedelta(days=3)).isoformat(), "decision_date": (end + dt.timedelta(days=20)).isoformat()}},
    }


def decide(case):
    return vss_rules.evaluate(case, rulebook=BOOK)


@SETTINGS
@given(END_MONTHS, st.integers(12, 200), st.integers(0, 60))
def test_duration_is_monotone_in_months_and_at_most_12(end_month, n, extra):
    assume(end_month - n - extra >= months.month(1995, 1))  # the generated record must start after 1995
    a = decide(claim(end_month, n, 8_000_000, "II")).benefit("unemployment_allowance")
    b = decide(claim(end_month, n + extra, 8_000_000, "II")).benefit("unemployment_allowance")
    assert a.eligible and b.eligible
    assert 3 <= a.quantity <= b.quantity <= 12


@SETTINGS
@given(END_MONTHS, st.integers(12, 80), st.integers(1_000_000, 300_000_000), REGIONS, REGIONS)
def test_the_benefit_never_exceeds_the_cap(end_month, n, wage, region, before):
    d = decide(claim(end_month, n, wage, region, region_before=before))
    b = d.benefit("unemployment_allowance")
    assert b.eligible
    cap = d.values["allowance_cap_vnd"]
    assert 0 <= b.amount_vnd <= cap
    assert b.amount_vnd <= round(d.values["sixty_percent_of_average_vnd"])


STOP_REASONS = ["expired", "job_with_compulsory_si", "military_or_police_service", "pension", "refused_two_job_offers",
                "no_report_three_months", "settled_abroad", "study_over_12_months", "died", "reform_school_or_rehab",
                "declared_missing", "detention_or_prison", "own_request", "decision_not_collected", "money_not_collected"]


@SETTINGS
@given(st.dates(dt.date(2015, 3, 1), dt.date(2028, 6, 30)), st.integers(12, 200), st.sampled_from(STOP_REASONS),
       st.integers(0, 400), st.booleans(), st.integers(0, 12))
def test_preserved_plus_used_is_the_time_counted(decided, counted, reason, offset_days, reported, not_collected):
    duration = 0 if counted < 12 else min(12, 3 + max(0, counted - 36) // 12)
    start = decided + dt.timedelta(days=14)
    case = {
        "person": {"sex": "female", "birth_date": "1988-01-01"},
        "event": {"kind": "unemployment_benefit_stop", "date": (start + dt.timedelta(days=offset_days % (31 * duration))).isoformat(),
                  "facts": {"decision_date": decided.isoformat(), "contribution_months_counted": counted,
                            "benefit_months_decided": duration, "benefit_start_date": start.isoformat(), "stop_reason": reason,
                            "reported_within_deadline": reported, "months_not_collected": min(not_collected, duration)}},
    }
    d = decide(case)
    b = d.benefit("unemployment_time_preserved")
    if not b.eligible:  # own request under Law 38/2013 is not an ending
        return
    preserved, used = b.quantity, d.values["contribution_months_used_up"]
    assert preserved >= 0 and used >= 0
    assert preserved + used == counted

"""The `monthly_state_support_vnd` field of a contribution period: validated in the case, readable by the rules."""

from __future__ import annotations

import pytest

import vss_rules
from vss_rules import CaseError
from vss_rules.model import ROW_FIELDS, ContributionPeriod


def _withdrawal(contributions):
    return {
        "person": {"sex": "female", "birth_date": "1980-04-02"},
        "contributions": contributions,
        "event": {"kind": "lump_sum_withdrawal", "date": "2026-03-10",
                  "facts": {"ground": "emigration", "decision_date": "2026-03-20"}},
    }


def test_default_is_zero_and_the_field_is_a_row_field():
    p = ContributionPeriod(start="2020-01", end="2020-12", scheme="voluntary", monthly_salary_vnd=3_000_000)
    assert p.monthly_state_support_vnd == 0
    assert ROW_FIELDS["contributions"]["monthly_state_support_vnd"].kind == "money"


def test_the_rules_read_it_per_month():
    case = _withdrawal([
        {"start": "2024-01", "end": "2024-12", "scheme": "voluntary", "monthly_salary_vnd": 3_000_000,
         "monthly_state_support_vnd": 99_000},
        {"start": "2025-01", "end": "2025-06", "scheme": "voluntary", "monthly_salary_vnd": 3_000_000},
    ])
    d = vss_rules.evaluate(case)
    assert d.values["state_support_total_vnd"] == 12 * 99_000


@pytest.mark.parametrize("period, where", [
    ({"start": "2020-01", "end": "2020-12", "monthly_salary_vnd": 5_000_000, "monthly_state_support_vnd": 10_000},
     "contributions[0]"),
    ({"start": "2020-01", "end": "2020-12", "scheme": "voluntary", "wage_setting": "state", "salary_coefficient": 2.0},
     "contributions[0]"),
    ({"start": "2020-01", "end": "2020-12", "scheme": "voluntary", "monthly_salary_vnd": 5_000_000,
      "monthly_state_support_vnd": -1}, "contributions[0].monthly_state_support_vnd"),
])
def test_bad_support_is_refused_naming_the_field(period, where):
    with pytest.raises(CaseError) as exc:
        vss_rules.evaluate(_withdrawal([period]))
    assert exc.value.where == where, (exc.value.where, str(exc.value))
    assert exc.value.code == "CASE_INVALID"

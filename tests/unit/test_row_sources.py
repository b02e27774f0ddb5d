"""Row sources beyond `contributions`: `contribution_months` (one row a month) and `events` (the case's
history and the current event), and the builtins `given()` and `add_months(date, n)`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from vss_rules import CaseError, RuleFileErrors, evaluate, load_rulebook

LAWS = """\
instruments:
  - id: T/1
    kind: law
    title: {vi: "Luật thử", en: "Test law"}
    source: test
    status: V
families:
  - id: test_family
    title: {vi: "Thử", en: "Test"}
    selection:
      id: test_selection
      title: {vi: "Thử", en: "Test"}
      text: {vi: "Thử.", en: "Test."}
      cite: {document: T/1, article: "1"}
    versions:
      - id: T/1
        title: {vi: "Thử", en: "Test"}
        from: 2000-01-01
        cite: {document: T/1, article: "1"}
"""

CAP = """\
id: test_cap_vnd
title: {vi: "Mức trần thử", en: "Test cap"}
text: {vi: "Thử.", en: "Test."}
type: money
values:
  - {from: 2000-01-01, value: 100, cite: {document: T/1, article: "2"}}
  - {from: 2024-07-01, value: 200, cite: {document: T/1, article: "2"}}
"""

REGIME = """\
regime: test_regime
title: {vi: "Thử", en: "Test"}
event_kinds:
  - id: probe
    family: test_family
    title: {vi: "Thử", en: "Probe"}
    facts:
      opened: {type: date, title: {vi: "Ngày mở", en: "Opened"}}
      weight: {type: int, default: 0, title: {vi: "Trọng số", en: "Weight"}}
  - id: earlier
    family: test_family
    title: {vi: "Sự kiện trước", en: "Earlier event"}
    facts:
      amount: {type: int, title: {vi: "Số", en: "Amount"}}
rules:
  - id: capped_total_vnd
    type: money
    title: {vi: "Tổng có trần theo tháng", en: "Total capped month by month"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "3"}
    expr: sum(min(m.monthly_salary_vnd, test_cap_vnd(first_day(m.start))) for m in contribution_months last 4 months)
  - id: month_rows
    type: int
    title: {vi: "Số dòng tháng", en: "Month rows"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "3"}
    expr: sum(1 for m in contribution_months)
  - id: earlier_total
    type: int
    title: {vi: "Tổng các sự kiện trước", en: "Total of earlier events"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "4"}
    expr: sum(e.amount for e in events where e.kind == "earlier" and not e.current)
  - id: current_weight
    type: int
    title: {vi: "Trọng số hiện tại", en: "Current weight"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "4"}
    expr: sum(e.weight for e in events where e.current)
  - id: opened_given
    kind: condition
    title: {vi: "Có ngày mở", en: "Opened is given"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "5"}
    expr: given(facts.opened)
  - id: opened_plus_one_month
    type: date
    title: {vi: "Một tháng sau", en: "One month on"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "5"}
    expr: if given(facts.opened) then add_months(facts.opened, 1) else event.date
  - id: probe_ok
    kind: condition
    title: {vi: "Thử", en: "Probe"}
    text: {vi: "Thử.", en: "Probe."}
    cite: {document: T/1, article: "6"}
    expr: capped_total_vnd >= 0 and month_rows >= 0 and earlier_total >= 0 and current_weight >= 0 and (opened_given or not opened_given) and opened_plus_one_month >= date(2000, 1, 1)
  - id: probe_benefit
    kind: benefit
    event_kinds: [probe]
    title: {vi: "Thử", en: "Probe"}
    text: {vi: "Thử.", en: "Probe."}
    cite: {document: T/1, article: "6"}
    unit: once
    eligible: probe_ok
"""


def rules_dir(tmp_path: Path, regime: str = REGIME) -> Path:
    root = tmp_path / "rules"
    (root / "parameters").mkdir(parents=True)
    (root / "test_regime").mkdir()
    (root / "laws.yaml").write_text(LAWS, encoding="utf-8")
    (root / "parameters" / "test_cap_vnd.yaml").write_text(CAP, encoding="utf-8")
    (root / "test_regime" / "probe.yaml").write_text(textwrap.dedent(regime), encoding="utf-8")
    return root


def case(**over):
    c = {
        "person": {"sex": "male", "birth_date": "1980-01-01"},
        "contributions": [{"start": "2024-03", "end": "2024-08", "monthly_salary_vnd": 150}],
        "event": {"kind": "probe", "date": "2024-09-30", "facts": {"weight": 7}},
        "history": [{"kind": "earlier", "date": "2020-01-01", "facts": {"amount": 5}},
                    {"kind": "earlier", "date": "2021-01-01", "facts": {"amount": 6}}],
    }
    c.update(over)
    return c


@pytest.fixture
def book(tmp_path):
    return load_rulebook(rules_dir(tmp_path), use_cache=False)


def test_contribution_months_take_a_dated_value_month_by_month(book):
    d = evaluate(case(), rulebook=book)
    # 2024-05 and 2024-06 capped at 100, 2024-07 and 2024-08 at 200 (so not capped): 100+100+150+150
    assert d.values["capped_total_vnd"] == 500
    assert d.values["month_rows"] == 6


def test_events_hold_the_history_then_the_current_event(book):
    d = evaluate(case(), rulebook=book)
    assert d.values["earlier_total"] == 11
    assert d.values["current_weight"] == 7


def test_a_missing_fact_of_a_history_row_names_its_path(book):
    c = case(history=[{"kind": "earlier", "date": "2020-01-01", "facts": {}}])
    with pytest.raises(CaseError) as exc:
        evaluate(c, rulebook=book)
    assert exc.value.code == "FIELD_REQUIRED"
    assert exc.value.where == "history[0].facts.amount"


def test_a_history_event_of_an_unknown_kind_is_rejected(book):
    c = case(history=[{"kind": "nonsense", "date": "2020-01-01", "facts": {}}])
    with pytest.raises(Exception) as exc:
        evaluate(c, rulebook=book)
    assert "history[0]" in str(exc.value)


def test_given_tells_whether_an_optional_fact_is_there(book):
    absent = evaluate(case(), rulebook=book)
    assert absent.values["opened_given"] is False
    assert absent.values["opened_plus_one_month"] == "2024-09-30"
    c = case(event={"kind": "probe", "date": "2024-09-30", "facts": {"opened": "2024-01-31"}})
    present = evaluate(c, rulebook=book)
    assert present.values["opened_given"] is True
    assert present.values["opened_plus_one_month"] == "2024-02-29"  # clipped to the month's end


def test_a_window_over_rows_without_months_fails_to_load(tmp_path):
    bad = REGIME.replace("sum(e.amount for e in events where e.kind == \"earlier\" and not e.current)",
                         "sum(e.amount for e in events last 2 months)")
    with pytest.raises(RuleFileErrors) as exc:
        load_rulebook(rules_dir(tmp_path, bad), use_cache=False)
    assert any("needs rows with months" in str(e) for e in exc.value.errors)


def test_given_only_takes_a_fact(tmp_path):
    bad = REGIME.replace("expr: given(facts.opened)", "expr: given(event.date)")
    with pytest.raises(RuleFileErrors) as exc:
        load_rulebook(rules_dir(tmp_path, bad), use_cache=False)
    assert any("given() takes a fact" in str(e) for e in exc.value.errors)


def test_nth_working_day_is_the_inverse_of_working_days():
    from vss_rules.rulebook import load_rulebook as load

    book = load()
    cal = book.calendars["vn_public_holidays"]
    from vss_rules.calendar import nth_working_day, working_days

    rest = frozenset({5, 6})
    start = __import__("datetime").date(2025, 1, 23)
    for n in (1, 5, 16, 40):
        day = nth_working_day(cal, start, n, rest, frozenset())
        assert working_days(cal, start, day, rest, frozenset()) == n
        assert working_days(cal, day, day, rest, frozenset()) == 1

"""The `relatives` row source: per-row rules over a case's relatives, benefits decided `per: relatives` (one
BenefitDecision each, naming `relative_index`), their reasons and values, `report:` values, and the errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_row_sources import LAWS  # the minimal law family of the engine tests

from vss_rules import CaseError, CaseErrors, RuleFileErrors, evaluate, load_rulebook
from vss_rules.testing.scenarios import Scenario, compare

REGIME = """\
regime: test_regime
title: {vi: "Thử", en: "Test"}
event_kinds:
  - id: probe
    family: test_family
    title: {vi: "Thử", en: "Probe"}
    facts:
      base_vnd: {type: money, default: 1000, title: {vi: "Mức", en: "Base"}}
rules:
  - id: age_months
    type: int
    per: relatives
    title: {vi: "Tuổi (tháng)", en: "Age (months)"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "2"}
    expr: months_between(month_of(r.birth_date), month_of(event.date))
  - id: is_minor
    kind: condition
    per: relatives
    title: {vi: "Dưới 18 tuổi", en: "Under 18"}
    text: {vi: "Dưới 18 tuổi ({age_months} tháng).", en: "Under 18 ({age_months} months)."}
    cite: {document: T/1, article: "2"}
    expr: r.age_months < 216
  - id: low_income
    kind: condition
    per: relatives
    title: {vi: "Thu nhập thấp", en: "Low income"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "3"}
    expr: r.monthly_income_vnd < 500
  - id: qualifies
    kind: condition
    per: relatives
    title: {vi: "Đủ điều kiện", en: "Qualifies"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "3"}
    expr: r.is_minor or r.low_income
  - id: qualifying_count
    type: int
    title: {vi: "Số người đủ điều kiện", en: "Qualifying relatives"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "4"}
    expr: sum(1 for r in relatives where r.qualifies)
  - id: first_index
    type: int
    title: {vi: "Người đủ điều kiện thứ nhất", en: "First qualifying relative"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "4"}
    expr: min(r.index for r in relatives where r.qualifies default 99)
  - id: second_index
    type: int
    title: {vi: "Người đủ điều kiện thứ hai", en: "Second qualifying relative"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "4"}
    expr: min(r.index for r in relatives where r.qualifies and r.index > first_index default 99)
  - id: first_two
    kind: condition
    per: relatives
    title: {vi: "Trong hai người đầu", en: "Among the first two"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "4"}
    expr: r.index <= second_index
  - id: share_vnd
    type: money
    per: relatives
    rounding: half_up
    title: {vi: "Phần", en: "Share"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "5"}
    expr: facts.base_vnd / 3 * (if r.has_supporter then 1 else 2)
  - id: allowance_due
    kind: condition
    per: relatives
    title: {vi: "Được hưởng", en: "Due"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "5"}
    expr: r.qualifies
  - id: who_label
    type: [young, old]
    per: relatives
    title: {vi: "Nhóm", en: "Group"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "5"}
    expr: if r.is_minor then "young" else "old"
  - id: nobody_due
    kind: condition
    title: {vi: "Không ai đủ điều kiện", en: "Nobody qualifies"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "6"}
    expr: qualifying_count == 0
  - id: allowance
    kind: benefit
    per: relatives
    event_kinds: [probe]
    title: {vi: "Trợ cấp thử", en: "Probe allowance"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "5"}
    eligible: allowance_due
    amount: share_vnd
    rounding: exact
    unit: month
    report: [who_label]
  - id: lump
    kind: benefit
    event_kinds: [probe]
    title: {vi: "Một lần thử", en: "Probe lump sum"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "6"}
    eligible: nobody_due
    unit: once
"""


@pytest.fixture
def book(tmp_path: Path):
    rules = tmp_path / "rules"
    (rules / "test_regime").mkdir(parents=True)
    (rules / "laws.yaml").write_text(LAWS, encoding="utf-8")
    (rules / "test_regime" / "probe.yaml").write_text(REGIME, encoding="utf-8")
    return load_rulebook(rules, use_cache=False)


def case(*relatives, date="2026-03-10"):
    return {"person": {"sex": "male", "birth_date": "1970-01-01"}, "event": {"kind": "probe", "date": date},
            "relatives": list(relatives)}


CHILD = {"relation": "child", "birth_date": "2015-06-01"}
ADULT = {"relation": "father", "birth_date": "1940-01-01", "monthly_income_vnd": 100, "has_supporter": False}


def test_one_decision_per_relative_naming_its_index(book):
    d = evaluate(case(CHILD, ADULT), rulebook=book)
    rows = [b for b in d.benefits if b.id == "allowance"]
    assert [b.relative_index for b in rows] == [0, 1]
    assert [b.amount_vnd for b in rows] == [333, 667]  # 1000/3 and 2000/3, halves up
    assert d.benefit("lump").relative_index is None and not d.benefit("lump").eligible


def test_reasons_are_the_rows_own(book):
    d = evaluate(case(CHILD, ADULT), rulebook=book)
    child, adult = [b for b in d.benefits if b.id == "allowance"]
    assert {r.code: r.outcome for r in child.reasons} == {"allowance_due": True, "qualifies": True, "is_minor": True}
    assert {r.code: r.outcome for r in adult.reasons}["low_income"] is True
    assert "(129 months)" in child.reasons[-1].text.en  # placeholders are filled with the row's values
    assert [r.depends_on for r in child.reasons][0] == ["qualifies"]


def test_row_values_are_named_with_the_index(book):
    d = evaluate(case(CHILD, ADULT), rulebook=book)
    assert d.values["age_months[0]"] == 129 and d.values["is_minor[1]"] is False
    assert d.values["who_label[0]"] == "young" and d.values["who_label[1]"] == "old"  # report: computed when granted
    assert d.values["qualifying_count"] == 2


def test_case_level_aggregations_rank_rows(book):
    d = evaluate(case(CHILD, ADULT, CHILD), rulebook=book)
    ev = {b.relative_index: b for b in d.benefits if b.id == "allowance"}
    assert ev[2].eligible  # first_two is not part of eligibility; evaluated on demand below
    from vss_rules.backends.scalar import Evaluator
    from vss_rules.intake import prepare, validate_case
    data = prepare(validate_case(case(CHILD, ADULT, CHILD), book), book)
    e = Evaluator(book, data, "T/1")
    assert [e.row_value("first_two", r) for r in data.rows["relatives"]] == [True, True, False]


def test_aggregations_cannot_run_inside_a_per_row_rule(tmp_path):
    problems = _load_with(tmp_path, REGIME.replace("expr: r.index <= second_index", "expr: r.index <= min(q.index for q in relatives default 0)"))
    assert ("TYPE_ERROR", "rule first_two: aggregations cannot be nested or used inside a per-row rule") in problems


def test_no_relatives_no_per_relative_decisions(book):
    d = evaluate(case(), rulebook=book)
    assert [b.id for b in d.benefits] == ["lump"] and d.benefit("lump").eligible


def test_a_missing_field_is_named_with_the_relative(book):
    with pytest.raises(CaseError) as exc:
        evaluate(case({"relation": "mother", "birth_date": "1950"}), rulebook=book)
    assert exc.value.code == "FIELD_REQUIRED" and exc.value.where == "relatives[0].monthly_income_vnd"


def test_bad_relative_input_names_the_field(book):
    with pytest.raises(CaseErrors) as exc:
        evaluate(case({"relation": "child", "birth_date": "2015-13"}), rulebook=book)
    assert exc.value.errors[0].where == "relatives[0].birth_date"
    with pytest.raises(CaseErrors) as exc:
        evaluate(case({"relation": "cousin", "birth_date": "2015"}), rulebook=book)
    assert exc.value.errors[0].where == "relatives[0].relation"


def test_scenarios_name_per_relative_benefits_and_their_reasons(book):
    s = Scenario(id="x", title="x", case=case(CHILD, ADULT), expect={"benefits": {
        "allowance[1]": {"eligible": True, "amount_vnd": 667, "reasons": {"low_income": True, "is_minor": True}}}})
    mismatches = compare(s, evaluate(s.case, rulebook=book), None)
    assert [m.path for m in mismatches] == ["benefits.allowance[1].reasons.is_minor"]


def _load_with(tmp_path: Path, text: str):
    rules = tmp_path / "rules"
    (rules / "test_regime").mkdir(parents=True)
    (rules / "laws.yaml").write_text(LAWS, encoding="utf-8")
    (rules / "test_regime" / "probe.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(RuleFileErrors) as exc:
        load_rulebook(rules, use_cache=False)
    return [(e.code, e.message) for e in exc.value.errors]


def test_a_per_row_rule_names_other_row_values_through_the_row(tmp_path):
    problems = _load_with(tmp_path, REGIME.replace("expr: r.is_minor or r.low_income", "expr: is_minor or r.low_income"))
    assert ("UNKNOWN_NAME", "rule qualifies: unknown name 'is_minor'") in problems


def test_a_benefit_per_row_source_must_be_known(tmp_path):
    problems = _load_with(tmp_path, REGIME.replace("    per: relatives\n    event_kinds: [probe]", "    per: contributions\n    event_kinds: [probe]"))
    assert any(code == "RULE_SHAPE" and "'per' must be one of relatives" in msg for code, msg in problems), problems


def test_one_id_one_row_source(tmp_path):
    problems = _load_with(tmp_path, REGIME + """\
  - id: is_minor
    kind: condition
    per: contributions
    title: {vi: "Thử", en: "Test"}
    text: {vi: "Thử.", en: "Test."}
    cite: {document: T/1, article: "2"}
    expr: c.months > 0
""")
    assert any(code == "DUPLICATE_ID" for code, _ in problems), problems


def test_report_names_a_known_rule(tmp_path):
    problems = _load_with(tmp_path, REGIME.replace("report: [who_label]", "report: [who_labell]"))
    assert ("UNKNOWN_NAME", "benefit allowance: report names unknown rule 'who_labell'") in problems


CHECKS = """\
    checks:
      - id: base_positive
        where: event.facts.base_vnd
        expr: facts.base_vnd > 0
        text: {vi: "Mức phải dương", en: "The base must be positive"}
      - id: born_before
        per: relatives
        where: birth_date
        expr: r.birth_date <= event.date
        text: {vi: "Sinh trước ngày sự kiện", en: "Born before the event"}
"""


@pytest.fixture
def checked_book(tmp_path: Path):
    rules = tmp_path / "rules"
    (rules / "test_regime").mkdir(parents=True)
    (rules / "laws.yaml").write_text(LAWS, encoding="utf-8")
    text = REGIME.replace("rules:\n", CHECKS + "rules:\n", 1)
    (rules / "test_regime" / "probe.yaml").write_text(text, encoding="utf-8")
    return load_rulebook(rules, use_cache=False)


def test_event_kind_checks_refuse_inconsistent_input_naming_the_field(checked_book):
    evaluate(case(CHILD), rulebook=checked_book)  # passes both checks
    bad = case(CHILD)
    bad["event"]["facts"] = {"base_vnd": 0}
    with pytest.raises(CaseError) as exc:
        evaluate(bad, rulebook=checked_book)
    assert (exc.value.code, exc.value.where) == ("CASE_INCONSISTENT", "event.facts.base_vnd")
    with pytest.raises(CaseError) as exc:
        evaluate(case(CHILD, {"relation": "child", "birth_date": "2027-01-01"}), rulebook=checked_book)
    assert (exc.value.code, exc.value.where) == ("CASE_INCONSISTENT", "relatives[1].birth_date")
    assert "Born before the event" in exc.value.message


def test_a_check_is_typed_when_the_rules_load(tmp_path):
    text = REGIME.replace("rules:\n", CHECKS.replace("facts.base_vnd > 0", "facts.base_vnd + 1"), 1)
    problems = _load_with(tmp_path, text)
    assert any(code == "TYPE_ERROR" and msg.startswith("check base_positive: expected bool") for code, msg in problems), problems


def test_checks_and_per_row_benefits_survive_the_cache(checked_book, tmp_path, monkeypatch):
    from vss_rules.rulebook import cache

    monkeypatch.setenv("VSS_RULES_CACHE", str(tmp_path / "c"))
    cache.write_cache(checked_book)
    again = cache.read_cache(checked_book.digest)
    assert again is not None
    assert again.event_kinds["probe"].checks == checked_book.event_kinds["probe"].checks
    assert again.benefits["allowance"].per == "relatives" and again.benefits["allowance"].report == ("who_label",)

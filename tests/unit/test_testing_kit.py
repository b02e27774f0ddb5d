"""The testers' kit: scenario files, their errors and diffs, and counter-examples written out as scenarios."""

from __future__ import annotations

import textwrap

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

import vss_rules
from vss_rules import CaseError, ScenarioError
from vss_rules.testing import load_scenarios, run_scenario
from vss_rules.testing.strategies import cases, scenario_on_failure

CASE = """\
    case:
      person: {sex: male, birth_date: 1965-01-10}
      contributions: [{start: "2009-02", end: "2026-07", wage_setting: state, salary_coefficient: 3.0}]
      event: {kind: retirement, date: 2026-08-01}
"""


def scenario_file(tmp_path, expect: str, extra: str = "") -> str:
    path = tmp_path / "s.yaml"
    path.write_text("scenarios:\n  - id: S1\n    title: probe\n" + extra + CASE + "    expect:\n" + textwrap.indent(expect, "      "))
    return str(path)


def test_a_passing_scenario(tmp_path):
    [s] = load_scenarios(scenario_file(tmp_path, "benefits:\n  monthly_pension: {eligible: true, amount_vnd: 3225750}\n"))
    assert run_scenario(s).passed


def test_mismatches_name_each_field(tmp_path):
    expect = ("law: 58/2014/QH13\nbenefits:\n  monthly_pension: {amount_vnd: 1}\n  nothing: {eligible: true}\n"
              "values: {pension_rate: 0.5, no_such_value: 1}\nreasons: {meets_normal_age: false}\n")
    [s] = load_scenarios(scenario_file(tmp_path, expect))
    found = {m.path: (m.expected, m.actual) for m in run_scenario(s).mismatches}
    assert found["law"] == ("58/2014/QH13", "41/2024/QH15")
    assert found["benefits.monthly_pension.amount_vnd"] == (1, 3225750)
    assert found["benefits.nothing"][1].startswith("absent")
    assert found["values.pension_rate"] == (0.5, 0.425)
    assert found["values.no_such_value"][1] == "not computed for this case"
    assert found["reasons.meets_normal_age"] == (False, True)


def test_expected_error_that_does_not_happen(tmp_path):
    [s] = load_scenarios(scenario_file(tmp_path, "error: {code: CASE_INVALID}\n"))
    [m] = run_scenario(s).mismatches
    assert m.path == "error" and m.actual == "a decision"


@pytest.mark.parametrize("text, message", [
    ("nothing: here\n", "top-level 'scenarios' list"),
    ("scenarios:\n  - id: A\n    case: {}\n", "scenario needs 'expect'"),
    ("scenarios:\n  - id: A\n    case: {}\n    expect: {}\n    colour: red\n", "unknown key 'colour'"),
    ("scenarios:\n  - id: A\n    case: {}\n    expect: {valuez: {}}\n", "unknown expectation 'valuez'"),
    ("scenarios:\n  - id: A\n    case: {}\n    expect: {}\n  - id: A\n    case: {}\n    expect: {}\n", "duplicate scenario id"),
    ("scenarios: [\n", "invalid YAML"),
])
def test_malformed_scenario_files_name_the_place(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as exc:
        load_scenarios(path)
    assert message in exc.value.message
    assert exc.value.where.startswith(str(path))


def test_a_failing_example_is_written_out_as_a_scenario(tmp_path):
    case = yaml.safe_load(textwrap.dedent(CASE))["case"]
    with pytest.raises(AssertionError):
        with scenario_on_failure(case, "probe", tmp_path):
            assert False, "the invariant broke"
    [s] = load_scenarios(tmp_path / "probe.yaml")
    assert s.id == "FOUND-probe" and "the invariant broke" in s.title
    assert s.case["person"]["birth_date"] == "1965-01-10"
    assert run_scenario(s).passed  # no expectation yet: a human fills it in


def test_nothing_is_written_when_the_block_passes(tmp_path):
    with scenario_on_failure({"a": 1}, "fine", tmp_path):
        pass
    assert not list(tmp_path.iterdir())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases(event_kind="death"))
def test_generated_cases_pass_the_event_kinds_input_checks(case):
    """The strategy rejects draws whose facts contradict a declared input check or leave out a fact one needs."""
    try:
        vss_rules.evaluate(case)
    except CaseError as exc:
        assert exc.code != "CASE_INCONSISTENT", exc
        assert not (exc.code == "FACT_REQUIRED" and "input check" in exc.message), exc


def test_an_input_check_that_needs_a_missing_fact_names_the_fact_and_the_check():
    case = {"person": {"sex": "male", "birth_date": "1964-03-15"},
            "event": {"kind": "death", "date": "2026-02-20", "facts": {"pensioner": True, "monthly_pension_vnd": 8000000}}}
    with pytest.raises(CaseError) as caught:
        vss_rules.evaluate(case)
    assert caught.value.code == "FACT_REQUIRED" and caught.value.where == "event.facts.pension_start_date"
    assert "input check pension_started_before_death" in caught.value.message

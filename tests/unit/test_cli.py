"""The vss-rules command line: exit codes, outputs, file:line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from vss_rules.cli import app

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("vss-rules ")


def test_evaluate_one_case_prints_the_decision_json():
    result = run("evaluate", str(REPO / "examples" / "tt59_example_39.json"))
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    assert decision["benefits"][0]["amount_vnd"] == 5886818


def test_evaluate_directory_prints_a_table():
    result = run("evaluate", str(REPO / "examples"))
    assert result.exit_code == 0, result.output
    assert "law applied" in result.stdout and "41/2024/QH15" in result.stdout


def test_evaluate_explain_in_vietnamese():
    result = run("evaluate", str(REPO / "examples" / "refused_14_years_11_months.json"), "--explain", "--lang", "vi")
    assert result.exit_code == 0
    assert "Không đủ điều kiện" in result.stdout and "Điều 64" in result.stdout


def test_evaluate_bad_case_exits_1_naming_the_field(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"person": {"sex": "male"}, "event": {"kind": "retirement", "date": "2026-01-01"}}))
    result = run("evaluate", str(bad))
    assert result.exit_code == 1
    assert "person.birth_date" in result.output


def test_evaluate_invalid_json_names_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"person": \n  {"sex": }\n}')
    result = run("evaluate", str(bad))
    assert result.exit_code == 1 and "bad.json:2:" in result.output


def test_evaluate_json_lines_batch_one_output_line_per_case(tmp_path):
    examples = sorted((REPO / "examples").glob("*.json"))
    lines = [json.dumps(json.loads(f.read_text(encoding="utf-8"))) for f in examples]
    batch = tmp_path / "claims.jsonl"
    batch.write_text("\n".join([*lines, "", "{not json", json.dumps({"person": {"sex": "x"}})]) + "\n", encoding="utf-8")
    result = run("evaluate", str(batch), "--json")
    assert result.exit_code == 1  # some cases failed
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("case_id") for o in out[: len(lines)]] == [json.loads(line).get("id") for line in lines]
    bad_json, bad_case = out[len(lines):]
    assert bad_json["case"] == f"claims:{len(lines) + 2}" and bad_json["error"]["code"] == "CASE_JSON"
    assert bad_json["error"]["where"].endswith(f"claims.jsonl:{len(lines) + 2}:2")
    assert bad_case["error"]["code"] == "CASE_INVALID" and "person.birth_date" in bad_case["error"]["message"]


def test_evaluate_json_lines_as_a_table_names_the_failing_line(tmp_path):
    batch = tmp_path / "claims.jsonl"
    case = json.loads((REPO / "examples" / "tt59_example_39.json").read_text(encoding="utf-8"))
    batch.write_text(json.dumps(case) + "\n[oops\n", encoding="utf-8")
    result = run("evaluate", str(batch))
    assert result.exit_code == 1
    assert "claims:1" in result.stdout and "5.886.818" in result.stdout
    assert "claims:2" in result.output and "CASE_JSON" in result.output


def test_evaluate_missing_file_is_a_usage_error(tmp_path):
    assert run("evaluate", str(tmp_path / "nothing.json")).exit_code == 2


def test_bad_lang_is_a_usage_error():
    assert run("evaluate", str(REPO / "examples"), "--lang", "fr").exit_code == 2


def test_check_ok():
    result = run("check")
    assert result.exit_code == 0 and result.stdout.startswith("ok:")


def test_check_reports_file_line_col(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    path = rules / "old_age" / "pension.yaml"
    path.write_text(path.read_text().replace("expr: pension_rate * average_salary_vnd", "expr: pension_rate * averge_salary_vnd"))
    result = run("check", str(rules))
    assert result.exit_code == 1
    assert "rules/old_age/pension.yaml:" in result.output and "unknown name 'averge_salary_vnd'" in result.output


def test_schema_is_json():
    result = run("schema")
    assert result.exit_code == 0 and json.loads(result.stdout)["title"] == "Case"


def test_test_command_passes_and_fails(tmp_path):
    ok = run("test", str(REPO / "tests" / "scenarios" / "old_age" / "tt59_start_date.yaml"))
    assert ok.exit_code == 0 and "0 failed" in ok.stdout
    text = (REPO / "tests" / "scenarios" / "old_age" / "tt59_start_date.yaml").read_text()
    broken = tmp_path / "scenarios.yaml"
    broken.write_text(text.replace("start_date: 2016-08-01", "start_date: 2016-09-01", 1))
    result = run("test", str(broken))
    assert result.exit_code == 1
    assert "benefits.monthly_pension.start_date: expected '2016-09-01', got '2016-08-01'" in result.stdout


def test_test_command_with_no_scenarios_fails(tmp_path):
    (tmp_path / "empty.yaml").write_text("scenarios: []\n")
    assert run("test", str(tmp_path)).exit_code == 1

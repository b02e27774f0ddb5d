"""`load_rulebook` rejects every kind of bad rule file with file:line:col and a stable code."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from vss_rules import RuleFileErrors, load_rulebook

HEADER = """\
regime: test_regime
title: {vi: "Thử", en: "Test"}
rules:
"""

GOOD_RULE = """\
  - id: probe_value
    type: int
    title: {vi: "Giá trị thử", en: "Probe"}
    text: {vi: "Thử.", en: "Probe."}
    cite: {document: 41/2024/QH15, article: "5"}
    expr: 1 + 2
"""


def write(rules: Path, name: str, text: str) -> Path:
    path = rules / "test_regime" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(rules: Path) -> list:
    with pytest.raises(RuleFileErrors) as exc:
        load_rulebook(rules, use_cache=False)
    for p in exc.value.errors:
        assert re.match(r"^rules/[^:]+\.yaml(:\d+:\d+)?: .+ \[[A-Z_]+\]$", str(p)), str(p)
    return exc.value.errors


def only(rules: Path, code: str):
    found = problems(rules)
    assert [p.code for p in found] == [code], [str(p) for p in found]
    return found[0]


def test_the_real_rule_files_load(rules_copy):
    book = load_rulebook(rules_copy, use_cache=False)
    assert "monthly_pension" in book.benefits


def test_a_good_rule_file_loads(rules_copy):
    write(rules_copy, "good.yaml", HEADER + GOOD_RULE)
    assert "probe_value" in load_rulebook(rules_copy, use_cache=False).rules


def test_type_error_points_at_the_operator(rules_copy):
    write(rules_copy, "bad.yaml", HEADER + GOOD_RULE.replace("expr: 1 + 2", "expr: 1 + person.birth_date"))
    p = only(rules_copy, "TYPE_ERROR")
    assert p.where == "rules/test_regime/bad.yaml:9:11"
    assert "cannot apply '+' to int and date" in p.message


def test_declared_type_must_match(rules_copy):
    write(rules_copy, "bad.yaml", HEADER + GOOD_RULE.replace("type: int", "type: date"))
    assert "expected date, found int" in only(rules_copy, "TYPE_ERROR").message


def test_unknown_name_is_located_in_a_block_expression(rules_copy):
    rule = GOOD_RULE.replace("expr: 1 + 2", "expr: >-\n      1 +\n      compulsory_monthz")
    write(rules_copy, "bad.yaml", HEADER + rule)
    p = only(rules_copy, "UNKNOWN_NAME")
    assert p.where.startswith("rules/test_regime/bad.yaml:10:")
    assert "unknown name 'compulsory_monthz'" in p.message


def test_syntax_error(rules_copy):
    write(rules_copy, "bad.yaml", HEADER + GOOD_RULE.replace("expr: 1 + 2", 'expr: "1 + (2"'))
    p = only(rules_copy, "EXPR_SYNTAX")
    assert p.where == "rules/test_regime/bad.yaml:9:18"  # just after the last character, inside the quotes


def test_missing_citation(rules_copy):
    write(rules_copy, "bad.yaml", HEADER + GOOD_RULE.replace('    cite: {document: 41/2024/QH15, article: "5"}\n', ""))
    p = only(rules_copy, "MISSING_CITATION")
    assert p.where == "rules/test_regime/bad.yaml:4:5"


def test_citation_without_article(rules_copy):
    write(rules_copy, "bad.yaml", HEADER + GOOD_RULE.replace('article: "5"', 'clause: "5"'))
    only(rules_copy, "MISSING_CITATION")


def test_citation_of_unknown_document(rules_copy):
    write(rules_copy, "bad.yaml", HEADER + GOOD_RULE.replace("41/2024/QH15", "99/2099/QH99"))
    assert "unknown document '99/2099/QH99'" in only(rules_copy, "UNKNOWN_DOCUMENT").message


def test_missing_vietnamese_text(rules_copy):
    write(rules_copy, "bad.yaml", HEADER + GOOD_RULE.replace('text: {vi: "Thử.", en: "Probe."}', 'text: {en: "Probe."}'))
    only(rules_copy, "MISSING_TEXT")


def test_unknown_key(rules_copy):
    write(rules_copy, "bad.yaml", HEADER + GOOD_RULE + "    colour: blue\n")
    p = only(rules_copy, "UNKNOWN_KEY")
    assert p.where == "rules/test_regime/bad.yaml:10:13"


TABLE = """\
  - id: probe_table
    kind: table
    type: int
    title: {vi: "Bảng thử", en: "Probe table"}
    text: {vi: "Thử.", en: "Probe."}
    cite: {document: 41/2024/QH15, article: "66"}
    inputs:
      - {name: sex, type: [male, female], expr: person.sex}
      - {name: years, type: int, expr: year(event.date), domain: "2016.."}
    rows:
      - when: {sex: male, years: "..2017"}
        then: 15
        cite: {document: 58/2014/QH13, article: "56", clause: "1"}
      - when: {sex: male, years: "2018.."}
        then: 16
        cite: {document: 58/2014/QH13, article: "56", clause: "2"}
      - when: {sex: female}
        then: 15
        cite: {document: 58/2014/QH13, article: "56", clause: "2"}
"""


def test_complete_table_loads(rules_copy):
    write(rules_copy, "table.yaml", HEADER + TABLE)
    load_rulebook(rules_copy, use_cache=False)


def test_table_gap(rules_copy):
    write(rules_copy, "table.yaml", HEADER + TABLE.replace('years: "2018.."', 'years: "2019.."'))
    p = only(rules_copy, "TABLE_GAP")
    assert "sex=male, years=2018" in p.message
    assert p.where == "rules/test_regime/table.yaml:14:7"


def test_table_overlap(rules_copy):
    write(rules_copy, "table.yaml", HEADER + TABLE.replace('years: "2018.."', 'years: "2017.."'))
    p = only(rules_copy, "TABLE_OVERLAP")
    assert "rows 1, 2 all cover sex=male, years=2017" in p.message


def test_table_hit_first_allows_overlap(rules_copy):
    text = TABLE.replace('years: "2018.."', 'years: "2017.."').replace("    rows:", "    hit: first\n    rows:")
    write(rules_copy, "table.yaml", HEADER + text)
    load_rulebook(rules_copy, use_cache=False)


def test_continuous_table_gap_at_a_point(rules_copy):
    text = TABLE.replace("{name: years, type: int, expr: year(event.date), domain: \"2016..\"}",
                         "{name: years, type: number, expr: 50, domain: \"0..100\"}")
    text = text.replace('years: "..2017"', 'years: "0..<61"').replace('years: "2018.."', 'years: "61..100"')
    write(rules_copy, "table.yaml", HEADER + text)
    load_rulebook(rules_copy, use_cache=False)
    write(rules_copy, "table.yaml", HEADER + text.replace('"0..<61"', '"0..<60"'))
    found = problems(rules_copy)
    assert {p.code for p in found} == {"TABLE_GAP"}
    assert [p.message.split("covers ")[1] for p in found] == ["sex=male, years=60", "sex=male, years=(60, 61)"]


PARAM = """\
id: probe_param
title: {vi: "Tham số thử", en: "Probe parameter"}
text: {vi: "Thử.", en: "Probe."}
type: money
values:
  - from: 2020-01-01
    value: 100
    cite: {document: 41/2024/QH15, article: "7"}
  - from: 2021-01-01
    value: 200
    cite: {document: 41/2024/QH15, article: "7"}
"""


def test_parameter_with_overlapping_dates(rules_copy):
    (rules_copy / "parameters" / "probe.yaml").write_text(PARAM.replace("  - from: 2021-01-01", "  - from: 2020-01-01"))
    p = only(rules_copy, "DATES_OVERLAP")
    assert p.where.startswith("rules/parameters/probe.yaml:")


def test_parameter_with_a_gap(rules_copy):
    text = PARAM.replace("    value: 100\n", "    to: 2020-06-30\n    value: 100\n")
    (rules_copy / "parameters" / "probe.yaml").write_text(text)
    assert "gap before '2021-01-01'" in only(rules_copy, "DATES_GAP").message


def test_parameter_value_without_citation(rules_copy):
    text = PARAM.replace('    value: 200\n    cite: {document: 41/2024/QH15, article: "7"}\n', "    value: 200\n")
    (rules_copy / "parameters" / "probe.yaml").write_text(text)
    only(rules_copy, "MISSING_CITATION")


def test_law_versions_must_tile(rules_copy):
    laws = rules_copy / "laws.yaml"
    laws.write_text(laws.read_text().replace("        from: 2025-07-01\n", "        from: 2025-08-01\n"))
    assert "gap before '41/2024/QH15'" in problems(rules_copy)[0].message


def test_unknown_law_in_a_rule(rules_copy):
    write(rules_copy, "bad.yaml", HEADER + GOOD_RULE + "    laws: [41/2025/QH15]\n")
    only(rules_copy, "UNKNOWN_LAW")


def test_circular_definitions(rules_copy):
    rule_b = GOOD_RULE.replace("probe_value", "probe_b").replace("expr: 1 + 2", "expr: probe_value")
    rule_a = GOOD_RULE.replace("expr: 1 + 2", "expr: probe_b + 1")
    benefit = """\
  - id: probe_benefit
    kind: benefit
    event_kinds: [retirement]
    title: {vi: "Thử", en: "Probe"}
    text: {vi: "Thử.", en: "Probe."}
    cite: {document: 41/2024/QH15, article: "64"}
    eligible: probe_ok
    unit: once
  - id: probe_ok
    kind: condition
    title: {vi: "Thử", en: "Probe"}
    text: {vi: "Thử.", en: "Probe."}
    cite: {document: 41/2024/QH15, article: "64"}
    expr: probe_value > 0
"""
    write(rules_copy, "bad.yaml", HEADER + rule_a + rule_b + benefit)
    assert any(p.code == "CYCLE" for p in problems(rules_copy))


def test_rule_missing_under_a_law_a_benefit_needs(rules_copy):
    condition = """\
  - id: probe_ok
    kind: condition
    laws: [58/2014/QH13]
    title: {vi: "Thử", en: "Probe"}
    text: {vi: "Thử.", en: "Probe."}
    cite: {document: 58/2014/QH13, article: "54"}
    expr: true
  - id: probe_benefit
    kind: benefit
    event_kinds: [retirement]
    title: {vi: "Thử", en: "Probe"}
    text: {vi: "Thử.", en: "Probe."}
    cite: {document: 41/2024/QH15, article: "64"}
    eligible: probe_ok
    unit: once
"""
    write(rules_copy, "bad.yaml", HEADER + condition)
    found = problems(rules_copy)
    assert {p.code for p in found} == {"LAW_SCOPE"}
    assert any("'probe_ok' has no definition under 41/2024/QH15" in p.message for p in found)


@pytest.mark.parametrize("text, code", [
    ("a: &x 1\nb: *x\n", "YAML_ALIAS"),
    ("a: !!python/object/apply:os.system ['echo pwned']\n", "YAML_TAG"),
    ("a: !!python/name:os.system\n", "YAML_SYNTAX"),
    ("a: !custom {b: 1}\n", "YAML_TAG"),
    ("regime: t\nregime: u\n", "YAML_DUPLICATE_KEY"),
    ("regime: [unclosed\n", "YAML_SYNTAX"),
    ("x: " + "[" * 60 + "]" * 60 + "\n", "YAML_DEPTH"),
])
def test_hostile_yaml_fails_cleanly(rules_copy, text, code):
    write(rules_copy, "hostile.yaml", text)
    found = problems(rules_copy)
    assert found[0].code == code
    assert found[0].where.startswith("rules/test_regime/hostile.yaml")


def test_oversized_file(rules_copy):
    write(rules_copy, "big.yaml", "# " + "x" * 2_100_000 + "\n")
    assert only(rules_copy, "YAML_TOO_LARGE").where == "rules/test_regime/big.yaml"


def test_every_problem_is_reported_at_once(rules_copy):
    write(rules_copy, "bad1.yaml", HEADER + GOOD_RULE.replace("expr: 1 + 2", "expr: 1 + true"))
    write(rules_copy, "bad2.yaml", HEADER + GOOD_RULE.replace("probe_value", "probe_other").replace("1 + 2", "nothing"))
    assert {p.code for p in problems(rules_copy)} == {"TYPE_ERROR", "UNKNOWN_NAME"}


def test_not_a_rules_directory(tmp_path):
    from vss_rules import RuleFileError

    with pytest.raises(RuleFileError) as exc:
        load_rulebook(tmp_path)
    assert exc.value.code == "NO_LAWS"

"""A law version or period id means one thing across every family: `laws:` names them without a family."""

from __future__ import annotations

import pytest

from vss_rules import RuleFileErrors, load_rulebook

FAMILY = """\
  - id: probe_family
    title: {vi: "Thử", en: "Probe"}
    selection:
      id: probe_selection
      title: {vi: "Thử", en: "Probe"}
      text: {vi: "Thử.", en: "Probe."}
      cite: {document: 41/2024/QH15, article: "5", clause: "7"}
    versions:
      - id: %s
        title: {vi: "Thử", en: "Probe"}
        from: 2016-01-01
        cite: {document: 41/2024/QH15, article: "140"}
"""


def with_family(rules, version_id: str) -> None:
    laws = rules / "laws.yaml"
    laws.write_text(laws.read_text(encoding="utf-8").rstrip("\n") + "\n" + FAMILY % version_id, encoding="utf-8")


def test_a_version_id_used_by_two_families_is_refused(rules_copy):
    with_family(rules_copy, "41/2024/QH15")
    with pytest.raises(RuleFileErrors) as exc:
        load_rulebook(rules_copy, use_cache=False)
    found = [e for e in exc.value.errors if e.code == "DUPLICATE_ID"]
    assert found and "'41/2024/QH15' is declared twice" in found[0].message
    assert str(found[0]).startswith("rules/laws.yaml:")


def test_a_fresh_version_id_in_another_family_loads(rules_copy):
    with_family(rules_copy, "99/2099/QH99")
    book = load_rulebook(rules_copy, use_cache=False)
    assert "probe_family" in book.families

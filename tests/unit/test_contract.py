"""The public contract of DESIGN.md: evaluate / Decision / case_schema / typed errors."""

from __future__ import annotations

import concurrent.futures
import json
import re
from pathlib import Path

import jsonschema
import pytest

import vss_rules
from vss_rules import Case, CaseError, Decision, VssError

REPO = Path(__file__).resolve().parents[2]

CASE = {
    "id": "c-1",
    "person": {"sex": "male", "birth_date": "1965-01-10"},
    "contributions": [{"start": "2009-02", "end": "2026-07", "wage_setting": "state", "salary_coefficient": 3.0}],
    "event": {"kind": "retirement", "date": "2026-08-01"},
}


def test_public_surface():
    for name in ("evaluate", "case_schema", "Case", "Decision", "VssError", "CaseError", "RuleFileError", "NotEncodedError"):
        assert hasattr(vss_rules, name)
    assert issubclass(vss_rules.CaseError, VssError) and issubclass(vss_rules.RuleFileError, VssError)


def test_evaluate_accepts_a_dict_a_case_and_json_text_round_trip():
    by_dict = vss_rules.evaluate(CASE)
    by_model = vss_rules.evaluate(Case.model_validate(CASE))
    by_json = vss_rules.evaluate(json.loads(json.dumps(CASE)))
    assert by_dict == by_model == by_json
    assert isinstance(by_dict, Decision)


def test_decision_json_shape():
    d = vss_rules.evaluate(CASE).model_dump(mode="json")
    json.dumps(d)  # serialisable
    assert d["schema_version"] == "1.0"
    assert d["case_id"] == "c-1"
    assert d["law"]["version"] == "41/2024/QH15" and d["law"]["decisive_date"] == "2026-08-01"
    assert d["law"]["reason"]["cites"][0]["document"] == "41/2024/QH15"
    pension = d["benefits"][0]
    assert set(pension) >= {"id", "title", "eligible", "amount_vnd", "unit", "quantity", "start_date", "reasons", "cites", "what_would_change"}
    assert pension["amount_vnd"] == 3225750 and pension["unit"] == "month" and pension["start_date"] == "2026-08-01"
    assert isinstance(d["values"]["pension_rate"], float)
    for r in pension["reasons"]:
        assert r["text"]["vi"] and r["text"]["en"] and r["cites"]
    assert d["trace"] is None
    assert Decision.model_validate(d) == vss_rules.evaluate(CASE)


def test_trace_on_request():
    d = vss_rules.evaluate(CASE, trace=True)
    ids = [s.id for s in d.trace]
    assert "pension_law_date" in ids and "monthly_pension_vnd" in ids
    step = next(s for s in d.trace if s.id == "pension_rate")
    assert step.value == 0.425 and step.cites


def test_case_schema_is_valid_json_schema_and_validates_cases():
    schema = vss_rules.case_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(CASE, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**CASE, "surprise": 1}, schema)
    facts = schema["$defs"]["Facts_retirement"]["properties"]
    assert facts["capacity_loss_percent"]["default"] == 0


@pytest.mark.parametrize("mutate, where", [
    (lambda c: c["person"].update(sex="x"), "person.sex"),
    (lambda c: c["person"].update(birth_date="10/01/1965"), "person.birth_date"),
    (lambda c: c["contributions"][0].update(end="2001-13"), "contributions[0].end"),
    (lambda c: c["contributions"][0].update(end="2001-01"), "contributions[0]"),
    (lambda c: c["contributions"][0].pop("salary_coefficient"), "contributions[0]"),
    (lambda c: c["event"].update(kind="wedding"), "event.kind"),
    (lambda c: c["event"].update(date="soon"), "event.date"),
    (lambda c: c["event"].update(facts={"capacity_loss_percent": 150}), "event.facts.capacity_loss_percent"),
    (lambda c: c["event"].update(facts={"mood": "happy"}), "event.facts.mood"),
    (lambda c: c.update(supplied_parameters={"reference_level_vnd": {"source": "me", "value": 1}}), "supplied_parameters.reference_level_vnd"),
])
def test_bad_input_names_the_field(mutate, where):
    case = json.loads(json.dumps(CASE))
    mutate(case)
    with pytest.raises(CaseError) as exc:
        vss_rules.evaluate(case)
    assert exc.value.where == where or exc.value.where.startswith(where), (exc.value.where, str(exc.value))
    assert exc.value.code


@pytest.mark.parametrize("bad", [None, [], "case", 42])
def test_not_a_mapping(bad):
    with pytest.raises(CaseError):
        vss_rules.evaluate(bad)


def test_thread_safety_same_answers_in_parallel():
    cases = []
    for year in range(2009, 2012):
        c = json.loads(json.dumps(CASE))
        c["contributions"][0]["start"] = f"{year}-02"
        cases.append(c)
    expected = [vss_rules.evaluate(c).model_dump() for c in cases]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            got = list(pool.map(lambda c: vss_rules.evaluate(c).model_dump(), cases))
            assert got == expected


def test_compiled_rules_are_cached_by_content(tmp_path, monkeypatch, rules_copy):
    from vss_rules.rulebook import _loaded, load_rulebook
    from vss_rules.rulebook import cache as cache_mod

    monkeypatch.setenv("VSS_RULES_CACHE", str(tmp_path / "c"))
    book = load_rulebook(rules_copy)
    files = list((tmp_path / "c").glob("rulebook-*.json"))
    assert len(files) == 1 and book.digest in files[0].name
    _loaded.clear()
    again = cache_mod.read_cache(book.digest)
    assert again is not None and again.rules.keys() == book.rules.keys()
    assert vss_rules.evaluate(CASE, rulebook=again) == vss_rules.evaluate(CASE, rulebook=book)
    # a damaged cache file is ignored, never trusted
    files[0].write_text('{"$": "Rulebook", "digest": "x"}')
    _loaded.clear()
    assert load_rulebook(rules_copy).digest == book.digest
    # a change in any rule file changes the key
    (rules_copy / "old_age" / "pension.yaml").write_text((rules_copy / "old_age" / "pension.yaml").read_text() + "\n# comment\n")
    assert load_rulebook(rules_copy).digest != book.digest


def test_cache_never_instantiates_unknown_classes():
    from vss_rules.rulebook.cache import _dec

    with pytest.raises(KeyError):
        _dec({"$": "Popen", "args": ["echo"]})


def test_no_eval_or_exec_in_the_library():
    for path in (REPO / "vss_rules").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(^|[^_a-zA-Z.])(eval|exec)\(", text), path
        assert "import pickle" not in text and "yaml.load(" not in text and "yaml.unsafe" not in text, path


def test_no_python_file_names_a_regime():
    words = re.compile(r"pension|retire|maternity|sickness|survivor|funeral|unemploy|injur|accident|lương hưu|thai sản|ốm đau", re.I)
    for path in (REPO / "vss_rules").rglob("*.py"):
        found = words.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path} names a regime: {sorted(set(found))}"


def test_errors_carry_codes_and_render_without_traceback():
    case = json.loads(json.dumps(CASE))
    case["event"]["facts"] = {"participant_group": "armed_forces"}
    with pytest.raises(vss_rules.NotEncodedError) as exc:
        vss_rules.evaluate(case)
    assert exc.value.to_dict()["code"] == "NOT_ENCODED"
    assert "armed forces" in str(exc.value)


def test_reasons_say_whether_they_support_or_block_the_outcome():
    """A false condition read under a 'not' supports eligibility; the refusal's blocking tests are the specific ones."""
    examples = REPO / "examples"
    refused = vss_rules.evaluate(json.loads((examples / "refused_14_years_11_months.json").read_text()))
    effects = {r.code: r.effect for r in refused.benefit("monthly_pension").reasons}
    assert effects["has_full_pension_service"] == "blocks" and effects["pension_eligible"] == "blocks"
    injury = vss_rules.evaluate(json.loads((examples / "work_injury_short_contract_2018.json").read_text()))
    reasons = {r.code: r for r in injury.benefit("wi_monthly_allowance").reasons}
    assert reasons["wi_death_case"].outcome is False and reasons["wi_death_case"].effect == "supports"  # read as 'not died'
    assert reasons["wi_monthly_due"].effect == "blocks"
    granted = vss_rules.evaluate(CASE).benefit("monthly_pension")
    assert all(r.effect != "blocks" for r in granted.reasons if r.code == "pension_eligible")


def test_a_check_that_states_law_cites_it_in_the_refusal():
    case = {"person": {"sex": "female", "birth_date": "1990-01-01"},
            "contributions": [{"start": "2024-09", "end": "2025-08", "monthly_salary_vnd": 9000000}],
            "event": {"kind": "childbirth", "date": "2025-09-01", "facts": {"returned_to_work_date": "2025-12-31"}}}
    with pytest.raises(CaseError) as caught:
        vss_rules.evaluate(case)
    assert caught.value.code == "CASE_INCONSISTENT" and caught.value.where == "event.facts.returned_to_work_date"
    assert "45/2019/QH14 Art. 139 cl. 4" in caught.value.message

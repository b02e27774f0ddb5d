"""The documentation generator: every rule, parameter and table of the Rulebook is on a generated page
in both languages; the notation reads well; the coverage report states a number."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vss_rules.cli import app
from vss_rules.docsgen import Sources, generate, localized, write
from vss_rules.docsgen.coverage import parse_article
from vss_rules.docsgen.notation import Notation, value_text
from vss_rules.docsgen.svg import nice_ticks
from vss_rules.lang import ir
from vss_rules.lang.types import BOOL, DATE, INT, MONEY, MONTH, NUMBER, enum
from vss_rules.rulebook import load_rulebook

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def book():
    return load_rulebook(REPO / "rules")


@pytest.fixture(scope="module")
def site(book):
    return generate(book, Sources.checkout(REPO))


def _pages(site, lang: str) -> str:
    return "\n".join(text for path, text in site.pages.items() if path == localized(path.replace(".en.md", ".md"), lang))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_rule_parameter_table_and_benefit_has_an_anchor_in_both_languages(book, site, lang):
    text = _pages(site, lang)
    anchors = set(re.findall(r"\{#([^}]+)\}", text))
    missing = [rid for rid in book.rules if rid not in anchors]
    missing += [pid for pid in (*book.parameters, *book.tables) if pid not in anchors]
    missing += [f"benefit-{b}" for b in book.benefits if f"benefit-{b}" not in anchors]
    missing += [i for i in book.interpretations if i not in anchors]
    assert not missing, f"not on any {lang} page: {missing}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_input_check_is_listed_with_its_citation(book, site, lang):
    text = _pages(site, lang)
    for kind in book.event_kinds.values():
        for check in kind.checks:
            row = next((line for line in text.splitlines() if line.startswith(f"| `{check.id}` |")), None)
            assert row is not None, f"input check {check.id} of {kind.id} is on no {lang} page"
            for c in check.cites:
                assert c.document in row, (check.id, c.document)


def test_both_languages_have_the_same_pages_and_differ_in_words(site):
    vi = {p for p in site.pages if not p.endswith(".en.md")}
    en = {p for p in site.pages if p.endswith(".en.md")}
    assert {localized(p, "en") for p in vi} == en
    assert set(site.nav) == vi
    for p in vi:
        assert site.pages[p] != site.pages[localized(p, "en")], p
        for text in (site.pages[p], site.pages[localized(p, "en")]):
            assert re.match(r"(---\n.*?\n---\n)?# ", text, re.S), p


def test_every_regime_gets_its_pages_without_edits(book, site):
    regimes = {Path(f).parts[1] for f in book.regimes}
    for regime in regimes:
        assert f"law/{regime}/index.md" in site.pages
        assert f"law/{regime}/changes.md" in site.pages


def test_a_rule_block_has_plain_words_formula_and_citation(book, site):
    rid = next(r for r, defs in book.rules.items() if defs[0].expr is not None and defs[0].cites and defs[0].cites[0].article)
    d = book.rules[rid][0]
    vi, en = _pages(site, "vi"), _pages(site, "en")
    block_vi = vi.split(f"{{#{rid}}}", 1)[1].split("\n### ", 1)[0]
    block_en = en.split(f"{{#{rid}}}", 1)[1].split("\n### ", 1)[0]
    assert d.text.vi.split("{")[0][:30] in block_vi and d.text.en.split("{")[0][:30] in block_en
    assert "**Công thức:**" in block_vi and "**Formula:**" in block_en
    assert f"Điều {d.cites[0].article}" in block_vi and f"Art. {d.cites[0].article}" in block_en


def test_what_changed_compares_consecutive_law_periods(book, site):
    for family in book.families.values():
        periods = [p for v in family.versions for p in v.periods]
        for a, b in zip(periods, periods[1:]):
            if a.version != b.version:
                heading = f"## {a.id} → {b.id}"
                changes = [t for p, t in site.pages.items() if p.endswith("/changes.md")]
                if any(heading in t for t in changes):
                    return
    pytest.fail("no what-changed page compares two law versions")


def test_coverage_report_states_a_percentage(site):
    vi, en = site.pages["law/coverage.md"], site.pages["law/coverage.en.md"]
    assert re.search(r"\*\*Benefit articles encoded: \d+ of \d+ \(\d+(\.\d)? %\)\.\*\*", en), en[:400]
    assert re.search(r"đã mã hóa: \d+/\d+ \(\d+(,\d)? %\)", vi), vi[:400]
    listed, encoded_listed, encoded, exercised = site.coverage.totals()
    assert listed > 0 and 0 < encoded_listed <= listed and 0 < exercised <= encoded


def test_charts_are_inline_svg(site):
    params = site.pages["law/parameters.md"]
    assert params.count("<svg ") >= 1 and "</svg>" in params
    assert all("\n" not in svg for svg in re.findall(r"<svg .*?</svg>", params))  # one line: markdown leaves it alone


def test_interpretations_page_names_implementing_rules(book, site):
    page = site.pages["law/interpretations.en.md"]
    implemented = {d.interpretation for defs in book.rules.values() for d in defs if d.interpretation}
    for iid in implemented & set(book.interpretations):
        block = page.split(f"{{#{iid}}}", 1)[1].split("\n## ", 1)[0]
        assert "**Rules that implement it:** [" in block, iid


# -- notation -------------------------------------------------------------------------------------------
def _n(lang: str) -> Notation:
    return Notation(lang, link=lambda i: f"#{i}")


def test_notation_operators_percentages_and_links():
    e = ir.Func(NUMBER, "min", (ir.Const(NUMBER, Fraction(3, 4)), ir.Arith(
        NUMBER, "*", ir.Ref(NUMBER, "rate"), ir.Arith(NUMBER, "-", ir.Ref(INT, "years"), ir.Const(INT, Fraction(15))))))
    assert _n("en").render(e) == "min(75%, [rate](#rate) × ([years](#years) − 15))"
    cmp_ = ir.Logic(BOOL, "and", ir.Cmp(BOOL, ">=", ir.Ref(INT, "m"), ir.Const(INT, Fraction(180))),
                    ir.Not(BOOL, ir.Cmp(BOOL, "==", ir.Input(enum("male", "female"), ("person", "sex")), ir.Const(enum("male", "female"), "male"))))
    assert Notation("vi").render(cmp_) == 'm ≥ 180 và không person.sex = "male"'


def test_notation_turns_an_if_chain_into_cases():
    e = ir.IfElse(NUMBER, ir.Ref(BOOL, "a"), ir.Const(NUMBER, Fraction(1, 2)),
                  ir.IfElse(NUMBER, ir.Ref(BOOL, "b"), ir.Const(NUMBER, Fraction(2)), ir.Const(NUMBER, Fraction(0))))
    assert Notation("en").cases(e) == [("a", "50%"), ("b", "2"), (None, "0")]
    assert Notation("vi").render(e) == "nếu a thì 50% ngược lại nếu b thì 2 ngược lại 0"


def test_values_are_written_the_local_way():
    assert value_text(2340000, MONEY, "vi") == "2.340.000 đ"
    assert value_text(2340000, MONEY, "en") == "2,340,000 VND"
    assert value_text(dt.date(2025, 7, 1), DATE, "vi") == "01/07/2025"
    assert value_text("2025-07", MONTH, "vi") == "07/2025"
    assert value_text(Fraction(71, 100), NUMBER, "vi") == "71%"
    assert value_text(Fraction(5, 2), NUMBER, "vi") == "2,5"
    assert value_text(2016, INT, "vi") == "2016"
    month_lit = ir.Func(MONTH, "month", (ir.Const(INT, Fraction(2016)), ir.Const(INT, Fraction(1))))
    assert Notation("vi").render(month_lit) == "01/2016" and Notation("en").render(month_lit) == "2016-01"


def test_scenario_articles_parse():
    a = parse_article("58/2014/QH13 Art. 56(2)(a)")
    assert (a.document, a.article, a.clause) == ("58/2014/QH13", "56", "2")
    b = parse_article("135/2020/NĐ-CP Phụ lục I")
    assert (b.document, b.article, b.clause) == ("135/2020/NĐ-CP", "Phụ lục I", None)


def test_ticks_are_round():
    assert nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]
    assert all(t == int(t) for t in nice_ticks(2008.0, 2027.3, 8, whole=True))


# -- writing and the command line ---------------------------------------------------------------------------
def test_write_rewrites_only_what_changed_and_removes_stale_pages(site, tmp_path):
    first = write(site, tmp_path)
    assert len(first) == len(site.pages)
    (tmp_path / "stale.md").write_text("# old\n")
    assert write(site, tmp_path) == [] and not (tmp_path / "stale.md").exists()


def test_cli_docs_writes_the_pages(tmp_path):
    result = CliRunner().invoke(app, ["docs", str(tmp_path / "out"), "--rules", str(REPO / "rules"), "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "index.md").is_file() and (tmp_path / "out" / "coverage.en.md").is_file()


# -- explanations for people ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_explain_shows_the_law_conditions_with_articles_and_the_arithmetic(lang):
    import json

    import vss_rules

    case = json.loads(next(p for p in sorted((REPO / "examples").glob("*.json"))).read_text(encoding="utf-8"))
    decision = vss_rules.evaluate(case)
    text = decision.explain(lang)
    assert decision.law.period in text
    assert ("Điều " if lang == "vi" else "Art. ") in text and ("✓" in text or "✗" in text)
    paid = [b for b in decision.benefits if b.amount_vnd is not None]
    if paid:  # the amount's rule, its formula with the values put in, and the result
        b = paid[0]
        rule_id = vss_rules.load_rulebook().benefits[b.id].amount
        found = [ln for ln in text.splitlines() if f"({rule_id}) =" in ln]
        assert len(found) == 1, found
        line = found[0]
        amount = f"{b.amount_vnd:,}".replace(",", ".") if lang == "vi" else f"{b.amount_vnd:,}"
        assert line.rstrip().endswith(amount + (" đ" if lang == "vi" else " VND")), line

"""The expression language: parsing, type checking, evaluation of each construct."""

from __future__ import annotations

from fractions import Fraction

import pytest

from vss_rules.backends.scalar import CaseData, Evaluator, last_months
from vss_rules.lang import ir
from vss_rules.lang.checker import Checker, Signature, TypeCheckError
from vss_rules.lang.parser import ExpressionSyntaxError, parse
from vss_rules.lang.types import BOOL, DATE, INT, MONEY, MONTH, NUMBER, Type, enum
from vss_rules.months import month
from vss_rules.rulebook.book import Rulebook


class Scope:
    values = {"years": NUMBER, "salary": MONEY, "start": DATE, "flag": BOOL}

    def value_type(self, name):
        return self.values.get(name)

    def lookup_signature(self, name):
        return {"base": Signature((DATE,), MONEY)}.get(name)

    def input_roots(self):
        return ("person", "event", "facts")

    def input_type(self, path):
        return {("person", "sex"): enum("male", "female"), ("event", "date"): DATE}.get(path)

    def row_type(self, source, name):
        fields = {"months": INT, "start": MONTH, "salary_vnd": MONEY, "kind": enum("a", "b")}
        return ("field", fields[name]) if name in fields else None

    def sources(self):
        return {"contributions": "c"}


def check(text: str, expected: Type | None = None) -> ir.Expr:
    return Checker(Scope()).check(parse(text), expected)


def type_error(text: str) -> str:
    with pytest.raises(TypeCheckError) as exc:
        check(text)
    return exc.value.message


@pytest.mark.parametrize("text, typ", [
    ("45% + 2% * (years - 15)", NUMBER),
    ("salary * 0.5", MONEY),
    ("salary / salary", NUMBER),
    ("max(salary, 0)", MONEY),
    ("1 + 2", INT),
    ("if flag then 1 else 0.5", NUMBER),
    ("person.sex == \"female\" and not flag", BOOL),
    ("add_months(month_of(event.date), -1)", MONTH),
    ("sum(c.months for c in contributions where c.kind == \"a\" last 60 months)", INT),
    ("min(c.start for c in contributions default month(2000, 1))", MONTH),
    ("base(event.date) * 10", MONEY),
    ("person.sex in [\"male\"]", BOOL),
])
def test_types(text, typ):
    assert check(text).type == typ


@pytest.mark.parametrize("text, message", [
    ("salary + 1%", "cannot apply '+' to money and number"),
    ("salary * salary", "cannot apply '*'"),
    ("person.sex == \"mael\"", "'mael' is not a possible value"),
    ("nonsense + 1", "unknown name 'nonsense'"),
    ("facts.whatever", "unknown input"),
    ("base", "is a parameter or table: call it"),
    ("years(1)", "is a value, not a function"),
    ("base(1)", "expected date, found int"),
    ("if 1 then 2 else 3", "expected bool, found int"),
    ("if flag then salary else start", "if/else mixes incompatible types"),
    ("c.months", "only be used inside an aggregation"),
    ("sum(c.nothing for c in contributions)", "unknown field 'nothing'"),
    ("sum(c.kind for c in contributions)", "sum() needs numbers or money"),
    ("min(1)", "two or more values"),
    ("start < 3", "mixes incompatible types"),
    ("years / 0", "division by zero"),
])
def test_type_errors(text, message):
    assert message in type_error(text)


@pytest.mark.parametrize("text, line, col", [
    ("45 +", 1, 5),
    ("(1 + 2", 1, 7),
    ("a ++ b", 1, 4),
    ("sum(c for c in)", 1, 15),
    ("foo(1 for c in contributions)", 1, 1),
])
def test_syntax_errors_have_positions(text, line, col):
    with pytest.raises(ExpressionSyntaxError) as exc:
        parse(text)
    assert (exc.value.line, exc.value.col) == (line, col)


def test_no_python_evaluation_of_text():
    # a Python expression is not an expression of the rule language
    for text in ("__import__('os')", "().__class__", "lambda: 1", "x[0]", "'a'"):
        with pytest.raises(ExpressionSyntaxError):
            parse(text)


def _evaluator(rows=None, inputs=None) -> Evaluator:
    book = Rulebook("", {}, {}, {}, {}, {}, {}, {}, {})
    data = CaseData(inputs=inputs or {}, facts={}, rows={"contributions": rows or []})
    return Evaluator(book, data, None)


def _eval(text: str, rows=None, inputs=None):
    return _evaluator(rows, inputs).compute(check(text))


def _row(start: int, end: int, **kw):
    return {"start": start, "end": end, "months": Fraction(end - start + 1), "_index": 0, **kw}


@pytest.mark.parametrize("text, value", [
    ("45% + 2% * 3", Fraction(51, 100)),
    ("round(2.5)", 3),
    ("round(-2.5)", -3),
    ("floor(7 / 2)", 3),
    ("ceil(7 / 2)", 4),
    ("mod(29, 12)", 5),
    ("min(3, 1, 2)", 1),
    ("abs(-4)", 4),
    ("months_between(month(2016, 1), month(2017, 3))", 14),
    ("year(add_months(month(2016, 11), 2))", 2017),
    ("month_number(month(2016, 11))", 11),
    ("day(last_day(month(2016, 2)))", 29),
    ("days_between(date(2016, 1, 1), date(2016, 3, 1))", 60),
    ("if 1 < 2 then 10 else 20", 10),
    ("1 == 1 and 2 > 3 or true", True),
    ("not (1 == 2)", True),
])
def test_evaluation(text, value):
    assert _eval(text) == value


def test_aggregation_window_clips_the_earliest_row():
    rows = [_row(month(2010, 1), month(2010, 12), kind="a", salary_vnd=Fraction(100)),
            _row(month(2011, 1), month(2011, 12), kind="b", salary_vnd=Fraction(200)),
            _row(month(2012, 1), month(2012, 6), kind="a", salary_vnd=Fraction(300))]
    assert _eval("sum(c.months for c in contributions)", rows) == 30
    assert _eval("sum(c.months * c.salary_vnd for c in contributions last 10 months)", rows) == 6 * 300 + 4 * 200
    # the filter applies before the window: the last 10 months of kind "a" reach back into 2010
    assert _eval("sum(c.months * c.salary_vnd for c in contributions where c.kind == \"a\" last 10 months)", rows) == 6 * 300 + 4 * 100
    assert _eval("any(c.kind == \"b\" for c in contributions)", rows) is True
    assert _eval("all(c.kind == \"b\" for c in contributions)", rows) is False
    assert _eval("max(c.start for c in contributions)", rows) == month(2012, 1)
    assert _eval("sum(c.months for c in contributions where c.months > 100)", rows) == 0


def test_empty_min_without_default_is_an_error():
    from vss_rules.errors import EvaluationError

    with pytest.raises(EvaluationError, match="default"):
        _eval("min(c.start for c in contributions)", [])


def test_last_months_keeps_order_and_total():
    rows = [_row(month(2000 + i, 1), month(2000 + i, 12)) for i in range(5)]
    window = last_months(rows, 30)
    assert sum(r["months"] for r in window) == 30
    assert window[0]["start"] == month(2002, 7)
    assert [r["end"] for r in window] == sorted(r["end"] for r in window)
    assert "months" in rows[2] and rows[2]["months"] == 12  # the source rows are not changed


def test_if_is_lazy():
    # the branch not taken is never evaluated (here it would divide by zero)
    assert _eval("if 1 == 1 then 5 else 1 / (1 - 1)") == 5

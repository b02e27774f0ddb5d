"""The working-day calendar: data in rules/calendar/, counting in vss_rules.calendar, the spans/dates/weekdays facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vss_rules import RuleFileErrors
from vss_rules.calendar import non_working_dates, weekmask, working_days
from vss_rules.rulebook import load_rulebook

BOOK = load_rulebook()
CAL = BOOK.calendars["vn_public_holidays"]
SUN = frozenset({6})
SAT_SUN = frozenset({5, 6})


def test_the_calendar_is_loaded_with_cited_holidays():
    assert CAL.start == dt.date(2014, 1, 1) and CAL.end == dt.date(2027, 12, 31)
    assert dt.date(2016, 2, 8) in CAL.holiday_dates()  # mùng 1 Tết Bính Thân
    assert dt.date(2015, 2, 19) in CAL.holiday_dates()  # mùng 1 Tết Ất Mùi
    assert dt.date(2015, 2, 16) not in CAL.holiday_dates()  # swapped for Saturday 14/02/2015, not a holiday
    assert dt.date(2021, 9, 3) in CAL.holiday_dates()  # the second National Day from 2021
    assert dt.date(2019, 4, 29) not in CAL.holiday_dates()  # a swapped working day is not a holiday
    assert all(h.cites for h in CAL.holidays)
    assert CAL.make_up_rest_day


def test_a_rest_day_on_a_holiday_is_made_up_on_the_next_working_day():
    # Sunday 07/02/2016 is a Tết day: the make-up day is Friday 12/02, after the Tết weekdays
    off = non_working_dates(CAL, SUN, frozenset())
    assert dt.date(2016, 2, 12) in off
    assert working_days(CAL, dt.date(2016, 2, 1), dt.date(2016, 2, 20), SUN, frozenset()) == 13
    # with Saturday and Sunday rest, Saturday 30/04 and Sunday 01/05/2016 are made up on Monday 02/05 and Tuesday 03/05
    assert working_days(CAL, dt.date(2016, 5, 2), dt.date(2016, 5, 6), SAT_SUN, frozenset()) == 3


def test_rest_dates_replace_a_weekly_pattern_for_shift_workers():
    rest = frozenset({dt.date(2016, 1, 6), dt.date(2016, 1, 15)})
    assert working_days(CAL, dt.date(2016, 1, 7), dt.date(2016, 1, 17), frozenset(), rest) == 10


def test_an_empty_or_reversed_span_has_no_working_day_and_outside_the_calendar_is_an_error():
    assert working_days(CAL, dt.date(2016, 3, 2), dt.date(2016, 3, 1), SUN, frozenset()) == 0
    with pytest.raises(ValueError):
        working_days(CAL, dt.date(2027, 12, 30), dt.date(2028, 1, 2), SUN, frozenset())


@settings(max_examples=60, deadline=None)
@given(st.dates(dt.date(2014, 1, 1), dt.date(2027, 12, 31)), st.integers(0, 120),
       st.sets(st.integers(0, 6), max_size=3))
def test_counting_is_numpy_busday_count_with_the_non_working_dates(start, length, rest):
    end = min(start + dt.timedelta(days=length), CAL.end)
    weekly = frozenset(rest)
    off = sorted(non_working_dates(CAL, weekly, frozenset()))
    mask = weekmask(weekly)
    if "1" not in mask:
        return  # numpy refuses a week without working days
    expected = int(np.busday_count(start, end + dt.timedelta(days=1), weekmask=mask, holidays=off))
    assert working_days(CAL, start, end, weekly, frozenset()) == expected


def _write(rules: Path, text: str) -> None:
    (rules / "calendar" / "vn_public_holidays.yaml").write_text(text, encoding="utf-8")


def test_a_holiday_listed_twice_or_outside_the_covered_years_fails_to_load(rules_copy: Path):
    path = rules_copy / "calendar" / "vn_public_holidays.yaml"
    text = path.read_text(encoding="utf-8")
    twice = text + '  - {date: 2016-01-01, name: {vi: "x", en: "x"}, cite: {document: 45/2019/QH14, article: "112"}}\n'
    _write(rules_copy, twice)
    with pytest.raises(RuleFileErrors, match="listed twice"):
        load_rulebook(rules_copy, use_cache=False)
    outside = text + '  - {date: 2030-01-01, name: {vi: "x", en: "x"}, cite: {document: 45/2019/QH14, article: "112"}}\n'
    _write(rules_copy, outside)
    with pytest.raises(RuleFileErrors, match="outside what the calendar covers"):
        load_rulebook(rules_copy, use_cache=False)


def test_collection_types_are_for_facts_only_and_working_days_is_type_checked(rules_copy: Path):
    extra = rules_copy / "sickness" / "zz_test.yaml"
    extra.write_text(
        'regime: sickness\ntitle: {vi: "t", en: "t"}\nrules:\n'
        '  - id: bad_spans\n    type: spans\n    title: {vi: "t", en: "t"}\n    text: {vi: "t", en: "t"}\n'
        '    cite: {document: 45/2019/QH14, article: "112"}\n    expr: facts.leave\n'
        '  - id: bad_call\n    type: int\n    title: {vi: "t", en: "t"}\n    text: {vi: "t", en: "t"}\n'
        '    cite: {document: 45/2019/QH14, article: "112"}\n'
        '    expr: working_days(vn_public_holidays, leave_first_day, leave_last_day, facts.rest_dates, facts.rest_dates)\n',
        encoding="utf-8")
    with pytest.raises(RuleFileErrors) as err:
        load_rulebook(rules_copy, use_cache=False)
    text = str(err.value)
    assert "for event facts only" in text
    assert "expects weekdays here, got dates" in text


def test_a_spans_fact_is_a_row_source_with_start_end_and_days():
    import vss_rules

    case = {"person": {"sex": "female", "birth_date": "1990-01-01"},
            "contributions": [{"start": "2016-01", "end": "2016-02", "monthly_salary_vnd": 4000000}],
            "event": {"kind": "sickness_leave", "date": "2016-03-01", "facts": {
                "leave": [{"start": "2016-03-07", "end": "2016-03-08"}, {"start": "2016-03-01", "end": "2016-03-02"}],
                "long_term_illness": True}}}
    d = vss_rules.evaluate(case, rulebook=BOOK)
    assert d.values["leave_first_day"] == "2016-03-01" and d.values["leave_last_day"] == "2016-03-08"
    assert d.values["lt_calendar_days"] == 4
    schema = vss_rules.case_schema(BOOK)
    assert "DateSpan" in str(schema)

"""Working-day calendars: which days are not worked, and how many working days a span holds.

A calendar is data declared in the rule files (``rules/calendar/*.yaml``): the dated public
holidays it knows, the period it covers, and whether a weekly rest day that falls on a holiday
is made up on the next working day. Nothing here knows a regime or a country.

A person's own week is given by the case: the weekdays they rest every week (``weekly_rest``)
and any other dates they rest (``rest_dates``: a shift worker's rest days, an employer's extra
days off). The days not worked are then

    holidays ∪ rest days ∪ make-up days (one per holiday that falls on a rest day)

which is a fixed set for a given (calendar, weekly rest, rest dates). Counting working days
between two dates is therefore exactly ``numpy.busday_count(start, end + 1, weekmask,
holidays=non_working_dates)`` — a columnar backend computes the set once per distinct week
pattern and counts all rows at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from .errors import Position

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Holiday:
    start: dt.date
    end: dt.date
    name_vi: str
    name_en: str
    cites: tuple  # tuple[Citation, ...]
    note: str | None
    pos: Position


@dataclass(frozen=True, eq=False)
class Calendar:
    id: str
    title: object  # Text
    text: object  # Text
    cites: tuple
    start: dt.date  # first day the calendar covers
    end: dt.date  # last day it covers
    holidays: tuple[Holiday, ...]
    make_up_rest_day: bool  # a weekly rest day that falls on a holiday is made up on the next working day
    make_up_cites: tuple
    file: str
    pos: Position

    def __hash__(self) -> int:
        return hash(self.id)

    def holiday_dates(self) -> frozenset[dt.date]:
        return _holiday_dates(self)


class OutsideCalendar(ValueError):
    """A day to count lies outside the period the calendar covers."""


@lru_cache(maxsize=64)
def _holiday_dates(cal: Calendar) -> frozenset[dt.date]:
    out: set[dt.date] = set()
    for h in cal.holidays:
        d = h.start
        while d <= h.end:
            out.add(d)
            d += dt.timedelta(days=1)
    return frozenset(out)


def weekmask(weekly_rest: frozenset[int]) -> str:
    """numpy's weekmask (Mon…Sun, 1 = a working day) for a set of rest weekdays (0 = Monday)."""
    return "".join("0" if i in weekly_rest else "1" for i in range(7))


@lru_cache(maxsize=1024)
def non_working_dates(cal: Calendar, weekly_rest: frozenset[int], rest_dates: frozenset[dt.date]) -> frozenset[dt.date]:
    """Every day in the calendar's period that is not a working day for this week pattern."""
    holidays = cal.holiday_dates()

    def rest(d: dt.date) -> bool:
        return d.weekday() in weekly_rest or d in rest_dates

    off = {d for d in holidays}
    day = cal.start
    while day <= cal.end:
        if rest(day):
            off.add(day)
        day += dt.timedelta(days=1)
    if cal.make_up_rest_day:
        for h in sorted(holidays):
            if not rest(h):
                continue
            d = h + dt.timedelta(days=1)
            while d in off and d <= cal.end + dt.timedelta(days=31):
                d += dt.timedelta(days=1)
            off.add(d)
    return frozenset(off)


def nth_working_day(cal: Calendar, start: dt.date, n: int, weekly_rest: frozenset[int],
                    rest_dates: frozenset[dt.date]) -> dt.date:
    """The day on which the ``n``-th working day counted from ``start`` (included) falls (n ≥ 1):
    the inverse of :func:`working_days`, so ``working_days(cal, start, result, …) == n``."""
    if n < 1:
        raise ValueError(f"nth_working_day needs n ≥ 1, got {n}")
    off = non_working_dates(cal, frozenset(weekly_rest), frozenset(rest_dates))
    day, left = start, n
    while True:
        if day < cal.start or day > cal.end:
            raise OutsideCalendar(f"calendar {cal.id} covers {cal.start} to {cal.end}; counting {n} working days from {start} leaves it")
        if day not in off:
            left -= 1
            if left == 0:
                return day
        day += dt.timedelta(days=1)


def working_days(cal: Calendar, start: dt.date, end: dt.date, weekly_rest: frozenset[int],
                 rest_dates: frozenset[dt.date]) -> int:
    """Working days from ``start`` to ``end``, both included; 0 when ``end`` is before ``start``."""
    if end < start:
        return 0
    if start < cal.start or end > cal.end:
        raise OutsideCalendar(f"calendar {cal.id} covers {cal.start} to {cal.end}; {start} to {end} is outside it")
    off = non_working_dates(cal, frozenset(weekly_rest), frozenset(rest_dates))
    total = (end - start).days + 1
    return total - sum(1 for d in off if start <= d <= end)

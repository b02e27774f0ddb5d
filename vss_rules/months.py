"""Calendar months and partial dates.

A month is stored as one integer, ``year * 12 + (month - 1)``, so that month
arithmetic is integer arithmetic in every backend. Contribution periods are
inclusive at both ends: ``2001-01 … 2001-12`` is 12 months.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

Month = int

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def month(year: int, mon: int) -> Month:
    if not 1 <= mon <= 12:
        raise ValueError(f"month {mon} is not between 1 and 12")
    return year * 12 + (mon - 1)


def parse_month(text: str) -> Month:
    """``"2016-04"`` → Month."""
    m = _MONTH_RE.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a month written YYYY-MM")
    return month(int(m.group(1)), int(m.group(2)))


def month_str(m: Month) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def month_of(d: dt.date) -> Month:
    return month(d.year, d.month)


def year_of(m: Month) -> int:
    return m // 12


def month_number(m: Month) -> int:
    return m % 12 + 1


def first_day(m: Month) -> dt.date:
    return dt.date(m // 12, m % 12 + 1, 1)


def last_day(m: Month) -> dt.date:
    y, mo = m // 12, m % 12 + 1
    return dt.date(y, mo, calendar.monthrange(y, mo)[1])


def add_months_to_date(d: dt.date, n: int) -> dt.date:
    """Same day-of-month ``n`` months later, clipped to the month's last day."""
    m = month_of(d) + n
    y, mo = m // 12, m % 12 + 1
    return dt.date(y, mo, min(d.day, calendar.monthrange(y, mo)[1]))


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """``"1968"``, ``"1968-05"`` or ``"1968-05-10"`` → (first possible day, precision)."""
    s = text.strip()
    if re.fullmatch(r"\d{4}", s):
        return dt.date(int(s), 1, 1), "year"
    if _MONTH_RE.match(s):
        return first_day(parse_month(s)), "month"
    try:
        return dt.date.fromisoformat(s), "day"
    except ValueError:
        raise ValueError(f"{text!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD") from None


def split_by_year(start: Month, end: Month) -> list[tuple[Month, Month]]:
    """Cut an inclusive month range at calendar-year boundaries."""
    out = []
    m = start
    while m <= end:
        year_end = (m // 12) * 12 + 11
        out.append((m, min(end, year_end)))
        m = min(end, year_end) + 1
    return out

"""Date rules of the renewal workflow (renewal-workflow §1), scalar and vectorized.

>>> import datetime as dt
>>> months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 29))
0
>>> months_between(dt.date(2024, 1, 15), dt.date(2026, 7, 15))
30
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from renewal_xl.errors import InputError


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months: (y2 − y1) × 12 + (m2 − m1), minus 1 when day2 < day1."""
    return (end.year - start.year) * 12 + (end.month - start.month) - (end.day < start.day)


def months_between_arrays(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """:func:`months_between` over ``datetime64[D]`` arrays (int64 result)."""
    s_month = start.astype("datetime64[M]")
    e_month = end.astype("datetime64[M]")
    s_day = (start - s_month.astype("datetime64[D]")).astype(np.int64)
    e_day = (end - e_month.astype("datetime64[D]")).astype(np.int64)
    return (e_month - s_month).astype(np.int64) - (e_day < s_day)


def days_between(start: dt.date, end: dt.date) -> int:
    """end − start in days (negative when end is earlier)."""
    return (end - start).days


def is_due(end: dt.date, as_of: dt.date, window_days: int) -> bool:
    """True when as_of < end ≤ as_of + window_days."""
    return as_of < end <= as_of + dt.timedelta(days=window_days)


_MONTH_TEXT = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*")


def month_bounds(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar month written ``YYYY-MM`` (also ``YYYY/MM``,
    ``2026年3月``).

    >>> month_bounds("2026-02")
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    """
    m = _MONTH_TEXT.fullmatch(str(text))
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2200:
        raise InputError("month", text, "须为 YYYY-MM 格式的月份, 如 2026-03")
    first = dt.date(int(m.group(1)), int(m.group(2)), 1)
    return first, _last_day(first)


def month_after(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar month after ``day`` (the default renewal window).

    >>> month_after(dt.date(2026, 12, 15))
    (datetime.date(2027, 1, 1), datetime.date(2027, 1, 31))
    """
    first = _last_day(day) + dt.timedelta(days=1)
    return first, _last_day(first)


def month_before(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar month before ``day`` (the month a review checks)."""
    last = day.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def _last_day(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)

"""Date rules of the renewal workflow (renewal-workflow §1), scalar and vectorized.

>>> import datetime as dt
>>> months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 29))
0
>>> months_between(dt.date(2024, 1, 15), dt.date(2026, 7, 15))
30
"""

from __future__ import annotations

import datetime as dt

import numpy as np


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

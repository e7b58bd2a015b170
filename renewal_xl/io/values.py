"""Cell values of a report column, as every workbook writer takes them."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd

_CELL_TYPES = (str, bool, int, float, Decimal, dt.date, dt.time, dt.timedelta)


def cell_values(values: np.ndarray) -> list:
    """One column's cells: None for blanks (empty text included: a cell holding ``""`` is
    text to Excel, so ``=V4*M4`` over it gives ``#VALUE!``), dates as ``datetime.date``, numpy scalars as
    Python numbers; what a cell cannot hold as a value (infinity, time zones, lists …) as
    its text, so an odd register cell never stops a report.

    >>> cell_values(np.array(["2026-01-31", "NaT"], dtype="datetime64[D]"))
    [datetime.date(2026, 1, 31), None]
    >>> cell_values(np.array([1.5, np.nan, np.inf]))
    [1.5, None, 'inf']
    >>> cell_values(np.array(["", "AG001", None], dtype=object))
    [None, 'AG001', None]
    """
    if np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[D]").astype(object).tolist()
    if values.dtype.kind == "f":
        return [None if v != v else _cell_value(v) for v in values.tolist()]
    if values.dtype.kind in "iub":
        return values.tolist()
    out: list[object] = []
    for v in values:
        if (
            v is None
            or v is pd.NA
            or v is pd.NaT
            or (isinstance(v, float) and v != v)
            or (isinstance(v, str) and not v)
        ):
            out.append(None)
        elif isinstance(v, np.datetime64):
            out.append(v.astype("datetime64[D]").item())  # a date; None for NaT
        elif isinstance(v, pd.Timestamp):
            out.append(_cell_value(v.to_pydatetime()))
        elif isinstance(v, np.generic):  # numpy numbers, np.str_ …
            out.append(_cell_value(v.item()))
        else:
            out.append(_cell_value(v))
    return out


def _cell_value(v: object) -> object:
    """``v`` when a cell holds it as it is, else its text."""
    if (
        isinstance(v, _CELL_TYPES)
        and not (isinstance(v, float) and not math.isfinite(v))
        and getattr(v, "tzinfo", None) is None
    ):
        return v
    return str(v)

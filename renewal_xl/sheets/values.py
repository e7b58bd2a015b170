"""Cell values of a report column, as every workbook writer takes them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def cell_values(values: np.ndarray) -> list:
    """One column's cells: None for blanks, dates as ``datetime.date``, numpy scalars as
    Python numbers, text as text, anything else as its text.

    >>> cell_values(np.array(["2026-01-31", "NaT"], dtype="datetime64[D]"))
    [datetime.date(2026, 1, 31), None]
    >>> cell_values(np.array([1.5, np.nan]))
    [1.5, None]
    """
    if np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[D]").astype(object).tolist()
    if values.dtype.kind == "f":
        return np.where(np.isnan(values), None, values.astype(object)).tolist()
    if values.dtype.kind in "iub":
        return values.tolist()
    out = []
    for v in values:
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
            out.append(None)
        elif isinstance(v, np.generic):
            out.append(cell_values(np.array([v]))[0])
        elif isinstance(v, pd.Timestamp):
            out.append(v.to_pydatetime())
        elif isinstance(v, (str, bool, int, float, dt.date)):
            out.append(v)
        else:
            out.append(str(v))
    return out

"""Turning workflow DataFrames into report tables: pick columns, give Chinese headers,
convert units for display and attach Excel number formats.

A column is ``(key, header, kind)``; kinds: ``text``, ``int``, ``fen`` (money in fen →
yuan, ``#,##0.00``), ``date`` (``yyyy-mm-dd``), ``pct`` (fraction, ``0.0%``), ``coef``
(ten-thousandths → factor, ``0.00##``), ``rate`` (millionths → fraction, ``0.00%``),
``bool`` (是/否).

>>> import pandas as pd
>>> t = table(pd.DataFrame({"premium": [325315]}), [("premium", "保费", "fen")])
>>> t.frame["保费"].tolist(), t.formats
([3253.15], {'保费': '#,##0.00'})
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from renewal_xl.money import COEF, RATE, cents_to_yuan
from renewal_xl.reports.spec import Table

FORMATS = {"fen": "#,##0.00", "date": "yyyy-mm-dd", "pct": "0.0%", "coef": "0.00##", "rate": "0.00%", "int": "0"}


def convert(values: pd.Series, kind: str) -> pd.Series:
    """Display values of one column (see the module docstring for the kinds)."""
    if kind == "fen":
        return pd.Series(cents_to_yuan(values.to_numpy(dtype=np.int64)), index=values.index)
    if kind == "coef":
        return values.astype(np.float64) / 10**COEF
    if kind == "rate":
        return values.astype(np.float64) / 10**RATE
    if kind == "bool":
        return pd.Series(np.where(values.to_numpy(dtype=bool), "是", "否"), index=values.index, dtype=object)
    if kind == "date":
        return pd.to_datetime(values)
    return values


def table(
    frame: pd.DataFrame,
    columns: list[tuple[str, str, str]],
    title: str | None = None,
    *,
    total: bool = False,
    wrap: dict[str, float] | None = None,
) -> Table:
    """A :class:`Table` of ``columns`` of ``frame`` with Chinese headers and formats;
    ``total`` when the last row of ``frame`` is its total, ``wrap`` the wrapped headers
    and their widths."""
    data = {header: _values(convert(frame[key], kind)) for key, header, kind in columns}
    formats = {header: FORMATS[kind] for _, header, kind in columns if kind in FORMATS}
    return Table(
        frame=pd.DataFrame(data, index=range(len(frame))), title=title, formats=formats, total=total, wrap=wrap or {}
    )


_TEXT = pd.api.types.pandas_dtype("str")  # what a frame makes of an object column of texts


def _values(column: pd.Series) -> object:
    """The values of a display column for a new frame: a text (``str``) column of some
    rows as its array, which the frame keeps as it is (as a numpy array it would become
    one Python object per cell and be converted back to the same text dtype: about 0.15 s
    of the 续保 workbook of 10^6 register rows), any other column, and an empty one, as
    its numpy values (an empty text column is then an object column, as every empty table's)."""
    return column.array if len(column) and column.dtype == _TEXT else column.to_numpy()

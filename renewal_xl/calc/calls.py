"""The worksheet functions as the LibreOffice Calc add-in calls them.

LibreOffice hands an add-in's ``any`` argument over as a float (numbers, dates as serial
numbers, TRUE/FALSE as 1/0), a str, ``None`` for a left-out argument, or a tuple of row
tuples for a range (an empty cell in a range is ``""``). :func:`calc_function` wraps a
function of :mod:`renewal_xl.spreadsheet.worksheet` with the same cell conversion and ``#`` error
texts as in Excel (:func:`renewal_xl.spreadsheet.worksheet.cell_function`), then makes the result a
value Calc accepts (:func:`uno_value`, :func:`uno_rows`).

>>> CALLS["RENEWAL_PREMIUM"](150000.0, 30.0, 5.0, "经济", 2.0, 0.0)
3253.15
>>> CALLS["RENEWAL_VOUCHER"](2.0, (("",),))       # a blank one-cell range = left out
200.0
>>> CALLS["NCD_FACTOR"]("x", 0.0)
'#连续未出险年数 claim_free_years=x: 不是数字'
>>> CALLS["PREMIUM_BREAKDOWN"](150000.0, 30.0, 12.0, "经济", 2.0, 0.0)
(('#座位数 seats=12: 费率表 default 仅适用 2–9 座',),)
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Callable

from renewal_xl.readers import EXCEL_EPOCH
from renewal_xl.spreadsheet.worksheet import ARRAY_FUNCTIONS, FUNCTIONS, TABLE_ARG, cell_function

logger = logging.getLogger("renewal_xl.calc")


def uno_value(value: object) -> float | str:
    """A cell value (as :func:`renewal_xl.spreadsheet.cells.to_cell` returns it) as Calc takes it
    from an add-in: numbers as float (Calc shows an add-in's logical value as 0 and refuses
    64-bit integers, so TRUE/FALSE become 1/0), dates as serial numbers, blank as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dt.datetime):
        return (value - dt.datetime.combine(EXCEL_EPOCH, dt.time())).total_seconds() / 86400
    return value


def uno_rows(value: object) -> tuple[tuple[float | str, ...], ...]:
    """The result of an array function as Calc's 2-D sequence: rows of values; a single
    value (e.g. an error text) becomes a 1×1 array."""
    if not isinstance(value, (list, tuple)):
        return ((uno_value(value),),)
    return tuple(tuple(uno_value(v) for v in (row if isinstance(row, (list, tuple)) else [row])) for row in value)


def as_rows(value: object) -> list[list[object]]:
    """A ``table`` argument as rows: a range as it is, one cell as a 1×1 table."""
    if isinstance(value, (list, tuple)):
        return [list(row) if isinstance(row, (list, tuple)) else [row] for row in value]
    return [[value]]


def calc_function(body: Callable) -> Callable:
    """``body`` (a function of :mod:`renewal_xl.spreadsheet.worksheet`) as the add-in method: raw
    Calc arguments in, a float/str (or rows of them for an array function) out."""
    call = cell_function(body, logger)
    table = [i for i, name in enumerate(inspect.signature(body).parameters) if name == TABLE_ARG]
    array = body.__name__ in ARRAY_FUNCTIONS

    def method(*args):
        args = [as_rows(a) if i in table else a for i, a in enumerate(args)]
        result = call(*args)
        return uno_rows(result) if array else uno_value(result)

    method.__name__ = body.__name__
    method.__doc__ = body.__doc__
    return method


# plain name -> the method of the add-in
CALLS: dict[str, Callable] = {f.__name__: calc_function(f) for f in FUNCTIONS}

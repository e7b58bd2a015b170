"""Cell values in and out of a spreadsheet, for the worksheet functions and the macros
(Excel through xlwings, LibreOffice Calc through its add-in).

What xlwings hands a UDF (with ``err_to_str``): ``None`` for a blank cell, floats for
numbers, ``datetime`` for date-formatted cells, ``str`` (numbers stored as text, yes/no
words, ``"#N/A"`` for a cell error), ``bool``, and nested lists for a range. The core
readers (:mod:`renewal_xl.readers`) already accept text numbers, yes/no words, date text
and Excel serial numbers; here only what is Excel's own is handled: cell errors, a range
where one cell is expected, NaN and numpy scalars; and, as a register's text is read
(:mod:`renewal_xl.folding`), full-width digits, letters and signs typed by a Chinese input
method (``"１"``, ``"ａｇ００１"``, ``"车损＋三者：２０万"``).

>>> cell("seats", " 5 "), cell("seats", float("nan")), cell("seats", [[5.0]]), cell("seats", "５")
(' 5 ', None, 5.0, '5')
>>> cell("seats", "#N/A")
Traceback (most recent call last):
...
renewal_xl.errors.InputError: 座位数 seats=#N/A: 单元格为错误值
>>> to_cell(Decimal("3253.15")), error_text(InputError("seats", 12, "仅适用 2–9 座"))
(3253.15, '#座位数 seats=12: 仅适用 2–9 座')
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from decimal import Decimal

import numpy as np
import pandas as pd

from renewal_xl.errors import InputError, RenewalError
from renewal_xl.folding import fold
from renewal_xl.readers import CELL_ERROR, is_blank, is_excel_error

MAX_TEXT = 255  # longest message a function returns into a cell


def cell(field: str, value: object) -> object:
    """One argument as the core reads it: blank (None, NaN, empty text) → None, a
    one-cell range → its value, numpy scalars → Python values. A cell error or a range of
    several cells raises an :class:`InputError` naming ``field``."""
    kind = value.__class__
    if kind is float:  # what a cell mostly holds: the rule below, cut short
        return value if value == value else None
    if kind is int or kind is bool or value is None:
        return value
    if kind is not str:
        if isinstance(value, (list, tuple)):
            flat = [v for row in value for v in (row if isinstance(row, (list, tuple)) else [row])]
            if len(flat) != 1:
                raise InputError(field, f"{len(flat)} 个单元格", "须为单个单元格")
            value = flat[0]
        if isinstance(value, np.generic):
            value = value.item()
        if not isinstance(value, str):
            return None if is_blank(value) else value
    text, error = _text(value)  # type: ignore[arg-type]
    if error:
        raise InputError(field, text.strip(), CELL_ERROR)  # type: ignore[union-attr]
    return text


@functools.lru_cache(maxsize=4096)
def _text(value: str) -> tuple[str | None, bool]:
    """A text cell as :func:`cell` reads it (folded; None when blank) and whether it is a
    cell error. Channel names, yes/no words and codes repeat down a column, so each distinct
    text is folded once (a pure function of the text, kept for the last 4,096): full-width
    digits, letters and signs as a register's text is read (:mod:`renewal_xl.folding`)."""
    value = fold(value)
    if is_blank(value):
        return None, False
    return value, is_excel_error(value)


def as_rows(value: object) -> list[list]:
    """A range argument as a list of rows: one value is a one-cell range, a flat list one
    row (xlwings passes ``ndim=2`` ranges as lists of rows already).

    >>> as_rows(5), as_rows([1, 2]), as_rows([[1, 2], [3, 4]])
    ([[5]], [[1, 2]], [[1, 2], [3, 4]])
    """
    if not isinstance(value, (list, tuple)):
        return [[_folded(value)]]
    if not any(isinstance(r, (list, tuple)) for r in value):
        return [[_folded(v) for v in value]]
    return [[_folded(v) for v in r] if isinstance(r, (list, tuple)) else [_folded(r)] for r in value]


def _folded(value: object) -> object:
    return fold(value) if isinstance(value, str) else value


def to_cell(value: object) -> object:
    """A Python result as Excel shows it: Decimal money → float (the Decimal is already
    rounded to 0.01), dates → datetime, blanks (None, NaN, NaT) → None, an error → its
    ``#`` text; lists and tuples element by element."""
    if value.__class__ is Decimal:  # what a function mostly returns
        return float(value)
    if isinstance(value, (list, tuple)):
        return [to_cell(v) for v in value]
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    elif isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, RenewalError):
        return error_text(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def error_text(error: RenewalError) -> str:
    """The short cell text of a domain error: ``#`` and its message, at most 255 characters."""
    return short("#" + str(error))


def short(text: str) -> str:
    """``text`` cut to :data:`MAX_TEXT` characters (ending in … when cut)."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"

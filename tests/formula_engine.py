"""Recalculating template workbooks with an independent formula engine (the ``formulas``
package) in which our worksheet functions are registered: the same ``udfs`` functions
Excel calls, fed the cell values the engine hands over."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from openpyxl.utils import get_column_letter, range_boundaries

import udfs


def _plain(value):
    """A formulas argument as Excel would hand it to a UDF."""
    if hasattr(value, "value"):  # a Ranges object: a reference
        value = value.value
    if isinstance(value, np.ndarray):
        rows = [[_scalar(v) for v in row] for row in value.tolist()]
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows
    return _scalar(value)


def _scalar(v):
    import schedula
    from formulas.tokens.operand import XlError

    if v is schedula.EMPTY or (isinstance(v, str) and v == ""):
        return None
    if isinstance(v, XlError):
        return str(v)
    if isinstance(v, np.generic):
        return v.item()
    return v


def _register() -> None:
    import formulas

    functions = formulas.get_functions()
    for name in udfs.FUNCTIONS:
        udf = getattr(udfs, name)

        def call(*args, _udf=udf):
            result = _udf(*(_plain(a) for a in args))
            if isinstance(result, list):
                return np.array(result, dtype=object)
            return result

        functions[name] = call


def recalculate(path: Path) -> dict[tuple[str, str], object]:
    """Every computed cell of the workbook at ``path``: (sheet, 'A1') → value."""
    import formulas

    _register()
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    cells, ranges = {}, {}
    for key, value in solution.items():
        ref = str(key)
        if "!" not in ref:
            continue
        sheet = ref.split("]")[1].split("'")[0] if "]" in ref else ref.split("!")[0]
        area = ref.split("!")[1].replace("$", "").upper()
        values = value.value if hasattr(value, "value") else np.array([[value]], dtype=object)
        if ":" not in area:
            cells[(sheet.upper(), area)] = _scalar(values[0][0])
            continue
        if not area[0].isalpha() or not area[-1].isdigit():
            continue  # whole columns or rows
        min_col, min_row, _, _ = range_boundaries(area)
        for i, row in enumerate(np.asarray(values, dtype=object)):
            for j, v in enumerate(row):
                ranges[(sheet.upper(), f"{get_column_letter(min_col + j)}{min_row + i}")] = _scalar(v)
    return ranges | cells


def excel_serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days

"""The finance template's policies `手续费明细` read as a register, for ``statements``.

A finance clerk types one policy a row: 保单号 业务员 代理机构 渠道 是否续保 起保日期 保费
(:data:`renewal_xl.columns.FINANCE`); the computed columns (手续费率 手续费 绩效提取) are
not read, since ``statements`` computes them by the same rules the formulas call (and a
workbook never calculated, as openpyxl writes it, has no values in them). The sheet is
found by name; its header row like a register's (:func:`renewal_xl.io.register.find_header`).

A finance row has no VIN and no end date: each row stands for itself (its VIN is its policy
number, its end date its start date, so it renews nothing in the sheet) and its 是否续保 is
kept as column ``is_renewal``, which the statements read instead of the policy history.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from renewal_xl.columns import FINANCE, REGISTER
from renewal_xl.io.register import (
    EXCEL_SUFFIXES,
    FINANCE_SHEET,
    REGISTER_SHEET,
    Register,
    open_workbook,
    read_rows,
    tidy,
)


def is_finance_workbook(path: Path) -> bool:
    """True for a workbook with a 手续费明细 sheet and no 保单台账 (the finance template)."""
    if Path(path).suffix.lower() not in EXCEL_SUFFIXES or not Path(path).is_file():
        return False
    names = open_workbook(path)[0].sheet_names
    return FINANCE_SHEET in names and REGISTER_SHEET not in names


def read_finance(path: Path) -> Register:
    """The 手续费明细 sheet of ``path`` as a canonical :class:`Register` (every register
    column present, ``vin`` = ``policy_no``, ``end_date`` = ``start_date``) with ``is_renewal``;
    the register columns the sheet does not have are listed in ``added_columns``."""
    raw = read_rows(Path(path), FINANCE_SHEET, first_sheet=False, columns=FINANCE)
    read = tidy(raw, FINANCE, tuple(FINANCE), raw.origin)
    frame = read.frame.assign(vin=read.frame["policy_no"], end_date=read.frame["start_date"])
    added = [key for key in REGISTER if key not in frame.columns]
    for key in added:
        frame[key] = pd.Series(None, index=frame.index, dtype=object)
    return replace(read, frame=frame, added_columns=(*read.added_columns, *added))

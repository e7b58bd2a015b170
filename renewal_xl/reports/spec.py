"""What a report writes: sheets of tables with formats and charts, independent of any
workbook library, so the openpyxl and the xlwings implementations render the same thing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

LIST_FORMULA_MAX = 255  # characters Excel accepts in a typed-in validation list ("a,b,c")
ERROR_TITLE_MAX = 32  # characters of a validation's error title (Excel)
ERROR_TEXT_MAX = 255  # characters of a validation's error message (Excel)


@dataclass(frozen=True)
class Validation:
    """What a person may type into a column's data cells: one of ``choices`` (a drop-down
    list) or, with ``dates``, a date from ``dates[0]`` to ``dates[1]`` inclusive. Blank is
    always allowed. ``error`` (under ``title``) is the Chinese message shown for anything else.

    Excel limits the typed-in list to :data:`LIST_FORMULA_MAX` characters (commas
    included, quotes not) and a choice cannot hold a comma: both are refused here, so no
    renderer writes a list Excel would repair away.

    >>> Validation(choices=("已续保", "未续保", "跟进中")).list_formula()
    '"已续保,未续保,跟进中"'
    """

    choices: tuple[str, ...] = ()
    dates: tuple[dt.date, dt.date] | None = None
    error: str = ""
    title: str = "输入有误"

    def __post_init__(self):
        if bool(self.choices) == (self.dates is not None):
            raise ValueError("a validation is either a list of choices or a date range")
        if any("," in c or '"' in c for c in self.choices):
            raise ValueError(f"a choice cannot hold a comma or a quote: {self.choices}")
        if len(",".join(self.choices)) > LIST_FORMULA_MAX:
            raise ValueError(f"validation list longer than {LIST_FORMULA_MAX} characters: {self.choices}")
        if len(self.error) > ERROR_TEXT_MAX or len(self.title) > ERROR_TITLE_MAX:
            raise ValueError(f"validation title or message too long: {self.title} {self.error}")

    def list_formula(self) -> str:
        """The list as Excel's ``formula1``: the choices in double quotes, comma-separated."""
        return '"' + ",".join(self.choices) + '"'


@dataclass
class Table:
    """A block of rows under one header row. ``frame`` columns are the Chinese headers;
    ``formats`` maps a header to an Excel number format (``#,##0.00``, ``0.0%``,
    ``yyyy-mm-dd``, ``@`` for text); ``validations`` maps a header to the
    :class:`Validation` of its data cells (follow-up columns people fill in)."""

    frame: pd.DataFrame
    title: str | None = None
    formats: dict[str, str] = field(default_factory=dict)
    validations: dict[str, Validation] = field(default_factory=dict)
    total: bool = False
    """The last row is a total (合计) row, drawn bold."""
    wrap: dict[str, float] = field(default_factory=dict)
    """Headers whose text wraps, with their column width (Excel character units)."""


@dataclass
class Chart:
    """A chart over one table of the same sheet: categories and values are headers."""

    kind: Literal["bar", "pie"]
    title: str
    table: int
    categories: str
    values: str


@dataclass(frozen=True)
class Page:
    """How a sheet prints (A4, one page wide when it is legible so, else several pages wide;
    see :mod:`renewal_xl.reports.printing`).

    ``landscape`` turns the page; ``break_rows`` puts a page break after every data row of
    the first table (one customer's notice a page); ``repeat_columns`` leading columns (the
    identity of a row: 保单号, 客户名称) print on every page of a sheet several pages wide."""

    landscape: bool = True
    break_rows: bool = False
    repeat_columns: int = 0


@dataclass
class Sheet:
    """One worksheet: summary lines on top, then tables stacked with a blank row between.
    The first table's header row is frozen and filtered when ``freeze`` is set, and then
    repeats on every printed page; a sheet of stacked tables without ``freeze`` keeps its
    title line frozen instead (:func:`~renewal_xl.reports.layout.frozen_rows`). ``title`` heads every printed page (default: the first
    note, else the sheet name)."""

    name: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    freeze: bool = True
    page: Page = field(default_factory=Page)
    title: str | None = None


@dataclass
class Report:
    sheets: list[Sheet]

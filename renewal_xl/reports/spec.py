"""What a report writes: sheets of tables with formats and charts, independent of any
workbook library, so the openpyxl and the xlwings implementations render the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd


@dataclass
class Table:
    """A block of rows under one header row. ``frame`` columns are the Chinese headers;
    ``formats`` maps a header to an Excel number format (``#,##0.00``, ``0.0%``,
    ``yyyy-mm-dd``, ``@`` for text)."""

    frame: pd.DataFrame
    title: str | None = None
    formats: dict[str, str] = field(default_factory=dict)
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
    """How a sheet prints (A4, fit to one page wide; see :mod:`renewal_xl.reports.printing`).

    ``landscape`` turns the page; ``break_rows`` puts a page break after every data row of
    the first table (one customer's notice a page)."""

    landscape: bool = True
    break_rows: bool = False


@dataclass
class Sheet:
    """One worksheet: summary lines on top, then tables stacked with a blank row between.
    The first table's header row is frozen and filtered when ``freeze`` is set, and then
    repeats on every printed page. ``title`` heads every printed page (default: the first
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

"""The workbook interface, and the rule that protects users' sheets (excel-contract §2).

A sheet the add-in writes carries a marker (a sheet-scoped defined name
:data:`MARKER_NAME`). :func:`place_report` replaces a sheet of the report's name only when
it carries the marker; a sheet the user made keeps its name and content, and the report
sheet goes to a new name (``续保清单(2)``), which the returned messages tell the user; a
numbered sheet that carries the marker from an earlier run is reused.
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from renewal_xl.reports.names import numbered_names, unique_sheet_name
from renewal_xl.reports.spec import Report

MARKER_NAME = "RenewalXL_Generated"


class Book(Protocol):
    """A workbook that macros read from and write report sheets into."""

    def sheet_names(self) -> list[str]:
        """Names of all worksheets, in order."""

    def read_frame(self, name: str) -> pd.DataFrame:
        """The sheet's used range: first row as headers, cell values as they are."""

    def has_marker(self, name: str) -> bool:
        """True when the sheet was written by renewal-xl (carries the marker)."""

    def write_sheet(self, sheet, replace: bool) -> None:
        """Write a :class:`~renewal_xl.reports.spec.Sheet` (with the marker), replacing
        the sheet of that name when ``replace`` is set."""

    def append_rows(self, name: str, rows: list[dict[str, object]]) -> None:
        """Add ``rows`` below the last row holding a value of the sheet ``name`` (a user's
        table, header in row 1), each value under the header named by its key; a header the
        sheet lacks is added right of the last header. Cells already there are never changed."""


def place_report(book: Book, report: Report) -> list[str]:
    """Write every sheet of ``report`` into ``book`` without touching a user's sheet.

    Returns one Chinese message per sheet that had to go to a new name.
    """
    messages = []
    for sheet in report.sheets:
        names = book.sheet_names()
        if sheet.name in names and not book.has_marker(sheet.name):
            # a numbered sheet this add-in wrote on an earlier run is reused, not multiplied
            earlier = [n for n in numbered_names(sheet.name, names) if book.has_marker(n)]
            new = earlier[0] if earlier else unique_sheet_name(sheet.name, names)
            messages.append(f"工作表 {sheet.name} 是用户创建的, 未覆盖; 结果写入 {new}")
            sheet.name = new
            book.write_sheet(sheet, replace=bool(earlier))
        else:
            book.write_sheet(sheet, replace=sheet.name in names)
    return messages

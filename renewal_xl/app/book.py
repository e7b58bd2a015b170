"""The workbook interface, and the rule that protects users' sheets (excel-contract §2).

A sheet the add-in writes carries a marker (a sheet-scoped defined name
:data:`MARKER_NAME`). :func:`place_report` replaces a sheet of the report's name only when
it carries the marker; a sheet the user made keeps its name and content, and the report
sheet goes to a new name (``续保清单(2)``), which the returned messages tell the user; a
numbered sheet that carries the marker from an earlier run is reused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace as replace_field
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


def append_columns(header: list[object], keys: Iterable[str]) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """For :meth:`Book.append_rows`: the 1-based column of every key under a header row
    (cells as read; blanks and surrounding spaces ignored), and the ``(column, header)``
    cells to add right of the last header for the keys the row lacks.

    >>> append_columns(["保单号", " 跟进状态 ", None], ["跟进状态", "联系日期"])
    ({'保单号': 1, '跟进状态': 2, '联系日期': 3}, [(3, '联系日期')])
    """
    texts = ["" if h is None else str(h).strip() for h in header]
    while texts and not texts[-1]:
        texts.pop()
    columns = {h: j for j, h in enumerate(texts, start=1) if h}
    added: list[tuple[int, str]] = []
    for key in dict.fromkeys(keys):
        if key not in columns:
            columns[key] = len(texts) + len(added) + 1
            added.append((columns[key], key))
    return columns, added


def place_report(book: Book, report: Report) -> list[str]:
    """Write every sheet of ``report`` into ``book`` without touching a user's sheet.

    Returns one Chinese message per sheet that had to go to a new name; ``report`` itself is
    left as it was (a renamed sheet is written as a copy).
    """
    messages = []
    for sheet in report.sheets:
        names = book.sheet_names()
        if sheet.name in names and not book.has_marker(sheet.name):
            # a numbered sheet this add-in wrote on an earlier run is reused, not multiplied
            earlier = [n for n in numbered_names(sheet.name, names) if book.has_marker(n)]
            new = earlier[0] if earlier else unique_sheet_name(sheet.name, names)
            messages.append(f"工作表 {sheet.name} 是用户创建的, 未覆盖; 结果写入 {new}")
            book.write_sheet(replace_field(sheet, name=new), replace=bool(earlier))
        else:
            book.write_sheet(sheet, replace=sheet.name in names)
    return messages

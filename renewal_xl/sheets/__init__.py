"""The one small sheet interface that macros and the command line read and write through.

:mod:`renewal_xl.sheets.report` describes what to write (sheets of titled tables with
number formats and charts), :mod:`renewal_xl.sheets.book` is the interface a workbook
implementation offers (openpyxl here; xlwings in ``udfs``), and :func:`place_report`
applies the rule that a user's sheet is never overwritten.
"""

from renewal_xl.sheets.book import MARKER_NAME, Book, place_report
from renewal_xl.sheets.report import Chart, Report, Sheet, Table

__all__ = ["MARKER_NAME", "Book", "Chart", "Report", "Sheet", "Table", "place_report"]

"""openpyxl rendering of :class:`~renewal_xl.reports.spec.Report`: a :class:`Book` over an
existing workbook file (macros without Excel, tests) and a fast writer of a whole report
to a new .xlsx (the command line, write-only mode).

A rendered sheet has its notes on top, each table under an optional bold title with a
bold, shaded header row, number formats per column, column widths from the content, the
first table's header frozen and filtered (``Sheet.freeze``), the charts to the right of
the tables, data validations (drop-downs) on the columns a table asks for, and the marker (sheet-scoped defined name :data:`MARKER_NAME`). Text follows
:mod:`renewal_xl.io.text`: formula-like text (starting with ``=``, ``+``, ``-``,
``@``, tab or CR) and error-like text (``#N/A``) is written as a text cell with Excel's
quote prefix, never as a formula or an error; characters a cell cannot hold are replaced.

Limits of the :class:`OpenpyxlBook`: openpyxl rewrites the whole file on save and does
not keep everything Excel can hold (pivot caches, form controls, some chart formatting);
the other sheets keep their cells, styles and defined names. In Excel, the xlwings Book
of the add-in is used instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from copy import copy
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from renewal_xl.app.book import MARKER_NAME, append_columns
from renewal_xl.io.atomic import atomic_path
from renewal_xl.io.text import cell_text, needs_quote
from renewal_xl.io.values import cell_values
from renewal_xl.reports.layout import Block, column_widths, layout
from renewal_xl.reports.spec import Chart, Sheet, Table

MARKER_VALUE = '"renewal-xl"'
TITLE_FONT = Font(bold=True, size=12)
NOTE_FONT = Font(bold=True)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CHART_ROWS = 18  # rows between stacked charts


def render(ws, sheet: Sheet) -> None:
    """Write ``sheet`` into the empty worksheet ``ws``, with the add-in's marker."""
    placed = layout(sheet)
    for k, width in enumerate(column_widths(sheet), start=1):
        ws.column_dimensions[get_column_letter(k)].width = width
    if sheet.freeze and placed:
        p = placed[0]
        ws.freeze_panes = f"A{p.header_row + 1}"
        if p.columns:
            ws.auto_filter.ref = f"A{p.header_row}:{get_column_letter(len(p.columns))}{p.last_row}"
    chart_col = get_column_letter(max((len(p.columns) for p in placed), default=0) + 2)
    for k, spec in enumerate(c for c in sheet.charts if len(placed[c.table].table.frame)):
        ws.add_chart(_chart(ws, spec, placed[spec.table]), f"{chart_col}{1 + k * CHART_ROWS}")
    for k, note in enumerate(sheet.notes):
        ws.append([_styled(ws, note, font=NOTE_FONT) if k == 0 else _text(ws, note)])
    if sheet.notes:
        ws.append([])
    for k, p in enumerate(placed):
        if p.title_row:
            ws.append([_styled(ws, p.table.title, font=TITLE_FONT)])
        ws.append([_styled(ws, str(h), font=HEADER_FONT, fill=HEADER_FILL) for h in p.table.frame.columns])
        for values in _rows(ws, p.table):
            ws.append(values)
        if k < len(placed) - 1:
            ws.append([])
    for p in placed:
        _validate(ws, p)
    ws.defined_names[MARKER_NAME] = DefinedName(MARKER_NAME, attr_text=MARKER_VALUE)


def _validate(ws, p: Block) -> None:
    """The data validations of a table on its data rows (none on an empty table). A date
    rule's bounds are Excel serial numbers, as the file format stores them."""
    if p.last_row == p.header_row:
        return
    for header, rule in p.table.validations.items():
        if rule.dates:
            low, high = (str(int(to_excel(d))) for d in rule.dates)
            dv = DataValidation(type="date", operator="between", formula1=low, formula2=high)
        else:
            dv = DataValidation(type="list", formula1=rule.list_formula())
        dv.allow_blank = dv.showErrorMessage = True
        dv.errorTitle, dv.error = rule.title, rule.error
        col = get_column_letter(p.column(header))
        dv.add(f"{col}{p.first_row}:{col}{p.last_row}")
        ws.add_data_validation(dv)


def _chart(ws, spec: Chart, p: Block):
    cat_col = p.column(spec.categories)
    val_col = p.column(spec.values)
    data = Reference(ws, min_col=val_col, min_row=p.header_row, max_row=p.last_row)
    categories = Reference(ws, min_col=cat_col, min_row=p.first_row, max_row=p.last_row)
    if spec.kind == "pie":
        chart = PieChart()
        chart.dataLabels = DataLabelList()
        chart.dataLabels.showPercent = True
    else:
        chart = BarChart()
        chart.type = "col"
        chart.legend = None
        fmt = p.table.formats.get(spec.values)
        if fmt:
            chart.y_axis.number_format = fmt
        chart.y_axis.title = spec.values
    chart.title = spec.title
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    chart.width, chart.height = 18, 9
    return chart


def _text(ws, value: str) -> object:
    """A text value, as a text cell with quote prefix when Excel could read it as a formula."""
    value = cell_text(value)
    return _styled(ws, value) if needs_quote(value) else value


def _styled(ws, value, *, font: Font | None = None, fill: PatternFill | None = None, fmt: str | None = None) -> Cell:
    if isinstance(value, str):
        value = cell_text(value)
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str) and needs_quote(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if fmt is not None:
        cell.number_format = fmt
    return cell


def _column_cells(ws, values: np.ndarray, fmt: str | None, filled_in: bool = False) -> list:
    """One column's cells: formatted numbers and dates as styled cells sharing one style,
    risky text as text cells, everything else as plain values; blanks of a column people
    fill in (``filled_in``) keep the format too."""
    py = cell_values(values)
    if fmt is not None and fmt != "@":
        proto = _styled(ws, None, fmt=fmt)._style
        cells = []
        for v in py:
            if (v is None and not filled_in) or isinstance(v, str):
                cells.append(_text(ws, v) if isinstance(v, str) else None)
                continue
            cell = WriteOnlyCell(ws, v)
            cell._style = copy(proto)
            cells.append(cell)
        return cells
    return [_text(ws, v) if isinstance(v, str) else v for v in py]


def _rows(ws, table: Table) -> Iterator[list]:
    columns = [
        _column_cells(ws, table.frame[h].to_numpy(), table.formats.get(str(h)), h in table.validations)
        for h in table.frame.columns
    ]
    return (list(r) for r in zip(*columns))


class OpenpyxlBook:
    """:class:`~renewal_xl.app.book.Book` over a workbook file, saved with :meth:`save`.

    Sheets are read from the file as last saved (cached values, via python-calamine), so a
    formula cell reads as its value; a sheet added since is read from memory.
    """

    def __init__(self, path: Path):
        from renewal_xl.io.safety import check_file

        self.path = Path(path)
        self.warnings = check_file(self.path)  # hostile or oversized files are refused here
        self.workbook = openpyxl.load_workbook(self.path, keep_vba=self.path.suffix.lower() == ".xlsm")
        self._saved_names = set(self.workbook.sheetnames)

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def read_frame(self, name: str) -> pd.DataFrame:
        if name in self._saved_names:
            from renewal_xl.io.register import read_rows

            return read_rows(self.path, name, first_sheet=False)[0]
        rows = list(self.workbook[name].iter_rows(values_only=True))
        if not rows:
            return pd.DataFrame()
        return pd.DataFrame(rows[1:], columns=["" if h is None else str(h) for h in rows[0]], dtype=object)

    def has_marker(self, name: str) -> bool:
        return MARKER_NAME in self.workbook[name].defined_names

    def write_sheet(self, sheet: Sheet, replace: bool) -> None:
        if replace:
            index = self.workbook.sheetnames.index(sheet.name)
            self.workbook.remove(self.workbook[sheet.name])
            ws = self.workbook.create_sheet(sheet.name, index)
        else:
            ws = self.workbook.create_sheet(sheet.name)
        render(ws, sheet)

    def append_rows(self, name: str, rows: list[dict[str, object]]) -> None:
        ws = self.workbook[name]
        filled = [
            r for r, row in enumerate(ws.iter_rows(values_only=True), start=1) if any(v not in (None, "") for v in row)
        ]
        header = [c.value for c in ws[1]] if filled else []
        columns, added = append_columns(header, (k for row in rows for k in row))
        for j, text in added:
            ws.cell(1, j).value = text
        for i, row in enumerate(rows, start=max(filled, default=1) + 1):
            for key, value in row.items():
                if value is None:
                    continue
                cell = ws.cell(i, columns[key])
                cell.value = cell_text(value) if isinstance(value, str) else value
                if isinstance(value, str) and needs_quote(cell.value):
                    cell.data_type, cell.quotePrefix = "s", True
                elif isinstance(value, (dt.date, dt.datetime)):
                    cell.number_format = "yyyy-mm-dd"

    def save(self, path: Path | None = None) -> None:
        """Save atomically to ``path`` (default: the file it was opened from)."""
        with atomic_path(Path(path or self.path)) as temp:
            self.workbook.save(temp)

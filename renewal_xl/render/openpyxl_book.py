"""openpyxl rendering of :class:`~renewal_xl.reports.spec.Report`: a :class:`Book` over an
existing workbook file (macros without Excel, tests) and a fast writer of a whole report
to a new .xlsx (the command line, write-only mode).

A rendered sheet has its notes on top, each table under an optional bold title with a
bold, shaded header row, number formats per column, column widths from the content, bold
total rows, wrapped columns, the first table's header frozen and filtered
(``Sheet.freeze``), the charts beside their tables, data validations (drop-downs) on the
columns a table asks for, the page setup of :mod:`renewal_xl.reports.printing` (the look:
:mod:`renewal_xl.reports.style`), and the marker (sheet-scoped defined name :data:`MARKER_NAME`). Text follows
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
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.properties import PageSetupProperties

from renewal_xl.app.book import MARKER_NAME, append_columns
from renewal_xl.io.atomic import atomic_path
from renewal_xl.io.text import cell_text, needs_quote
from renewal_xl.io.values import cell_values
from renewal_xl.reports import style
from renewal_xl.reports.layout import (
    Block,
    chart_anchors,
    column_widths,
    file_width,
    frozen_rows,
    header_height,
    layout,
    row_heights,
)
from renewal_xl.reports.printing import PrintPlan, print_plan
from renewal_xl.reports.spec import Chart, Sheet, Table

TITLE_FONT = Font(bold=True, size=style.TITLE_SIZE)
NOTE_FONT = Font(bold=True)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FF" + style.HEADER_FILL)  # opaque, as XlsxWriter writes it
WRAP = Alignment(wrap_text=True, vertical="top")  # wrapped columns and header rows
TOP = Alignment(vertical="top")


def render(ws, sheet: Sheet) -> None:
    """Write ``sheet`` into the empty worksheet ``ws``, with the add-in's marker."""
    placed = layout(sheet)
    widths = column_widths(sheet)
    for k, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = file_width(width)
    if frozen := frozen_rows(sheet):
        ws.freeze_panes = f"A{frozen + 1}"
    if sheet.freeze and placed:
        p = placed[0]
        if p.columns:
            ws.auto_filter.ref = f"A{p.header_row}:{get_column_letter(len(p.columns))}{p.last_row}"
    for spec, row, col in chart_anchors(sheet):
        ws.add_chart(_chart(ws, spec, placed[spec.table]), f"{get_column_letter(col)}{row}")
    page_setup(ws, sheet)
    for k, note in enumerate(sheet.notes):
        ws.append([_styled(ws, note, font=NOTE_FONT) if k == 0 else _text(ws, note)])
    if sheet.notes:
        ws.append([])
    for k, p in enumerate(placed):
        if p.title_row:
            ws.append([_styled(ws, p.table.title, font=TITLE_FONT)])
        height = header_height(p, widths)
        if height:
            ws.row_dimensions[p.header_row].height = height
        ws.append([_styled(ws, str(h), font=BOLD, fill=HEADER_FILL, alignment=WRAP) for h in p.table.frame.columns])
        for values in _styled_rows(ws, p):
            ws.append(values)
        if k < len(placed) - 1:
            ws.append([])
    for p in placed:
        _validate(ws, p)
    ws.defined_names[MARKER_NAME] = DefinedName(MARKER_NAME, attr_text=style.MARKER_VALUE)


def page_setup(ws, sheet: Sheet) -> None:
    """The sheet's print plan (:func:`renewal_xl.reports.printing.print_plan`)."""
    apply_plan(ws, print_plan(sheet))


def apply_plan(ws, plan: PrintPlan) -> None:
    """Page setup, print titles, header, footer and page breaks of ``plan`` on ``ws``."""
    ws.page_setup.paperSize = plan.paper
    ws.page_setup.orientation = "landscape" if plan.landscape else "portrait"
    if plan.scale:
        ws.page_setup.scale = plan.scale
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    else:
        ws.page_setup.fitToWidth = plan.fit_width
        ws.page_setup.fitToHeight = plan.fit_height
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(*plan.margins)
    for part, sections in ((ws.oddHeader, plan.header), (ws.oddFooter, plan.footer)):
        for key, text in sections.items():
            getattr(part, {"L": "left", "C": "center", "R": "right"}[key]).text = text
    if plan.title_rows:
        ws.print_title_rows = f"{plan.title_rows[0]}:{plan.title_rows[1]}"
    if plan.title_columns:
        first, last = (get_column_letter(c) for c in plan.title_columns)
        ws.print_title_cols = f"{first}:{last}"
    if plan.breaks:
        ws.row_breaks = RowBreak(brk=[Break(id=r) for r in plan.breaks])


def _styled_rows(ws, p: Block) -> Iterator[list]:
    """The rows of a table with its row heights set first (write-only sheets write a row
    as it is appended): the total row bold; in a table with wrapped text every cell
    aligned to the top, the wrapped columns wrapping."""
    for row, height in row_heights(p).items():
        ws.row_dimensions[row].height = height
    wrapped = {p.column(h) - 1 for h in p.table.wrap if h in p.columns}
    last = len(p.table.frame) - 1
    for i, values in enumerate(_rows(ws, p.table)):
        total = p.table.total and i == last
        if total or p.table.wrap:
            values = [
                _restyle(ws, v, total, (WRAP if j in wrapped else TOP) if p.table.wrap else None)
                for j, v in enumerate(values)
            ]
        yield values


def _restyle(ws, value, bold: bool, alignment: Alignment | None):
    """``value`` (a cell or a plain value) bold and/or aligned; an empty cell stays empty."""
    if value is None:
        return None
    cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value)
    if bold:
        cell.font = BOLD
    if alignment is not None:
        cell.alignment = alignment
    return cell


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
    chart.width, chart.height = style.chart_size_cm()
    return chart


def _text(ws, value: str) -> object:
    """A text value, as a text cell with quote prefix when Excel could read it as a formula."""
    value = cell_text(value)
    return _styled(ws, value) if needs_quote(value) else value


def _styled(
    ws,
    value,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    fmt: str | None = None,
    alignment: Alignment | None = None,
) -> Cell:
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
    if alignment is not None:
        cell.alignment = alignment
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

            return read_rows(self.path, name, first_sheet=False).frame
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

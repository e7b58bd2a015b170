"""Writing a whole :class:`~renewal_xl.reports.spec.Report` to a new .xlsx, fast.

The command line and the demo write new workbooks of up to 10^6 rows; XlsxWriter in
constant-memory mode writes them about twice as fast as openpyxl's write-only mode, with
flat memory. The result looks as the openpyxl rendering of
:mod:`renewal_xl.io.openpyxl_book` (used to edit existing workbooks): notes on top,
each table under an optional bold title with a bold shaded header, number formats per
column, column widths from :mod:`renewal_xl.reports.layout`, the first table's header
frozen and filtered, charts to the right, the marker name. Text is always written as text
(``write_string``), so register text starting with ``=``, ``+``, ``-`` or ``@`` can never
become a formula; such text and error-like text get Excel's quote prefix, and characters a
cell cannot hold are replaced (:mod:`renewal_xl.io.text`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import xlsxwriter
import xlsxwriter.exceptions
from xlsxwriter.utility import xl_rowcol_to_cell

from renewal_xl.app.book import MARKER_NAME
from renewal_xl.io.atomic import atomic_path
from renewal_xl.io.text import cell_text, needs_quote
from renewal_xl.io.values import cell_values
from renewal_xl.reports.layout import Block, column_widths, layout
from renewal_xl.reports.spec import Chart, Report, Sheet

Progress = Callable[[int], None]
HEADER_FILL = "#DDEBF7"
CHART_ROWS = 18  # rows between stacked charts
STEP = 5000  # rows between progress updates
MARKER_VALUE = '="renewal-xl"'
DATE_FORMATS = {
    dt.date: "yyyy-mm-dd",
    dt.datetime: "yyyy-mm-dd hh:mm:ss",
    dt.time: "hh:mm:ss",
    dt.timedelta: "[h]:mm:ss",
}


def write_report(report: Report, path: Path, advance: Progress | None = None, marker: bool = True) -> None:
    """Write ``report`` to a new workbook at ``path`` (atomically). ``marker`` off writes
    plain data sheets (e.g. a register), not add-in output."""
    with atomic_path(Path(path)) as temp:
        book = xlsxwriter.Workbook(
            str(temp),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        styles = _Styles(book)
        for sheet in report.sheets:
            _render(book, book.add_worksheet(sheet.name), sheet, styles, advance)
            if marker:
                _mark(book, sheet.name)
        close(book)


def close(book) -> None:
    """Close (write) an XlsxWriter workbook; a file that cannot be created (disk full, no
    permission) raises the OSError behind XlsxWriter's ``FileCreateError``, which the
    command line reports as one line."""
    try:
        book.close()
    except xlsxwriter.exceptions.FileCreateError as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
        raise cause from exc


def _mark(book, name: str) -> None:
    """The sheet-scoped marker name. XlsxWriter's ``define_name`` parses ``'Sheet'!Name``
    and fails on sheet names holding ``!`` or ``'`` (both allowed in Excel, and salesperson
    names reach sheet names), so the entry goes into its list of names directly, in the form
    ``define_name`` itself stores (tests check the marker of such sheets)."""
    index = next(i for i, ws in enumerate(book.worksheets()) if ws.name == name)
    book.defined_names.append([MARKER_NAME, index, MARKER_VALUE.lstrip("="), False])


def report_rows(report: Report) -> int:
    """Data rows of all tables of ``report`` (for a progress bar)."""
    return sum(len(t.frame) for s in report.sheets for t in s.tables)


class _Styles:
    """One XlsxWriter format per distinct look, created on first use."""

    def __init__(self, book):
        self.book = book
        looks = {
            "note": {"bold": True},
            "title": {"bold": True, "font_size": 12},
            "header": {"bold": True, "bg_color": HEADER_FILL, "pattern": 1},
        }
        self._looks = {
            (name, quoted): book.add_format({**look, "quote_prefix": quoted})
            for name, look in looks.items()
            for quoted in (False, True)
        }
        self._numbers: dict[tuple[str | None, bool], object] = {}

    def look(self, name: str, text: str):
        """The note, title or header format for ``text`` (quote prefix when it needs one)."""
        return self._looks[(name, needs_quote(text))]

    def number(self, fmt: str | None, quoted: bool = False):
        """The format of a column's cells; ``quoted`` adds Excel's quote prefix, which keeps
        text such as ``=1+1`` text even when a user edits the cell."""
        if fmt is None and not quoted:
            return None
        key = (fmt, quoted)
        if key not in self._numbers:
            self._numbers[key] = self.book.add_format({"num_format": fmt or "General", "quote_prefix": quoted})
        return self._numbers[key]


def _render(book, ws, sheet: Sheet, styles: _Styles, advance: Progress | None) -> None:
    blocks = layout(sheet)
    for k, width in enumerate(column_widths(sheet)):
        ws.set_column(k, k, width)
    if sheet.freeze and blocks:
        first = blocks[0]
        ws.freeze_panes(first.header_row, 0)
        if first.columns:
            ws.autofilter(first.header_row - 1, 0, first.last_row - 1, len(first.columns) - 1)
    for k, note in enumerate(sheet.notes):
        note = cell_text(note)
        ws.write_string(k, 0, note, styles.look("note", note) if k == 0 else styles.number(None, needs_quote(note)))
    chart_col = max((len(b.columns) for b in blocks), default=0) + 1
    charts = [c for c in sheet.charts if len(blocks[c.table].table.frame)]
    for k, spec in enumerate(charts):
        ws.insert_chart(k * CHART_ROWS, chart_col, _chart(book, ws.name, spec, blocks[spec.table]))
    for block in blocks:
        if block.title_row:
            title = cell_text(block.table.title)
            ws.write_string(block.title_row - 1, 0, title, styles.look("title", title))
        for j, header in enumerate(block.columns):
            header = cell_text(header)
            ws.write_string(block.header_row - 1, j, header, styles.look("header", header))
        _write_rows(ws, block, styles, advance)


def _write_rows(ws, block: Block, styles: _Styles, advance: Progress | None) -> None:
    frame = block.table.frame
    formats = [block.table.formats.get(str(h)) for h in frame.columns]
    columns = [(cell_values(frame.iloc[:, j].to_numpy()), styles.number(formats[j])) for j in range(len(formats))]
    row = block.first_row - 1
    for i in range(len(frame)):
        for j, (values, fmt) in enumerate(columns):
            v = values[i]
            if v is None:
                continue
            if isinstance(v, str):
                v = cell_text(v)
                ws.write_string(row, j, v, styles.number(formats[j], True) if needs_quote(v) else fmt)
            elif isinstance(v, bool):
                ws.write_boolean(row, j, v, fmt)
            elif isinstance(v, (dt.date, dt.time, dt.timedelta)):
                ws.write_datetime(row, j, v, fmt or styles.number(DATE_FORMATS[type(v)]))
            else:
                ws.write_number(row, j, float(v), fmt)
        row += 1
        if advance and (i + 1) % STEP == 0:
            advance(STEP)
    if advance:
        advance(len(frame) % STEP)


def _chart(book, sheet_name: str, spec: Chart, block: Block):
    cat = block.column(spec.categories) - 1
    val = block.column(spec.values) - 1
    first, last = block.first_row - 1, block.last_row - 1
    chart = book.add_chart({"type": "pie" if spec.kind == "pie" else "column"})
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    series = {
        "name": f"={quoted}!{xl_rowcol_to_cell(block.header_row - 1, val, True, True)}",
        "categories": [sheet_name, first, cat, last, cat],
        "values": [sheet_name, first, val, last, val],
    }
    if spec.kind == "pie":
        series["data_labels"] = {"percentage": True}
    chart.add_series(series)
    chart.set_title({"name": spec.title})
    if spec.kind != "pie":
        chart.set_legend({"none": True})
        chart.set_y_axis({"name": spec.values, "num_format": block.table.formats.get(spec.values, "General")})
    chart.set_size({"width": 640, "height": 320})
    return chart

"""Writing a whole :class:`~renewal_xl.reports.spec.Report` to a new .xlsx, fast.

The command line and the demo write new workbooks of up to 10^6 rows; XlsxWriter in
constant-memory mode writes them about twice as fast as openpyxl's write-only mode, with
flat memory. The result looks as the openpyxl rendering of
:mod:`renewal_xl.render.openpyxl_book` (used to edit existing workbooks): notes on top,
each table under an optional bold title with a bold shaded header, number formats per
column, column widths from :mod:`renewal_xl.reports.layout`, the first table's header
frozen and filtered, bold total rows, wrapped columns, charts beside their tables, data
validations (drop-downs) on the columns a table asks for, the page setup of
:mod:`renewal_xl.reports.printing`, the marker name; the look is
:mod:`renewal_xl.reports.style`. Text is always written as text
(``write_string``), so register text starting with ``=``, ``+``, ``-`` or ``@`` can never
become a formula; such text and error-like text get Excel's quote prefix, and characters a
cell cannot hold are replaced (:mod:`renewal_xl.io.text`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import xlsxwriter
import xlsxwriter.exceptions
from xlsxwriter.utility import xl_rowcol_to_cell

from renewal_xl.app.book import MARKER_NAME
from renewal_xl.io.atomic import atomic_path
from renewal_xl.io.text import cell_text, needs_quote
from renewal_xl.io.values import cell_values
from renewal_xl.render import arrow_writer, jet_writer
from renewal_xl.reports import style
from renewal_xl.reports.layout import (
    Block,
    chart_anchors,
    column_widths,
    frozen_rows,
    header_height,
    layout,
    row_heights,
)
from renewal_xl.reports.printing import page_steps
from renewal_xl.reports.spec import Chart, Report, Sheet

Progress = Callable[[int], None]
STEP = 5000  # rows between progress updates
WRITER_SETTING = "RENEWAL_XL_WRITER"
DATE_FORMATS = {
    dt.date: "yyyy-mm-dd",
    dt.datetime: "yyyy-mm-dd hh:mm:ss",
    dt.time: "hh:mm:ss",
    dt.timedelta: "[h]:mm:ss",
}


def write_report(
    report: Report, path: Path, advance: Progress | None = None, marker: bool = True, *, engine: str | None = None
) -> None:
    """Write ``report`` to a new workbook at ``path`` (atomically). ``marker`` off writes
    plain data sheets (e.g. a register), not add-in output. ``engine`` is ``"jetxl"``
    (:mod:`renewal_xl.render.jet_writer`, which leaves a report whose columns it cannot hold
    to the rust writer), ``"rust"`` (:mod:`renewal_xl.render.arrow_writer`) or ``"xlsxwriter"``;
    by default :func:`engine_for`."""
    engine = engine or engine_for(report)
    mark = (MARKER_NAME if marker else "", "=" + style.MARKER_VALUE)
    if engine == "jetxl" and jet_writer.write_report(report, path, *mark, advance):
        return
    if engine in ("jetxl", "rust"):  # jetxl leaves a report whose columns it cannot hold to the rust writer
        arrow_writer.write_report(report, path, *mark, advance)
        return
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


def engine_for(report: Report) -> str:
    """For a report of at least :data:`~renewal_xl.render.arrow_writer.LARGE_CELLS` cells:
    ``"jetxl"`` when :mod:`~renewal_xl.render.jet_writer` renders it (notes and at most one
    plain table a sheet: the priced register, the renewal lists), else ``"rust"`` when :mod:`~renewal_xl.render.arrow_writer` does, when
    their libraries are installed; else ``"xlsxwriter"``. The environment variable ``RENEWAL_XL_WRITER=xlsxwriter`` keeps
    every report with XlsxWriter."""
    if os.environ.get(WRITER_SETTING, "").strip().lower() == "xlsxwriter":
        return "xlsxwriter"
    cells = sum(t.frame.size for s in report.sheets for t in s.tables)
    large = cells >= arrow_writer.LARGE_CELLS
    if large and jet_writer.renders(report) and jet_writer.available() and arrow_writer.available():
        return "jetxl"
    return "rust" if large and arrow_writer.renders(report) and arrow_writer.available() else "xlsxwriter"


def _mark(book, name: str) -> None:
    """The sheet-scoped marker name. XlsxWriter's ``define_name`` parses ``'Sheet'!Name``
    and fails on sheet names holding ``!`` or ``'`` (both allowed in Excel, and salesperson
    names reach sheet names), so the entry goes into its list of names directly, in the form
    ``define_name`` itself stores (tests check the marker of such sheets)."""
    index = next(i for i, ws in enumerate(book.worksheets()) if ws.name == name)
    book.defined_names.append([MARKER_NAME, index, style.MARKER_VALUE, False])


def report_rows(report: Report) -> int:
    """Data rows of all tables of ``report`` (for a progress bar)."""
    return sum(len(t.frame) for s in report.sheets for t in s.tables)


class _Styles:
    """One XlsxWriter format per distinct look, created on first use."""

    def __init__(self, book):
        self.book = book
        looks = {
            "note": {"bold": True},
            "title": {"bold": True, "font_size": style.TITLE_SIZE},
            "header": {
                "bold": True,
                "bg_color": "#" + style.HEADER_FILL,
                "pattern": 1,
                "text_wrap": True,
                "valign": "top",
            },
        }
        self._looks = {
            (name, quoted): book.add_format({**look, "quote_prefix": quoted})
            for name, look in looks.items()
            for quoted in (False, True)
        }
        self._numbers: dict[tuple[str | None, bool, bool, bool], object] = {}

    def look(self, name: str, text: str):
        """The note, title or header format for ``text`` (quote prefix when it needs one)."""
        return self._looks[(name, needs_quote(text))]

    def number(self, fmt: str | None, quoted: bool = False, bold: bool = False, align: str = ""):
        """The format of a column's cells; ``quoted`` adds Excel's quote prefix, which keeps
        text such as ``=1+1`` text even when a user edits the cell; ``bold`` for total
        rows; ``align`` ``top`` for the cells of a table with wrapped text, ``wrap`` for
        its wrapped columns."""
        if fmt is None and not (quoted or bold or align):
            return None
        key = (fmt, quoted, bold, align)
        if key not in self._numbers:
            look = {"num_format": fmt or "General", "quote_prefix": quoted, "bold": bold}
            if align:
                look.update({"text_wrap": align == "wrap", "valign": "top"})
            self._numbers[key] = self.book.add_format(look)
        return self._numbers[key]


def _render(book, ws, sheet: Sheet, styles: _Styles, advance: Progress | None) -> None:
    blocks = layout(sheet)
    widths = column_widths(sheet)
    for k, width in enumerate(widths):
        ws.set_column(k, k, width)
    if frozen := frozen_rows(sheet):
        ws.freeze_panes(frozen, 0)
    if sheet.freeze and blocks:
        first = blocks[0]
        if first.columns:
            ws.autofilter(first.header_row - 1, 0, first.last_row - 1, len(first.columns) - 1)
    _page_setup(ws, sheet)
    for k, note in enumerate(sheet.notes):
        note = cell_text(note)
        ws.write_string(k, 0, note, styles.look("note", note) if k == 0 else styles.number(None, needs_quote(note)))
    for spec, row, col in chart_anchors(sheet):
        ws.insert_chart(row - 1, col - 1, _chart(book, ws.name, spec, blocks[spec.table]))
    for block in blocks:
        if block.title_row:
            title = cell_text(block.table.title)
            ws.write_string(block.title_row - 1, 0, title, styles.look("title", title))
        height = header_height(block, widths)
        if height:
            ws.set_row(block.header_row - 1, height)
        for j, header in enumerate(block.columns):
            header = cell_text(header)
            ws.write_string(block.header_row - 1, j, header, styles.look("header", header))
        _write_rows(ws, block, styles, advance)
        _validate(ws, block)


# XlsxWriter's method of each step of the print plan
_PAGE_METHODS = {
    "paper": "set_paper",
    "landscape": "set_landscape",
    "portrait": "set_portrait",
    "fit": "fit_to_pages",
    "scale": "set_print_scale",
    "margins": "set_margins",
    "header": "set_header",
    "footer": "set_footer",
    "repeat_rows": "repeat_rows",
    "repeat_columns": "repeat_columns",
    "breaks": "set_h_pagebreaks",
}


def _page_setup(ws, sheet: Sheet) -> None:
    """The sheet's print plan (:func:`renewal_xl.reports.printing.page_steps`). XlsxWriter
    sets the header and footer margins with their texts: the margins step passes its
    first four (left, right, top, bottom) and the texts their margin."""
    steps = page_steps(sheet)
    margins = dict(steps)["margins"]
    for step, args in steps:
        if step == "margins":
            args = args[:4]
        elif step in ("header", "footer"):
            args = (*args, {"margin": margins[4 if step == "header" else 5]})
        getattr(ws, _PAGE_METHODS[step])(*args)


def _write_rows(ws, block: Block, styles: _Styles, advance: Progress | None) -> None:
    table = block.table
    frame = table.frame
    formats = [table.formats.get(str(h)) for h in frame.columns]
    aligns = [("wrap" if str(h) in table.wrap else "top") if table.wrap else "" for h in frame.columns]
    columns = [
        (cell_values(frame.iloc[:, j].to_numpy()), styles.number(formats[j], align=aligns[j]))
        for j in range(len(formats))
    ]
    heights = row_heights(block)
    inputs = {block.column(h) - 1 for h in table.validations}  # blank cells people fill in keep the format
    row = block.first_row - 1
    for i in range(len(frame)):
        if row + 1 in heights:
            ws.set_row(row, heights[row + 1])
        total = table.total and i == len(frame) - 1
        for j, (values, fmt) in enumerate(columns):
            v = values[i]
            if v is None:
                if fmt is not None and j in inputs:
                    ws.write_blank(row, j, None, fmt)
                continue
            if total:
                fmt = styles.number(formats[j], False, True, aligns[j])
            if isinstance(v, str):
                v = cell_text(v)
                if needs_quote(v):
                    fmt = styles.number(formats[j], True, total, aligns[j])
                ws.write_string(row, j, v, fmt)
            elif isinstance(v, bool):
                ws.write_boolean(row, j, v, fmt)
            elif isinstance(v, (dt.date, dt.time, dt.timedelta)):
                own = formats[j] or DATE_FORMATS[type(v)]
                ws.write_datetime(row, j, v, styles.number(own, False, total, aligns[j]) if own != formats[j] else fmt)
            else:
                ws.write_number(row, j, float(v), fmt)
        row += 1
        if advance and (i + 1) % STEP == 0:
            advance(STEP)
    if advance:
        advance(len(frame) % STEP)


def _validate(ws, block: Block) -> None:
    """The data validations of a table on its data rows (none on an empty table)."""
    if block.last_row == block.header_row:
        return
    for header, rule in block.table.validations.items():
        j = block.column(header) - 1
        options = {"error_title": rule.title, "error_message": rule.error, "ignore_blank": True}
        if rule.dates:
            options |= {"validate": "date", "criteria": "between", "minimum": rule.dates[0], "maximum": rule.dates[1]}
        else:
            options |= {"validate": "list", "source": list(rule.choices)}
        ws.data_validation(block.first_row - 1, j, block.last_row - 1, j, options)


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
    chart.set_size({"width": style.CHART_WIDTH, "height": style.CHART_HEIGHT})
    return chart

"""The :class:`renewal_xl.app.book.Book` interface over an open Excel workbook (xlwings).

Macros read the register through :meth:`XlBook.read_frame` and write report sheets
through :meth:`XlBook.write_sheet`, laid out by :mod:`renewal_xl.reports.layout` like the
command line's workbooks:

- the marker is a sheet-scoped defined name :data:`~renewal_xl.app.book.MARKER_NAME`;
- a replaced sheet is rebuilt in the same position (old sheet deleted, new one renamed);
- number formats are set before values, so text such as phone numbers stays text;
- text a cell would not keep as text (``=…``, ``+…``, ``-…``, ``@…``, ``#N/A``: register
  data, never code) is written with Excel's quote prefix (:func:`renewal_xl.io.text.excel_entry`);
- the first table's header row is frozen and the table becomes an Excel table (with
  filter buttons) when the sheet asks for it; charts go beside their tables
  (:func:`renewal_xl.reports.layout.chart_anchors`); total rows are bold, wrapped columns
  wrap; the look is :mod:`renewal_xl.reports.style`;
- the follow-up columns get their drop-downs (:func:`validate`, Windows COM);
- the page setup is :func:`renewal_xl.reports.printing.print_plan` (:func:`page_setup`).

Only the portable xlwings API is used, except data validation, freezing panes and page setup,
which classic xlwings on Windows only offers through Excel's objects (see :func:`freeze_rows`,
:func:`page_setup`).
"""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd

from renewal_xl.app.book import MARKER_NAME, append_columns
from renewal_xl.io.safety import column_letters
from renewal_xl.io.text import excel_entry
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
from renewal_xl.reports.names import unique_sheet_name
from renewal_xl.reports.printing import print_plan
from renewal_xl.reports.spec import Sheet
from renewal_xl.spreadsheet.cells import is_blank, to_cell

logger = logging.getLogger("udfs")

CHART_TYPES = {"bar": "column_clustered", "pie": "pie"}
TABLE_STYLE = "TableStyleLight9"
TEXT = "@"
DATE_FORMAT = "yyyy-mm-dd"
XL_VALIDATE_LIST, XL_VALIDATE_DATE, XL_ALERT_STOP, XL_BETWEEN = (
    3,
    4,
    1,
    1,
)  # Excel's XlDVType, XlDVAlertStyle, XlFormatConditionOperator
HEADER_COLOR = tuple(int(style.HEADER_FILL[k : k + 2], 16) for k in (0, 2, 4))  # RGB
XL_LANDSCAPE, XL_PORTRAIT = 2, 1  # Excel's XlPageOrientation
XL_TOP = -4160  # Excel's XlVAlign


class XlBook:
    """An xlwings ``Book`` seen as a :class:`renewal_xl.app.book.Book`."""

    def __init__(self, book):
        self.book = book

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def read_frame(self, name: str) -> pd.DataFrame:
        """The used range: first row headers (blank header → ``列N``), values as Excel
        holds them (cell errors as text such as ``#N/A``), trailing blank rows dropped."""
        rows = self.book.sheets[name].used_range.options(ndim=2, err_to_str=True).value or [[]]
        header = [f"列{j + 1}" if is_blank(h) else str(h).strip() for j, h in enumerate(rows[0])]
        body = [list(r) for r in rows[1:]]
        while body and all(is_blank(v) for v in body[-1]):
            body.pop()
        return pd.DataFrame(body, columns=header, dtype=object)

    def has_marker(self, name: str) -> bool:
        return any(n.name.rsplit("!", 1)[-1] == MARKER_NAME for n in self.book.sheets[name].names)

    def write_sheet(self, sheet: Sheet, replace: bool) -> None:
        """Write ``sheet`` with the marker; replace the sheet of that name when told."""
        app = self.book.app
        updating = app.screen_updating
        app.screen_updating = False
        try:
            ws = self._new_sheet(sheet.name, replace)
            ws.names.add(MARKER_NAME, "=" + style.MARKER_VALUE)
            render(ws, sheet)
        finally:
            app.screen_updating = updating

    def append_rows(self, name: str, rows: list[dict[str, object]]) -> None:
        """Rows under the last row holding a value (Excel's used range may run further over
        formatted blank rows); dates get ``yyyy-mm-dd`` and text ``@`` before their values."""
        ws = self.book.sheets[name]
        used = ws.used_range
        values = used.options(ndim=2).value or [[]]
        filled = [used.row + i for i, row in enumerate(values) if any(not is_blank(v) for v in row)]
        header = values[0] if used.row == 1 else []
        columns, added = append_columns(header, (k for row in rows for k in row))
        for j, text in added:
            ws.range((1, j)).value = text
        for i, row in enumerate(rows, start=max(filled, default=1) + 1):
            for key, value in row.items():
                if value is None:
                    continue
                cell = ws.range((i, columns[key]))
                if isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
                    value = dt.datetime(value.year, value.month, value.day)
                elif isinstance(value, str):
                    cell.number_format = TEXT
                cell.value = _entry(value)

    def _new_sheet(self, name: str, replace: bool):
        sheets = self.book.sheets
        if not replace:
            return sheets.add(name=name, after=sheets[len(sheets) - 1])
        old = sheets[name]
        ws = sheets.add(name=unique_sheet_name(name + "~", self.sheet_names()), after=old)
        old.delete()
        ws.name = name
        return ws


def render(ws, sheet: Sheet) -> None:
    """Notes, tables (formats, header, values), column widths, frozen header and charts."""
    for i, note in enumerate(sheet.notes):
        ws.range((i + 1, 1)).value = excel_entry(note)
    if sheet.notes:
        ws.range((1, 1)).font.bold = True
    blocks = layout(sheet)
    for b in blocks:
        write_table(ws, b)
        validate(ws, b)
    widths = column_widths(sheet)
    for j, width in enumerate(widths):
        ws.range((1, j + 1)).column_width = width
    for b in blocks:  # header rows wrap (layout.header_width)
        if b.columns:
            ws.range((b.header_row, 1), (b.header_row, len(b.columns))).wrap_text = True
        height = header_height(b, widths)
        if height:
            ws.range((b.header_row, 1)).row_height = height
    if frozen := frozen_rows(sheet):
        freeze_rows(ws, frozen)
    if sheet.freeze and blocks:
        first = blocks[0]
        if first.columns:
            ws.tables.add(
                source=ws.range((first.header_row, 1), (first.last_row, len(first.columns))),
                table_style_name=TABLE_STYLE,
            )
    width, height = style.chart_size_points()
    for chart, row, col in chart_anchors(sheet):
        b = blocks[chart.table]
        value_col, category_col = b.column(chart.values), b.column(chart.categories)
        c = ws.charts.add(
            chart_type=CHART_TYPES[chart.kind],
            source=ws.range((b.header_row, value_col), (b.last_row, value_col)),
            plot_by="columns",
            anchor=ws.range((row, col)),
            width=width,
            height=height,
        )
        c.set_x_axis_values(ws.range((b.first_row, category_col), (b.last_row, category_col)))
        c.title = chart.title
    page_setup(ws, sheet)


def page_setup(ws, sheet: Sheet) -> None:
    """The sheet's print plan, through Excel's ``PageSetup`` object (Windows COM; xlwings
    has no portable page setup). Where that is missing (Excel for Mac) the sheet prints
    with Excel's defaults, which is only cosmetic."""
    plan = print_plan(sheet)
    try:
        setup = ws.api.PageSetup
        setup.PaperSize = plan.paper
        setup.Orientation = XL_LANDSCAPE if plan.landscape else XL_PORTRAIT
        if plan.scale:
            setup.Zoom = plan.scale
        else:
            setup.Zoom = False
            setup.FitToPagesWide = plan.fit_width
            setup.FitToPagesTall = plan.fit_height or False
        for place, inches in zip(("Left", "Right", "Top", "Bottom", "Header", "Footer"), plan.margins):
            setattr(setup, place + "Margin", inches * 72)  # points
        for place, sections in (("Header", plan.header), ("Footer", plan.footer)):
            for key, text in sections.items():
                setattr(setup, {"L": "Left", "C": "Center", "R": "Right"}[key] + place, text)
        if plan.title_rows:
            setup.PrintTitleRows = f"${plan.title_rows[0]}:${plan.title_rows[1]}"
        if plan.title_columns:
            first, last = (column_letters(c) for c in plan.title_columns)
            setup.PrintTitleColumns = f"${first}:${last}"
        for row in plan.breaks:
            ws.api.HPageBreaks.Add(ws.api.Range(f"A{row + 1}"))
    except Exception as exc:  # noqa: BLE001 - cosmetic; the report itself is written
        logger.info("page setup skipped: %s", type(exc).__name__)


def write_table(ws, b: Block) -> None:
    """Title, bold header and values of one table; formats first (columns of text get
    ``@`` unless the table names a format) so Excel does not turn text into numbers."""
    frame, columns = b.table.frame, b.columns
    if b.title_row is not None:
        title = ws.range((b.title_row, 1))
        title.value = excel_entry(b.table.title)
        title.font.bold = True
    if not columns:
        return
    if b.last_row > b.header_row:
        for j, header in enumerate(columns):
            fmt = b.table.formats.get(header) or (TEXT if _all_text(frame.iloc[:, j]) else None)
            if fmt:
                ws.range((b.first_row, j + 1), (b.last_row, j + 1)).number_format = fmt
    values = [[_entry(h) for h in columns]] + [
        [_entry(to_cell(v)) for v in row] for row in frame.itertuples(index=False)
    ]
    ws.range((b.header_row, 1)).value = values
    header = ws.range((b.header_row, 1), (b.header_row, len(columns)))
    header.font.bold = True
    header.color = HEADER_COLOR
    if b.table.total and b.last_row > b.header_row:
        ws.range((b.last_row, 1), (b.last_row, len(columns))).font.bold = True
    if b.table.wrap and b.last_row > b.header_row:
        _wrap(ws, b)


def _wrap(ws, b: Block) -> None:
    """Wrapped columns, their row heights, and every cell of the table aligned to the top
    (Excel's ``VerticalAlignment``: COM only, skipped where missing)."""
    for header_text in b.table.wrap:
        if header_text in b.columns:
            ws.range((b.first_row, b.column(header_text)), (b.last_row, b.column(header_text))).wrap_text = True
    for row, height in row_heights(b).items():
        ws.range((row, 1)).row_height = height
    try:
        ws.range((b.first_row, 1), (b.last_row, len(b.columns))).api.VerticalAlignment = XL_TOP
    except Exception as exc:  # noqa: BLE001 - cosmetic
        logger.info("top alignment skipped: %s", type(exc).__name__)


def validate(ws, b: Block) -> None:
    """The table's data validations (drop-downs, a date range) on its data rows, through
    Excel's ``Range.Validation`` (COM: xlwings has no portable call for it). Where that
    object does not exist (Excel for Mac) the columns stay free text and it is logged."""
    if b.last_row == b.header_row:
        return
    for header, rule in b.table.validations.items():
        col = b.column(header)
        try:
            v = ws.range((b.first_row, col), (b.last_row, col)).api.Validation
            v.Delete()
            if rule.dates:
                low, high = (f"=DATE({d.year},{d.month},{d.day})" for d in rule.dates)
                v.Add(Type=XL_VALIDATE_DATE, AlertStyle=XL_ALERT_STOP, Operator=XL_BETWEEN, Formula1=low, Formula2=high)
            else:
                v.Add(
                    Type=XL_VALIDATE_LIST,
                    AlertStyle=XL_ALERT_STOP,
                    Operator=XL_BETWEEN,
                    Formula1=",".join(rule.choices),
                )
            v.IgnoreBlank = True
            v.ErrorTitle, v.ErrorMessage = rule.title, rule.error
        except Exception as exc:  # noqa: BLE001 - the sheet is written; only the drop-down is missing
            logger.info("data validation skipped on %s: %s", header, type(exc).__name__)


def freeze_rows(ws, rows: int) -> None:
    """Freeze the top ``rows`` rows. xlwings' portable ``freeze_panes`` is not implemented
    by classic xlwings, which then goes through Excel's active window (Windows COM); where
    neither works (Excel for Mac) the sheet stays unfrozen, which is only cosmetic."""
    try:
        ws.freeze_panes.freeze_at(f"1:{rows}")
        return
    except NotImplementedError:
        pass
    try:
        ws.activate()
        window = ws.book.app.api.ActiveWindow
        window.FreezePanes = False
        window.SplitColumn = 0
        window.SplitRow = rows
        window.FreezePanes = True
    except Exception as exc:  # noqa: BLE001 - cosmetic; the report itself is written
        logger.info("freeze panes skipped: %s", type(exc).__name__)


def _entry(value: object) -> object:
    """A cell value as assigned through COM: text with the quote prefix where needed."""
    return excel_entry(value) if isinstance(value, str) else value


def _all_text(values: pd.Series) -> bool:
    present = [v for v in values if not is_blank(v) and v is not pd.NaT]
    return bool(present) and all(isinstance(v, str) for v in present)

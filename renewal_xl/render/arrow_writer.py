"""Writing a large :class:`~renewal_xl.reports.spec.Report` with rust_xlsxwriter, a column at a time.

``write_report`` of :mod:`renewal_xl.render.xlsx_writer` hands a report here when it is large
(:data:`LARGE_CELLS`), the binding is installed and the report uses only what this renderer
draws (:func:`renders`); everything else stays with XlsxWriter, which remains the fallback.
``bench/libraries.py`` measured the choice: rvgsrust-xlsxwriter (bindings of the rust_xlsxwriter
crate) writes register-shaped cells about 7× faster than XlsxWriter and exposes what report
sheets need (formats, quote prefix, freeze panes, autofilter, print setup, data validation,
tables, charts, sheet-scoped names).

The sheet looks as XlsxWriter draws it: notes, bold titles, bold shaded headers, number
formats per column, widths of :mod:`renewal_xl.reports.layout`, the first header frozen and
filtered, bold total rows, wrapped columns (top-aligned cells, row heights of
:func:`~renewal_xl.reports.layout.row_heights`), data validations with their formatted blank
input cells, the page setup of :mod:`renewal_xl.reports.printing` (page breaks included), the
marker name. Charts are not drawn (such reports stay with XlsxWriter). Each column goes to
the writer as one Arrow array of its main kind (text, number, date, date-time, yes/no); the
few cells of another kind, the cells of a total row, and text that needs care (formula-like
or error-like text gets Excel's quote prefix, illegal characters are replaced,
:mod:`renewal_xl.io.text`), are written one by one after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from renewal_xl.arrow_bytes import text_bytes
from renewal_xl.io.atomic import atomic_path
from renewal_xl.io.text import MAX_CELL_TEXT, cell_text, needs_quote
from renewal_xl.io.values import cell_values
from renewal_xl.reports import style
from renewal_xl.reports.layout import Block, column_widths, frozen_rows, header_height, layout, row_heights
from renewal_xl.reports.printing import page_steps
from renewal_xl.reports.spec import Report, Sheet, Table

Progress = Callable[[int], None]
LARGE_CELLS = 200_000  # below this XlsxWriter's fixed cost is small and its rendering is the reference
# what this renderer draws of each spec class; any other field must keep its default
DRAWN = {
    Report: {"sheets"},
    Sheet: {"name", "tables", "notes", "freeze", "page", "title"},
    Table: {"frame", "title", "formats", "validations", "total", "wrap"},
}
_DAY = 86_400
_EPOCH = dt.datetime(1899, 12, 31)  # serial 1 = 1900-01-01
_LEAP_BUG = dt.datetime(1900, 3, 1)  # from here on Excel counts a 29 February 1900


def importable(*modules: str) -> bool:
    """True when every one of ``modules`` can be imported."""
    try:
        for module in modules:
            importlib.import_module(module)
    except ImportError:
        return False
    return True


def available() -> bool:
    """True when rvgsrust-xlsxwriter and pyarrow can be imported."""
    return importable("pyarrow", "rvgsrust_xlsxwriter")


def known(obj, drawn: dict) -> bool:
    """True when every spec field of ``obj`` that a renderer does not draw
    (``drawn[type(obj)]``) keeps its default."""
    fields = drawn[type(obj)]
    return all(f.name in fields or getattr(obj, f.name) == _default(f) for f in dataclasses.fields(obj))


def renders(report: Report) -> bool:
    """True when every part of ``report`` is one this renderer draws: no charts, no spec
    field it does not know (set to other than its default), no sheet name that its
    defined-name parser refuses (``!`` or ``'``)."""
    return known(report, DRAWN) and all(
        known(sheet, DRAWN)
        and not sheet.charts
        and not set(sheet.name) & {"!", "'"}
        and all(known(table, DRAWN) for table in sheet.tables)
        for sheet in report.sheets
    )


def streamed(sheet: Sheet) -> bool:
    """True when ``sheet`` can be written in constant-memory mode (rows strictly in order,
    each flushed once written: less memory and time): unless a table has wrapped columns
    (rust_xlsxwriter's constant-memory mode writes a last row whose height was set twice,
    ``<row r="N">`` again after it, which Excel repairs as damaged) or a validated column
    with a format holds other than text and blanks (its blank cells are then formatted as a
    range before its data; the blanks of a text column are written with it,
    :func:`_blank_inputs`)."""
    if any(table.wrap for table in sheet.tables):
        return False
    return not any(
        table.formats.get(h) and not _blank_inputs(table.frame.iloc[:, j])
        for table in sheet.tables
        for j, h in enumerate(map(str, table.frame.columns))
        if h in table.validations
    )


def _blank_inputs(series: pd.Series) -> bool:
    """True when a column people fill in holds only text and blanks (the renewal lists'
    联系日期: all blank), so its blank cells can be written formatted as empty text with the
    column's data (rust_xlsxwriter writes an empty text cell with a format as a formatted
    blank), in row order."""
    if isinstance(series.dtype, pd.StringDtype):
        return True
    values = series.to_numpy()
    if values.dtype.kind == "f":
        return bool(np.isnan(values).all())
    return values.dtype == object and infer_dtype(values, skipna=True) in ("string", "empty")


def _default(f: dataclasses.Field):
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return object()  # a required field: never equal


def write_report(report: Report, path: Path, marker_name: str, marker_value: str, advance: Progress | None) -> None:
    """Write ``report`` to a new workbook at ``path`` (atomically); ``marker_name`` set to
    ``marker_value`` on every sheet unless it is empty."""
    import rvgsrust_xlsxwriter as rx

    book = rx.Workbook()
    styles = _Styles(book)
    for sheet in report.sheets:
        ws = book.add_worksheet(sheet.name, constant_memory=streamed(sheet))
        _render(ws, sheet, styles, advance)
        if marker_name:
            book.define_name(f"'{sheet.name}'!{marker_name}", marker_value)
    with atomic_path(Path(path)) as temp:
        book.close(str(temp))


class _Styles:
    """One format per distinct look, created on first use."""

    def __init__(self, book):
        self.book = book
        self._made: dict[tuple, object] = {}

    def get(self, look: str | None, fmt: str | None = None, quoted: bool = False, bold: bool = False, align: str = ""):
        """The format of a note, title or header (``look``) or of a data cell: number
        format ``fmt``, Excel's quote prefix, ``bold`` (total rows), ``align`` ``top`` for
        the cells of a table with wrapped text and ``wrap`` for its wrapped columns."""
        key = (look, fmt, quoted, bold, align)
        if key == (None, None, False, False, ""):
            return None
        if key not in self._made:
            f = self.book.add_format()
            if look in ("note", "title", "header") or bold:
                f.set_bold()
            if look == "title":
                f.set_font_size(style.TITLE_SIZE)
            if look == "header":
                f.set_background_color("#" + style.HEADER_FILL)
                f.set_pattern("solid")
                f.set_text_wrap()
                f.set_vertical_align("top")
            if fmt:
                f.set_num_format(fmt)
            if quoted:
                f.set_quote_prefix()
            if align:
                f.set_vertical_align("top")
                if align == "wrap":
                    f.set_text_wrap()
            self._made[key] = f
        return self._made[key]


def _render(ws, sheet: Sheet, styles: _Styles, advance: Progress | None) -> None:
    blocks = layout(sheet)
    widths = column_widths(sheet)
    for k, width in enumerate(widths):
        ws.set_column_width(k, width)
    if frozen := frozen_rows(sheet):
        ws.freeze_panes(frozen, 0)
    if sheet.freeze and blocks:
        first = blocks[0]
        if first.columns:
            ws.autofilter(first.header_row - 1, 0, first.last_row - 1, len(first.columns) - 1)
    _page_setup(ws, sheet)
    for k, note in enumerate(sheet.notes):
        note = cell_text(note)
        ws.write(k, 0, note, styles.get("note" if k == 0 else None, None, needs_quote(note)))
    for block in blocks:
        if block.title_row:
            title = cell_text(block.table.title)
            ws.write(block.title_row - 1, 0, title, styles.get("title", None, needs_quote(title)))
        for j, header in enumerate(block.columns):
            header = cell_text(header)
            ws.write(block.header_row - 1, j, header, styles.get("header", None, needs_quote(header)))
        height = header_height(block, widths)
        if height:
            ws.set_row_height(block.header_row - 1, height)
        _write_rows(ws, block, styles)
        _validate(ws, block)
        if advance:
            advance(len(block.table.frame))


# rust_xlsxwriter's method of each step of the print plan
_PAGE_METHODS = {
    "paper": "set_paper_size",
    "landscape": "set_landscape",
    "portrait": "set_portrait",
    "fit": "set_print_fit_to_pages",
    "scale": "set_print_scale",
    "margins": "set_margins",
    "header": "set_header",
    "footer": "set_footer",
    "repeat_rows": "set_repeat_rows",
    "repeat_columns": "set_repeat_columns",
    "breaks": "set_page_breaks",
}


def _page_setup(ws, sheet: Sheet) -> None:
    """The sheet's print plan (:func:`renewal_xl.reports.printing.page_steps`)."""
    for step, args in page_steps(sheet):
        getattr(ws, _PAGE_METHODS[step])(*args)


def _write_rows(ws, block: Block, styles: _Styles) -> None:
    """The data rows of one table: each column as one Arrow array, odd cells one by one,
    a total row one by one in bold; wrapped rows at their heights; blank cells of the
    columns people fill in (validated) carry the column's format (written with the data
    as formatted empty text where the column holds only text and blanks, else as a range
    before the data)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = block.table
    frame = table.frame
    first = block.first_row - 1
    body = len(frame) - 1 if table.total and len(frame) else len(frame)
    names = [f"c{j}" for j in range(frame.shape[1])]
    formats = [table.formats.get(str(h)) for h in frame.columns]
    aligns = [("wrap" if str(h) in table.wrap else "top") if table.wrap else "" for h in frame.columns]
    blanks = {}  # column: the format of its blank input cells, written with the data as empty text
    for header in table.validations:
        j = block.column(header) - 1
        blank = styles.get(None, formats[j], align=aligns[j])
        if blank is None or not len(frame):
            continue
        if _blank_inputs(frame.iloc[:, j]):
            blanks[j] = blank
        else:  # before the data, which then writes its own formats (not streamed: streamed())
            ws.set_range_format(first, j, block.last_row - 1, j, blank)
    arrays, column_formats, singles = [], {}, []
    for j in range(frame.shape[1]):
        array, column_fmt, odd = column(frame.iloc[:body, j], formats[j])
        if j in blanks:
            array = pc.fill_null(array.cast(pa.string()), "")
        arrays.append(array)
        if column_fmt or aligns[j]:
            column_formats[names[j]] = styles.get(None, column_fmt, align=aligns[j])
        singles.extend((i, j, v) for i, v in odd)
    data = pa.table(arrays, names=names)
    done = 0  # rows written: the data up to each row with odd cells, then its odd cells (rows in order)
    for i, j, v in sorted(singles, key=lambda cell: cell[:2]):
        if i >= done:
            ws.write_dataframe(
                first + done, 0, data.slice(done, i + 1 - done), write_header=False, column_formats=column_formats
            )
            done = i + 1
        _write_one(ws, first + i, j, v, formats[j], styles, align=aligns[j])
    if done < body:
        ws.write_dataframe(first + done, 0, data.slice(done), write_header=False, column_formats=column_formats)
    if body < len(frame):
        for j in range(frame.shape[1]):
            v = cell_values(frame.iloc[body:, j].to_numpy())[0]
            if v is not None:
                _write_one(ws, first + body, j, v, formats[j], styles, bold=True, align=aligns[j])
            elif j in blanks:
                ws.write(first + body, j, "", blanks[j])
    for row, height in row_heights(block).items():
        ws.set_row_height(row - 1, height)


def _validate(ws, block: Block) -> None:
    """The data validations of a table on its data rows (none on an empty table), as the
    XlsxWriter renderer writes them: blanks allowed, the error title and message shown."""
    import rvgsrust_xlsxwriter as rx

    if block.last_row == block.header_row:
        return
    for header, rule in block.table.validations.items():
        j = block.column(header) - 1
        check = rx.DataValidation()
        if rule.dates:
            check.allow_date("between", rule.dates[0], rule.dates[1])
        else:
            check.allow_list_strings(list(rule.choices))
        check.ignore_blank(True)
        check.set_error_title(rule.title)
        check.set_error_message(rule.error)
        ws.add_data_validation(block.first_row - 1, j, block.last_row - 1, j, check)


_NUMBERS = frozenset({"floating", "integer", "mixed-integer-float"})
_KINDS = {str: "text", bool: "bool", int: "number", float: "number", Decimal: "number", dt.datetime: "datetime"}
_DATE_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss"}
# text that cell_text or needs_quote may change or mark (error values hold #): a cheap test in
# C that lets more through, never less; the rules themselves then decide cell by cell
_CAREFUL = "^[=+\\-@]|[#\\x00-\\x1f]"


def column(series: pd.Series, fmt: str | None):
    """The Arrow array of a column's main kind (other cells null), the column's number
    format, and the (row, value) of the cells to write one by one. Columns of Arrow text, of
    numpy numbers, of Python numbers (blanks as ``""`` too), of dates or of text take one
    C-level step; others go cell by cell."""
    import pyarrow as pa

    if _arrow_text(series.dtype):
        return _texts(pa.array(series), [], fmt)  # Arrow text already: no Python object per cell
    values = series.to_numpy()
    if values.dtype.kind == "M":  # datetime64: whole days, as cell_values reads them
        return _day_serials(values.astype("datetime64[D]"), fmt or _DATE_FORMATS["date"])
    if values.dtype.kind == "b":
        return _bools(values), fmt, []
    if values.dtype.kind in "fiu" or (values.dtype == object and infer_dtype(values, skipna=True) in _NUMBERS):
        return _numbers(values, fmt)
    kind = infer_dtype(values, skipna=True) if values.dtype == object else None
    if kind in ("string", "empty"):
        return _texts(values, [], fmt)
    if kind == "date" and set(map(type, values)) <= {dt.date, type(None), float}:  # float: NaN (blank)
        days = pa.array(values, type=pa.date32(), from_pandas=True).to_numpy(zero_copy_only=False)
        return _day_serials(days, fmt or _DATE_FORMATS["date"])
    if kind == "mixed":  # numbers and "" (blank cells, as a register reads them): a number column
        blank = values == ""
        if blank.any() and infer_dtype(values[~blank], skipna=True) in _NUMBERS:
            return _numbers(np.where(blank, None, values), fmt)
    return _mixed(cell_values(values), fmt)


def _arrow_text(dtype) -> bool:
    """True for a column of Arrow text: pandas' pyarrow-backed ``str`` (``StringDtype``) or an
    ``ArrowDtype`` of (large) strings, as the register reader gives its text columns."""
    import pyarrow as pa

    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    return isinstance(dtype, pd.ArrowDtype) and (
        pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    )


def _numbers(values: np.ndarray, fmt: str | None):
    import pyarrow as pa

    numbers = values.astype(np.float64)  # None → NaN
    odd = [(int(i), str(numbers[i])) for i in np.flatnonzero(np.isinf(numbers))]  # as cell_values shows them
    numbers[np.isinf(numbers)] = np.nan
    return pa.array(numbers, from_pandas=True), fmt, odd  # NaN → blank


def _texts(values, odd: list, fmt: str | None):
    import pyarrow as pa
    import pyarrow.compute as pc

    array = (
        values.cast(pa.string()) if isinstance(values, pa.Array) else pa.array(values, pa.string(), from_pandas=True)
    )
    empty = pc.equal(array, "")
    if pc.any(empty).as_py():  # "" is a blank (cell_values)
        array = pc.if_else(empty, pa.scalar(None, pa.string()), array)
    careful = _careful(array)
    if (pc.max(pc.binary_length(array)).as_py() or 0) > MAX_CELL_TEXT:  # bytes ≥ characters: most columns stop here
        careful = pc.or_(careful, pc.greater(pc.utf8_length(array), MAX_CELL_TEXT))
    at = pc.indices_nonzero(careful).to_numpy()  # nulls (blanks) are not careful
    if at.size:
        odd = odd + [(int(i), array[int(i)].as_py()) for i in at]
        array = pc.if_else(careful, pa.scalar(None, pa.string()), array)
    return array, fmt, odd


def _careful(array):
    """Which texts of the Arrow text ``array`` match :data:`_CAREFUL` (null for blanks).
    Most columns hold no ``#`` and no control character at all: one look at the column's
    bytes settles that, and only the texts' first bytes are read for a leading ``=+-@``
    (the regex over every text cost 10 ms a 100,000-row column; this, under 1 ms)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    data, starts, ends = text_bytes(array)
    if ((data == 0x23) | (data < 0x20)).any():  # a "#" or a control character somewhere: the regex decides
        return pc.match_substring_regex(array, _CAREFUL)
    first = data[np.minimum(starts, max(len(data) - 1, 0))] if len(data) else np.zeros(len(starts), np.uint8)
    leading = (ends > starts) & np.isin(first, np.frombuffer(b"=+-@", dtype=np.uint8))
    return pa.array(leading, mask=~array.is_valid().to_numpy(zero_copy_only=False))


def _mixed(values: list, fmt: str | None):
    import pyarrow as pa

    kinds = [None if v is None else _kind(v) for v in values]
    counted = {k: kinds.count(k) for k in set(kinds) - {None}}
    main = max(counted, key=counted.get) if counted else "text"
    if main == "other":
        main = "text"
    keep = [v if k == main else None for v, k in zip(values, kinds)]
    odd = [(i, v) for i, (v, k) in enumerate(zip(values, kinds)) if k is not None and k != main]
    if main == "text":
        return _texts(keep, odd, fmt)
    if main == "number":
        return pa.array([None if v is None else float(v) for v in keep], type=pa.float64()), fmt, odd
    if main == "bool":
        return pa.array(keep, type=pa.bool_()), fmt, odd
    return _serials(keep, fmt or _DATE_FORMATS[main], odd)


def _bools(values: np.ndarray):
    """A numpy yes/no column as an Arrow one."""
    import pyarrow as pa

    return pa.array(values, type=pa.bool_())


def _day_serials(days: np.ndarray, fmt: str):
    """Whole days (datetime64[D], NaT blank) as Excel serial numbers in ``fmt``, a column at
    a time (the rule of :func:`excel_serial`)."""
    import pyarrow as pa

    serial = (days - np.datetime64(_EPOCH.date(), "D")).astype(np.float64)
    serial += days >= np.datetime64(_LEAP_BUG.date(), "D")
    serial[np.isnat(days)] = np.nan
    return pa.array(serial, from_pandas=True), fmt, []


def _serials(days: list, fmt: str, odd: list):
    """Dates and date-times as Excel serial numbers (what a date cell holds) in ``fmt``."""
    import pyarrow as pa

    return pa.array([None if v is None else excel_serial(v) for v in days], type=pa.float64()), fmt, odd


def excel_serial(value: dt.date | dt.datetime) -> float:
    """Excel's serial number of a date or date-time (1900 system, counting Excel's
    29 February 1900 as XlsxWriter does).

    >>> excel_serial(dt.date(2026, 1, 31)), excel_serial(dt.datetime(1900, 1, 1, 12))
    (46053.0, 1.5)
    """
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value.replace(tzinfo=None) - _EPOCH
    days = delta.days + (1 if value.replace(tzinfo=None) >= _LEAP_BUG else 0)
    return days + (delta.seconds + delta.microseconds / 1e6) / _DAY


def _kind(v: object) -> str:
    kind = _KINDS.get(type(v))
    if kind:
        return kind
    if isinstance(v, dt.datetime):
        return "datetime"
    if isinstance(v, dt.date):
        return "date"
    return "other"  # time, timedelta: one by one


def _write_one(
    ws, row: int, col: int, v: object, fmt: str | None, styles: _Styles, bold: bool = False, align: str = ""
) -> None:
    """One cell written by itself (of a kind other than its column's, or of a total row
    when ``bold``), as XlsxWriter's renderer writes it."""

    def look(number_format: str | None, quoted: bool = False):
        return styles.get(None, number_format, quoted, bold, align)

    if isinstance(v, str):
        v = cell_text(v)
        ws.write(row, col, v, look(fmt, needs_quote(v)))
    elif isinstance(v, bool):
        ws.write(row, col, v, look(fmt))
    elif isinstance(v, (int, float, Decimal)):
        ws.write(row, col, float(v), look(fmt))
    elif isinstance(v, dt.date):
        kind = "datetime" if isinstance(v, dt.datetime) else "date"
        ws.write(row, col, excel_serial(v), look(fmt or _DATE_FORMATS[kind]))
    elif isinstance(v, dt.time):  # Excel keeps a time as the fraction of a day
        seconds = v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
        ws.write(row, col, seconds / _DAY, look(fmt or "hh:mm:ss"))
    elif isinstance(v, dt.timedelta):
        ws.write(row, col, v.total_seconds() / _DAY, look(fmt or "[h]:mm:ss"))
    else:
        ws.write(row, col, cell_text(str(v)), look(fmt))

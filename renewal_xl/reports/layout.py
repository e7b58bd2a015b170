"""Where the parts of a report :class:`~renewal_xl.reports.spec.Sheet` go on the
worksheet, and how wide its columns are: one answer for every workbook implementation,
so a sheet written by a macro (xlwings) and by the command line (openpyxl) look alike.

Rows and columns are 1-based, as in Excel. Notes take the first rows, one each, then a
blank row; every table has an optional title row, its header row and its data rows, and a
blank row follows it. Charts go beside their tables, unless the sheet would then print
below :data:`~renewal_xl.reports.paper.LEGIBLE` one page wide: then each chart goes below
its table, in rows kept free for it (:func:`charts_below`).

>>> import pandas as pd
>>> from renewal_xl.reports.spec import Sheet, Table
>>> s = Sheet("续保汇总", [Table(pd.DataFrame({"业务员": ["张三", "北京某某汽车服务有限公司"], "件数": [3, 1]}), title="按业务员"),
...                      Table(pd.DataFrame({"合计": [4]}))], notes=["统计日期 2026-11-24"])
>>> [(b.title_row, b.header_row, b.first_row, b.last_row) for b in layout(s)]
[(3, 4, 5, 6), (None, 8, 9, 9)]
>>> column_widths(s)
[26.0, 8.0]

A header wraps onto two lines, breaking beside a Chinese character, so a long header does
not widen a column of short values (the header row is then two lines tall):

>>> header_width("原业务员原机构续保件数"), header_width("续保奖励(年度)"), header_width("VIP")
(12, 8, 3)
>>> wide = Sheet("续保分析", [Table(pd.DataFrame({"原业务员原机构续保件数": [3]}))])
>>> column_widths(wide), header_height(layout(wide)[0], column_widths(wide))
([14.0], 33.75)
"""

from __future__ import annotations

import unicodedata
import weakref
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from renewal_xl.reports.paper import LEGIBLE, POINTS_PER_PIXEL, column_points, one_page_scale
from renewal_xl.reports.spec import Chart, Sheet, Table
from renewal_xl.reports.style import CHART_ROWS, CHART_WIDTH, LINE_HEIGHT

MIN_WIDTH = 8.0
HEADER_LINES = 2  # lines a header row may take
MAX_WIDTH = 50.0
DEFAULT_POINTS = 48.0  # a column of Excel's default width (64 pixels)
WIDTH_SAMPLE = 2000  # rows looked at for column widths (registers reach 10^6 rows)


@dataclass(frozen=True)
class Block:
    """The rows one table occupies. ``last_row`` equals ``header_row`` for an empty table."""

    table: Table
    title_row: int | None
    header_row: int
    first_row: int
    last_row: int

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.table.frame.columns]

    def column(self, header: str) -> int:
        """1-based column of ``header``."""
        return self.columns.index(header) + 1


def layout(sheet: Sheet) -> list[Block]:
    """The block of every table of ``sheet``, top to bottom (with the rows of the charts
    below their tables, :func:`charts_below`)."""
    return _stack(sheet, charts_below(sheet))


def _stack(sheet: Sheet, below: bool) -> list[Block]:
    row = len(sheet.notes) + 2 if sheet.notes else 1
    blocks = []
    for k, table in enumerate(sheet.tables):
        title_row = None
        if table.title:
            title_row, row = row, row + 1
        last = row + len(table.frame)
        blocks.append(Block(table, title_row, row, row + 1, last))
        row = last + 2
        if below and len(table.frame):
            row += CHART_ROWS * sum(chart.table == k for chart in sheet.charts)
    return blocks


def display_width(value: object) -> int:
    """Characters a value takes on screen: East Asian wide characters count two."""
    if value is None or (isinstance(value, float) and value != value):
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)
    if text.isascii():  # no wide character (a C-level test)
        return len(text)
    return len(text) + sum(map(_WIDE, text))


class _Wide(dict):
    """1 for an East Asian wide or full-width character, else 0; each character's
    ``unicodedata.east_asian_width`` asked once (a dict look-up in C after that)."""

    def __missing__(self, ch: str) -> int:
        self[ch] = wide = int(unicodedata.east_asian_width(ch) in "WF")
        return wide


_WIDE = _Wide().__getitem__


def shown_width(value: object, fmt: str | None) -> int:
    """Characters a cell shows for ``value`` in number format ``fmt``: a number as the
    format draws it (``0.0%``: 5.3%, ``#,##0.00``: 12,345.60, decimals as the format
    has them), a number without a format as Excel's General (at most 11 characters);
    anything else as :func:`display_width`.

    >>> shown_width(0.05263157894736842, "0.0%"), shown_width(12345.6, "#,##0.00"), shown_width(1 / 3, None)
    (4, 9, 11)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, np.integer, np.floating)):
        return display_width(value)
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return display_width(value)
    if fmt and fmt != "@":
        decimals = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0  # 0.00## shows up to 4
        if fmt.endswith("%"):
            return len(f"{number * 100:.{decimals}f}%")
        return len(f"{number:,.{decimals}f}" if "," in fmt else f"{number:.{decimals}f}")
    return min(len(f"{number:.10g}"), 11)


def header_width(header: object) -> int:
    """Characters the widest line of ``header`` takes wrapped onto :data:`HEADER_LINES`
    lines, a line breaking only beside a wide (Chinese) character, where Excel and
    LibreOffice both break it."""
    text = str(header)
    best = display_width(text)
    if HEADER_LINES < 2 or text.isascii():
        return best
    for i in range(1, len(text)):
        if display_width(text[i - 1]) == 2 or display_width(text[i]) == 2:
            best = min(best, max(display_width(text[:i]), display_width(text[i:])))
    return best


def frozen_rows(sheet: Sheet) -> int:
    """The rows frozen at the top of ``sheet`` on screen: down to the first table's header
    when ``freeze`` is set (a list: the header stays in view); else the title line (the first
    note: what and as of when) of a sheet of stacked tables (review, year, business mix,
    statements), where no one header row applies to every table; else none.

    >>> frozen_rows(Sheet("续保分析", [Table(pd.DataFrame({"件数": [3]}), title="按月份")], notes=["2026年11月", "应续 3 件"], freeze=False))
    1
    """
    blocks = layout(sheet)
    if sheet.freeze and blocks:
        return blocks[0].header_row
    return 1 if sheet.notes and sheet.tables else 0


def header_height(block: Block, widths: list[float]) -> float | None:
    """Height (points) of the header row of ``block`` when one of its headers wraps
    (is wider than its column of ``widths``): :data:`HEADER_LINES` lines; else ``None``."""
    wraps = any(display_width(h) + 2 > widths[j] for j, h in enumerate(block.columns) if j < len(widths))
    return LINE_HEIGHT * HEADER_LINES + 3.75 if wraps else None


def column_widths(sheet: Sheet) -> list[float]:
    """Width of each column (Excel character units) fitting headers (wrapped,
    :func:`header_width`) and the first :data:`WIDTH_SAMPLE` values of every table, between :data:`MIN_WIDTH` and
    :data:`MAX_WIDTH`; a wrapped column (``Table.wrap``) has the width its table gives.
    Notes and titles do not widen columns (they may run over empty neighbours)."""
    widths: list[float] = []
    for table in sheet.tables:
        for j, wide in enumerate(_table_widths(table)):
            if j < len(widths):
                widths[j] = max(widths[j], wide)
            else:
                widths.append(wide)
    return [min(max(float(w), MIN_WIDTH), MAX_WIDTH) for w in widths]


_WIDTHS: dict[int, tuple[weakref.ref, weakref.ref, dict, dict, list[float]]] = {}


def _table_widths(table: Table) -> list[float]:
    """The widths :func:`column_widths` needs of one table's columns, worked out once per
    table object while it lives (the print plan, the check of what a renderer draws and the
    renderer each ask: 0.2 s a time on the priced register). Kept by weak reference, so a
    long-lived Excel session holds no report it has written; a new frame, formats or wraps is
    worked out again (a table is not changed in place once built: reports build new ones)."""
    kept = _WIDTHS.get(id(table))
    if (
        kept is not None
        and kept[0]() is table
        and kept[1]() is table.frame
        and kept[2] == table.formats
        and kept[3] == table.wrap
    ):
        return kept[4]
    widths = []
    for j, header in enumerate(table.frame.columns):
        if header in table.wrap:
            widths.append(table.wrap[header])
        else:
            sample = table.frame.iloc[:WIDTH_SAMPLE, j].to_numpy()
            widths.append(max(header_width(header), widest(sample, table.formats.get(str(header)))) + 2)
    if kept is None:
        weakref.finalize(table, _WIDTHS.pop, id(table), None)
    _WIDTHS[id(table)] = (weakref.ref(table), weakref.ref(table.frame), dict(table.formats), dict(table.wrap), widths)
    return widths


def file_width(width: float) -> float:
    """The width an .xlsx file stores for a column showing ``width`` characters (Excel's
    own rule, as XlsxWriter writes it: 7 pixels a character plus 5 of padding, in 1/256).

    >>> file_width(8.0), file_width(30.0)
    (8.7109375, 30.7109375)
    """
    pixels = int(width * 7 + 0.5) + 5 if width >= 1 else int(width * 12 + 0.5)
    return int(pixels / 7 * 256) / 256


def row_heights(block: Block) -> dict[int, float]:
    """Height (points) of each data row of ``block`` holding wrapped text, by row: enough
    lines for the longest wrapped cell and 5 pixels (not every program sizes wrapped rows
    itself).

    >>> t = Table(pd.DataFrame({"通知内容": ["一二三四五六七八九十" * 3, "短"]}), wrap={"通知内容": 22})
    >>> row_heights(Block(t, None, 1, 2, 3))
    {2: 48.75, 3: 18.75}
    """
    wrapped = [h for h in block.table.wrap if h in block.table.frame.columns]
    if not wrapped:
        return {}
    lines = np.ones(len(block.table.frame), dtype=np.int64)
    for header in wrapped:
        per_line = max(int(block.table.wrap[header]) - 2, 1)
        widths = _display_widths(block.table.frame[header].to_numpy())
        lines = np.maximum(lines, -(-widths // per_line))
    # whole pixels (0.75 pt), as files store them
    return {block.first_row + i: LINE_HEIGHT * int(n) + 3.75 for i, n in enumerate(lines)}


def chart_anchors(sheet: Sheet) -> list[tuple[Chart, int, int]]:
    """Each chart with something to plot and its top-left cell (row, column): beside its
    table (from the table's title row), right of every table the chart's rows cross, and
    below the chart before it; or, when :func:`charts_below`, under its table (and under
    the table's charts before it), right of the columns every printed page repeats
    (``Page.repeat_columns``: a chart there would print a slice of itself on every page)."""
    if not charts_below(sheet):
        return _beside(sheet, _stack(sheet, False))
    anchors = []
    blocks = _stack(sheet, True)
    column = sheet.page.repeat_columns + 1  # right of the columns every page repeats
    taken = [0] * len(blocks)
    for chart in sheet.charts:
        block = blocks[chart.table]
        if block.last_row == block.header_row:
            continue  # nothing to plot
        anchors.append((chart, block.last_row + 2 + CHART_ROWS * taken[chart.table], column))
        taken[chart.table] += 1
    return anchors


def charts_below(sheet: Sheet) -> bool:
    """True when the charts of ``sheet`` go below their tables: beside them, the sheet
    would print below :data:`~renewal_xl.reports.paper.LEGIBLE` one page wide."""
    if not sheet.charts:
        return False
    widths = column_widths(sheet)
    beside = [_left(widths, col) + CHART_WIDTH * POINTS_PER_PIXEL for _, _, col in _beside(sheet, _stack(sheet, False))]
    points = max([sum(column_points(w) for w in widths), *beside])
    return one_page_scale(points, sheet.page.landscape) < LEGIBLE


def content_points(sheet: Sheet) -> float:
    """Width (points, Excel's rule) of everything ``sheet`` draws: its columns, its charts
    and its notes and table titles (text running over empty neighbours prints too)."""
    widths = column_widths(sheet)
    edges = [sum(column_points(w) for w in widths)]
    texts = [*sheet.notes, *(t.title for t in sheet.tables if t.title)]
    edges += [column_points(display_width(text) + 2) for text in texts]
    edges += [_left(widths, col) + CHART_WIDTH * POINTS_PER_PIXEL for _, _, col in chart_anchors(sheet)]
    return max(edges)


def _left(widths: list[float], col: int) -> float:
    """Points from the sheet's left edge to column ``col`` (1-based); a column past
    ``widths`` has Excel's default width (64 pixels)."""
    return sum(column_points(w) for w in widths[: col - 1]) + DEFAULT_POINTS * max(0, col - 1 - len(widths))


def _beside(sheet: Sheet, blocks: list[Block]) -> list[tuple[Chart, int, int]]:
    anchors: list[tuple[Chart, int, int]] = []
    free = 1
    for chart in sheet.charts:
        block = blocks[chart.table]
        if block.last_row == block.header_row:
            continue  # nothing to plot
        row = max(block.title_row or block.header_row, free)
        crossed = [b for b in blocks if (b.title_row or b.header_row) < row + CHART_ROWS and b.last_row >= row]
        col = max((len(b.columns) for b in crossed), default=0) + 2
        anchors.append((chart, row, col))
        free = row + CHART_ROWS
    return anchors


def widest(values: np.ndarray, fmt: str | None) -> int:
    """The widest :func:`shown_width` of the non-blank ``values`` (0 when none), with fewer
    values measured where that provably gives the same answer:

    - numbers (a numpy number column) in a number format: the shown width grows with the
      size of the number on each side of zero (fixed decimals, rounding is monotone; a minus
      sign on the negative side; below 10^15, where a percent cannot overflow), so the largest and the smallest decide (and a zero shown
      as the first zero of the sample is, 0 or -0); without a format (General) so do whole
      numbers of up to ten digits; other numbers are measured once each;
    - text: measured once per distinct value, longest first by the bound ``display_width <=
      UTF-8 bytes`` (an ASCII character is one byte and one column, any other at least two
      bytes and at most two columns), stopping when no shorter value can be wider;
    - anything else (dates, yes/no, mixed cells): once per distinct value.

    >>> import numpy as np
    >>> widest(np.array([3.0, -12.5, np.nan, 0.25]), "#,##0.00"), widest(np.array(["张三", "Li Si", None], dtype=object), None)
    (6, 5)
    """
    if values.dtype.kind in "fiu" and len(values):
        return _widest_number(values.astype(np.float64), fmt)
    texts, others = [], []
    for v in _distinct(values):
        if isinstance(v, str):
            texts.append(v)
        elif v is not None and v == v and not _blank(v):  # None and NaN first: no pandas call
            others.append(v)
    best = max((shown_width(v, fmt) for v in others), default=0)
    for text, bound in sorted(((t, len(t.encode("utf-8", "surrogatepass"))) for t in texts), key=lambda tb: -tb[1]):
        if bound <= best:
            break  # no text left can be wider
        best = max(best, display_width(text))
    return best


def _widest_number(numbers: np.ndarray, fmt: str | None) -> int:
    """:func:`widest` of a float column (NaN blank); see there why these values decide."""
    finite = numbers[np.isfinite(numbers)]
    chosen = [v for v in (np.inf, -np.inf) if bool(np.any(numbers == v))]
    if finite.size:
        general, largest = not fmt or fmt == "@", float(np.abs(finite).max())
        whole = general and bool(np.all(finite == np.round(finite))) and largest < 1e10
        monotone = (not general and largest < 1e15) or whole  # x 100 of a percent format cannot overflow
        chosen += [float(finite.max()), float(finite.min())] if monotone else np.unique(finite).tolist()
        zeros = finite[finite == 0]
        if zeros.size:  # equal values count once, as the first of them shows (-0.0 or 0.0)
            chosen = [float(zeros[0]) if v == 0 else v for v in chosen] + [float(zeros[0])]
    return max((shown_width(v, fmt) for v in chosen), default=0)


def _display_widths(values: np.ndarray) -> np.ndarray:
    """:func:`display_width` of every value, each distinct value measured once where equal
    values show alike (text, blanks and floats; not ``False == 0`` or ``Decimal("1.0") ==
    Decimal("1.00")``)."""
    items = values.tolist()  # the same objects twice: a NaN finds itself
    if not set(map(type, items)) <= {str, float, type(None)}:
        return np.array([display_width(v) for v in items], dtype=np.int64)
    measured = {v: display_width(v) for v in dict.fromkeys(items)}
    return np.fromiter(map(measured.__getitem__, items), dtype=np.int64, count=len(items))


def _distinct(values: np.ndarray) -> list:
    """The distinct values of a column sample (each width is the same for equal values)."""
    try:
        return list(dict.fromkeys(values.tolist()))
    except TypeError:  # an unhashable cell value
        return list(values)


def _blank(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False

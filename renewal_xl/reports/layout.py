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
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from renewal_xl.reports.paper import LEGIBLE, POINTS_PER_PIXEL, column_points, one_page_scale
from renewal_xl.reports.spec import Chart, Sheet, Table
from renewal_xl.reports.style import CHART_ROWS, CHART_WIDTH, LINE_HEIGHT

MIN_WIDTH = 8.0
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
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(sheet: Sheet) -> list[float]:
    """Width of each column (Excel character units) fitting headers and the first
    :data:`WIDTH_SAMPLE` values of every table, between :data:`MIN_WIDTH` and
    :data:`MAX_WIDTH`; a wrapped column (``Table.wrap``) has the width its table gives.
    Notes and titles do not widen columns (they may run over empty neighbours)."""
    widths: list[float] = []
    for table in sheet.tables:
        for j, header in enumerate(table.frame.columns):
            if header in table.wrap:
                wide = table.wrap[header]
            else:
                values = _distinct(table.frame.iloc[:WIDTH_SAMPLE, j].to_numpy())
                wide = max([display_width(header), *(display_width(v) for v in values if not _blank(v))]) + 2
            if j < len(widths):
                widths[j] = max(widths[j], wide)
            else:
                widths.append(wide)
    return [min(max(float(w), MIN_WIDTH), MAX_WIDTH) for w in widths]


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
        widths = np.array([display_width(v) for v in block.table.frame[header].to_numpy()], dtype=np.int64)
        lines = np.maximum(lines, -(-widths // per_line))
    # whole pixels (0.75 pt), as files store them
    return {block.first_row + i: LINE_HEIGHT * int(n) + 3.75 for i, n in enumerate(lines)}


def chart_anchors(sheet: Sheet) -> list[tuple[Chart, int, int]]:
    """Each chart with something to plot and its top-left cell (row, column): beside its
    table (from the table's title row), right of every table the chart's rows cross, and
    below the chart before it; or, when :func:`charts_below`, in column A under its table
    (and under the table's charts before it)."""
    if not charts_below(sheet):
        return _beside(sheet, _stack(sheet, False))
    anchors = []
    blocks = _stack(sheet, True)
    taken = [0] * len(blocks)
    for chart in sheet.charts:
        block = blocks[chart.table]
        if block.last_row == block.header_row:
            continue  # nothing to plot
        anchors.append((chart, block.last_row + 2 + CHART_ROWS * taken[chart.table], 1))
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
    """Width (points, Excel's rule) of everything ``sheet`` draws: its columns and its charts."""
    widths = column_widths(sheet)
    edges = [sum(column_points(w) for w in widths)]
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

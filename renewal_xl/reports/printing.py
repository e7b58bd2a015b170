"""How a report sheet prints: one plan for every renderer, so a sheet printed from a
macro (xlwings) and from the command line (XlsxWriter, openpyxl) looks the same.

Every sheet prints on A4 (:mod:`renewal_xl.reports.paper`), landscape unless its
:class:`~renewal_xl.reports.spec.Page` says otherwise, as many pages tall as it needs: fit
to one page wide when that prints at :data:`~renewal_xl.reports.paper.LEGIBLE` or more
(in LibreOffice, the widest program); else at the largest fixed scale of at least
:data:`~renewal_xl.reports.paper.LEGIBLE` that fills a whole number of pages wide, the
page's ``repeat_columns`` leading columns (保单号, 客户名称) repeated on every page. A sheet
with charts has its page ends set so that no chart is cut across two pages
(:func:`chart_breaks`). The page header carries
the sheet's title (its period) on the left and the sheet name on the right; the footer
``第 N 页, 共 M 页``. A sheet with a frozen first table repeats that table's header row on
every page; a sheet whose page asks for it breaks the page after every data row of the
first table (one notice a page, at most :data:`MAX_BREAKS`, Excel's limit).

Header and footer texts use Excel's codes (``&L`` left, ``&R`` right, ``&P`` page,
``&N`` pages, ``&A`` sheet name); a ``&`` of the title is doubled.

>>> import pandas as pd
>>> from renewal_xl.reports.spec import Page, Sheet, Table
>>> s = Sheet("续保通知", [Table(pd.DataFrame({"客户": ["甲", "乙", "丙"]}))], notes=["续保通知 3 份 & 1"],
...           page=Page(break_rows=True))
>>> p = print_plan(s)
>>> p.header, p.footer, p.title_rows, p.breaks, p.scale
({'L': '续保通知 3 份 && 1', 'R': '&A'}, {'C': '第 &P 页, 共 &N 页'}, (3, 3), [4, 5], None)
>>> code(p.header)
'&L续保通知 3 份 && 1&R&A'

A sheet of 40 columns 20 characters wide (4,350 points, 5,800 in LibreOffice: one page
wide it would print at 13 %) with two identity columns prints at 65 %, seven pages wide:

>>> scale_for([20.0] * 40, landscape=True, repeat=2)
65
>>> scale_for([20.0] * 8, landscape=True, repeat=2) is None  # one page wide at 67 %
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from renewal_xl.reports.layout import chart_anchors, column_widths, content_points, header_height, layout, row_heights
from renewal_xl.reports.paper import (
    A4,
    END_MARGIN,
    HEADER_MARGIN,
    LEGIBLE,
    LIBREOFFICE_WIDTH,
    POINTS_PER_PIXEL,
    SIDE_MARGIN,
    column_points,
    one_page_scale,
    printable,
)
from renewal_xl.reports.spec import Sheet
from renewal_xl.reports.style import CHART_HEIGHT, CHART_ROWS

PAPER_A4 = 9  # Excel's paperSize code
MAX_BREAKS = 1023  # manual page breaks Excel keeps per sheet
DEFAULT_ROW = 15.0  # points: a row of the default font
PAGE_FILL = 0.8  # of a page's height a page is planned to hold (programs size rows a little differently)
MAX_PAGES_WIDE = 50  # pages wide tried for a legible scale
MAX_HEADER = 200  # characters of title in the page header (Excel refuses over 255 in all)
FOOTER = {"C": "第 &P 页, 共 &N 页"}


@dataclass(frozen=True)
class PrintPlan:
    """Page setup of one sheet. ``title_rows`` (first, last), 1-based, repeat on every
    page; ``breaks`` are the rows a page ends after (1-based); ``header`` and ``footer``
    map a section (``L``, ``C``, ``R``) to its text. ``scale`` (percent) is set for a sheet
    several pages wide, which then repeats ``title_columns`` (first, last; 1-based); else
    the sheet fits ``fit_width`` pages wide. ``margins`` are left, right, top, bottom,
    header and footer (inches)."""

    landscape: bool
    header: dict[str, str]
    footer: dict[str, str]
    title_rows: tuple[int, int] | None
    breaks: list[int]
    paper: int = PAPER_A4
    fit_width: int = 1  # pages wide
    fit_height: int = 0  # pages tall: 0 = as many as needed
    scale: int | None = None
    title_columns: tuple[int, int] | None = None
    margins: tuple[float, ...] = (SIDE_MARGIN, SIDE_MARGIN, END_MARGIN, END_MARGIN, HEADER_MARGIN, HEADER_MARGIN)


def page_title(sheet: Sheet) -> str:
    """The title a printed page of ``sheet`` carries."""
    return sheet.title or (sheet.notes[0] if sheet.notes else sheet.name)


def print_plan(sheet: Sheet) -> PrintPlan:
    """The page setup of ``sheet`` (see the module docstring)."""
    blocks = layout(sheet)
    first = blocks[0] if blocks else None
    title_rows = (first.header_row, first.header_row) if sheet.freeze and first and first.columns else None
    breaks: list[int] = []
    if sheet.page.break_rows and first:
        breaks = list(range(first.first_row, first.last_row))[:MAX_BREAKS]
    widths = column_widths(sheet)
    extra = content_points(sheet) - sum(column_points(w) for w in widths)
    if extra > 0:  # charts reach further than the columns: one more column as wide
        widths = widths + [(extra / POINTS_PER_PIXEL - 5) / 7]
    printed = plan(
        page_title(sheet),
        landscape=sheet.page.landscape,
        title_rows=title_rows,
        breaks=breaks,
        widths=widths,
        repeat=sheet.page.repeat_columns,
    )
    if sheet.charts and not breaks:
        scale = printed.scale or one_page_scale(sum(column_points(w) for w in widths), sheet.page.landscape)
        printed = replace(printed, breaks=chart_breaks(sheet, scale, title_rows))
    return printed


def chart_breaks(sheet: Sheet, scale: float, title_rows: tuple[int, int] | None) -> list[int]:
    """The rows a page ends after so that no chart of ``sheet`` printed at ``scale``
    percent is cut across two pages: every page end is set (a page holds
    :data:`PAGE_FILL` of what fits, so the program never adds a page end of its own), and
    a page ends before a chart that would not fit on it. Row heights are those the
    renderers set (header rows, wrapped rows), else :data:`DEFAULT_ROW` points."""
    heights: dict[int, float] = {}
    for block in layout(sheet):
        heights.update(row_heights(block))
        height = header_height(block, column_widths(sheet))
        if height:
            heights[block.header_row] = height
    starts = {row for _, row, _ in chart_anchors(sheet)}
    chart = CHART_HEIGHT * POINTS_PER_PIXEL
    landscape = sheet.page.landscape
    room = ((A4[0] if landscape else A4[1]) - 2 * END_MARGIN * 72) * 100 / scale * PAGE_FILL
    repeated = sum(heights.get(r, DEFAULT_ROW) for r in range(title_rows[0], title_rows[1] + 1)) if title_rows else 0
    last = max([b.last_row for b in layout(sheet)] + [row + CHART_ROWS for row in starts], default=0)
    breaks, used = [], 0.0
    for row in range(1, last + 1):
        height = heights.get(row, DEFAULT_ROW)
        need = max(height, chart) if row in starts else height
        if used and used + need > room:
            # before a chart, the page ends a row early: the blank row above it moves with the
            # chart (a chart's frame starting right at a page's end prints a stray line)
            end = row - 2 if row in starts and row > 2 and row - 2 not in breaks else row - 1
            breaks.append(end)
            used = (repeated if row > (title_rows[1] if title_rows else 0) else 0.0) + sum(
                heights.get(r, DEFAULT_ROW) for r in range(end + 1, row)
            )
        used += height
    return breaks[:MAX_BREAKS]


def plan(
    title: str,
    *,
    landscape: bool = True,
    title_rows: tuple[int, int] | None = None,
    breaks: list[int] | None = None,
    widths: list[float] | None = None,
    repeat: int = 0,
) -> PrintPlan:
    """The print plan of a sheet titled ``title`` (report sheets, template sheets) whose
    columns are ``widths`` characters wide (:func:`scale_for`)."""
    header = {"L": title[:MAX_HEADER].replace("&", "&&"), "R": "&A"}
    scale = scale_for(widths or [], landscape=landscape, repeat=repeat)
    columns = (1, repeat) if scale is not None and 0 < repeat < len(widths or []) else None
    return PrintPlan(landscape, header, dict(FOOTER), title_rows, breaks or [], scale=scale, title_columns=columns)


def scale_for(widths: list[float], *, landscape: bool, repeat: int = 0) -> int | None:
    """``None`` when columns ``widths`` characters wide print legibly fitted to one page
    wide; else the scale (whole percent, at least :data:`~renewal_xl.reports.paper.LEGIBLE`)
    at which they fill the fewest whole pages wide in LibreOffice, the first ``repeat``
    columns printed on every page and every page but the last allowed to end up to its
    widest column short (a column never splits across pages)."""
    points = [column_points(w) * LIBREOFFICE_WIDTH for w in widths]
    if one_page_scale(sum(points) / LIBREOFFICE_WIDTH, landscape) >= LEGIBLE:
        return None
    page = printable(landscape)
    repeated = sum(points[:repeat]) if 0 < repeat < len(points) else 0.0
    rest = sum(points) - repeated
    widest = max(points[repeat:] if 0 < repeat < len(points) else points)  # a column never splits: a page
    for wide in range(2, MAX_PAGES_WIDE + 1):  # may end up to one column short
        scale = math.floor(wide * page / (rest + wide * repeated + (wide - 1) * widest) * 100)
        if scale >= LEGIBLE:
            return min(scale, 100)
    return LEGIBLE


def code(sections: dict[str, str]) -> str:
    """One header or footer string of Excel's codes (``&L…&C…&R…``)."""
    return "".join(f"&{k}{sections[k]}" for k in "LCR" if k in sections)


def page_steps(sheet: Sheet) -> list[tuple[str, tuple]]:
    """The print plan of ``sheet`` as the calls a worksheet writer makes, in order:
    ``(step, arguments)`` with steps ``paper`` (code), ``landscape`` or ``portrait``, ``fit``
    (pages wide, pages tall) or ``scale`` (percent), ``margins`` (left, right, top, bottom,
    header, footer; inches), ``header`` and ``footer`` (code strings), ``repeat_rows`` and
    ``repeat_columns`` (first, last; 0-based) and ``breaks`` (the rows a page ends after). Each writer maps a step to
    its own method, so every renderer sets up the page from this one list."""
    plan = print_plan(sheet)
    steps: list[tuple[str, tuple]] = [
        ("paper", (plan.paper,)),
        ("landscape" if plan.landscape else "portrait", ()),
        ("scale", (plan.scale,)) if plan.scale else ("fit", (plan.fit_width, plan.fit_height)),
        ("margins", plan.margins),
        ("header", (code(plan.header),)),
        ("footer", (code(plan.footer),)),
    ]
    if plan.title_rows:
        steps.append(("repeat_rows", (plan.title_rows[0] - 1, plan.title_rows[1] - 1)))
    if plan.title_columns:
        steps.append(("repeat_columns", (plan.title_columns[0] - 1, plan.title_columns[1] - 1)))
    if plan.breaks:
        steps.append(("breaks", (plan.breaks,)))
    return steps

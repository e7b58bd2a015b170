"""How a report sheet prints: one plan for every renderer, so a sheet printed from a
macro (xlwings) and from the command line (XlsxWriter, openpyxl) looks the same.

Every sheet prints on A4 (:mod:`renewal_xl.reports.paper`), landscape unless its
:class:`~renewal_xl.reports.spec.Page` says otherwise, as many pages tall as it needs: fit
to one page wide when that prints at :data:`~renewal_xl.reports.paper.LEGIBLE` or more
(in LibreOffice, the widest program); else at the largest fixed scale of at least
:data:`~renewal_xl.reports.paper.LEGIBLE` that fills a whole number of pages wide, the
page's ``repeat_columns`` leading columns (保单号, 客户名称) repeated on every page. The page header carries
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
wide it would print at 13 %) with two identity columns prints at 64 %, six pages wide:

>>> scale_for([20.0] * 40, landscape=True, repeat=2)
64
>>> scale_for([20.0] * 8, landscape=True, repeat=2) is None  # one page wide at 67 %
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from renewal_xl.reports.layout import column_widths, content_points, layout
from renewal_xl.reports.paper import (
    END_MARGIN,
    HEADER_MARGIN,
    LEGIBLE,
    LIBREOFFICE_WIDTH,
    SIDE_MARGIN,
    column_points,
    one_page_scale,
    printable,
)
from renewal_xl.reports.spec import Sheet

PAPER_A4 = 9  # Excel's paperSize code
MAX_BREAKS = 1023  # manual page breaks Excel keeps per sheet
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
    points = content_points(sheet)
    if points > sum(column_points(w) for w in widths):  # charts reach further than the columns
        widths = widths + [(points - sum(column_points(w) for w in widths)) / column_points(1.0)]
    return plan(
        page_title(sheet),
        landscape=sheet.page.landscape,
        title_rows=title_rows,
        breaks=breaks,
        widths=widths,
        repeat=sheet.page.repeat_columns,
    )


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
    columns printed on every page."""
    points = [column_points(w) * LIBREOFFICE_WIDTH for w in widths]
    if one_page_scale(sum(points) / LIBREOFFICE_WIDTH, landscape) >= LEGIBLE:
        return None
    page = printable(landscape)
    repeated = sum(points[:repeat]) if 0 < repeat < len(points) else 0.0
    rest = sum(points) - repeated
    for wide in range(2, MAX_PAGES_WIDE + 1):
        scale = math.floor(wide * page / (rest + wide * repeated) * 100)
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

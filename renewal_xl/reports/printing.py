"""How a report sheet prints: one plan for every renderer, so a sheet printed from a
macro (xlwings) and from the command line (XlsxWriter, openpyxl) looks the same.

Every sheet prints on A4, fit to one page wide (as many pages tall as it needs), landscape
unless its :class:`~renewal_xl.reports.spec.Page` says otherwise. The page header carries
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
>>> p.header, p.footer, p.title_rows, p.breaks
({'L': '续保通知 3 份 && 1', 'R': '&A'}, {'C': '第 &P 页, 共 &N 页'}, (3, 3), [4, 5])
>>> code(p.header)
'&L续保通知 3 份 && 1&R&A'
"""

from __future__ import annotations

from dataclasses import dataclass

from renewal_xl.reports.layout import layout
from renewal_xl.reports.spec import Sheet

PAPER_A4 = 9  # Excel's paperSize code
MAX_BREAKS = 1023  # manual page breaks Excel keeps per sheet
MAX_HEADER = 200  # characters of title in the page header (Excel refuses over 255 in all)
FOOTER = {"C": "第 &P 页, 共 &N 页"}


@dataclass(frozen=True)
class PrintPlan:
    """Page setup of one sheet. ``title_rows`` (first, last), 1-based, repeat on every
    page; ``breaks`` are the rows a page ends after (1-based); ``header`` and ``footer``
    map a section (``L``, ``C``, ``R``) to its text."""

    landscape: bool
    header: dict[str, str]
    footer: dict[str, str]
    title_rows: tuple[int, int] | None
    breaks: list[int]
    paper: int = PAPER_A4
    fit_width: int = 1  # pages wide
    fit_height: int = 0  # pages tall: 0 = as many as needed


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
    return plan(page_title(sheet), landscape=sheet.page.landscape, title_rows=title_rows, breaks=breaks)


def plan(
    title: str, *, landscape: bool = True, title_rows: tuple[int, int] | None = None, breaks: list[int] | None = None
) -> PrintPlan:
    """The print plan of a sheet titled ``title`` (report sheets, template sheets)."""
    header = {"L": title[:MAX_HEADER].replace("&", "&&"), "R": "&A"}
    return PrintPlan(landscape, header, dict(FOOTER), title_rows, breaks or [])


def code(sections: dict[str, str]) -> str:
    """One header or footer string of Excel's codes (``&L…&C…&R…``)."""
    return "".join(f"&{k}{sections[k]}" for k in "LCR" if k in sections)


def page_steps(sheet: Sheet) -> list[tuple[str, tuple]]:
    """The print plan of ``sheet`` as the calls a worksheet writer makes, in order:
    ``(step, arguments)`` with steps ``paper`` (code), ``landscape`` or ``portrait``, ``fit``
    (pages wide, pages tall), ``header`` and ``footer`` (code strings), ``repeat_rows`` (first,
    last; 0-based) and ``breaks`` (the rows a page ends after). Each writer maps a step to
    its own method, so every renderer sets up the page from this one list."""
    plan = print_plan(sheet)
    steps: list[tuple[str, tuple]] = [
        ("paper", (plan.paper,)),
        ("landscape" if plan.landscape else "portrait", ()),
        ("fit", (plan.fit_width, plan.fit_height)),
        ("header", (code(plan.header),)),
        ("footer", (code(plan.footer),)),
    ]
    if plan.title_rows:
        steps.append(("repeat_rows", (plan.title_rows[0] - 1, plan.title_rows[1] - 1)))
    if plan.breaks:
        steps.append(("breaks", (plan.breaks,)))
    return steps

"""The macros of the templates (excel-contract §2) over the :class:`~renewal_xl.app.book.Book`
interface. The xlwings layer (``udfs/macros.py``) wraps each as an ``@xw.script`` over an xlwings Book; tests and
Linux use :class:`~renewal_xl.render.openpyxl_book.OpenpyxlBook`.

Each macro reads `保单台账` (and `续保跟踪`), builds its report, places it with
:func:`~renewal_xl.app.book.place_report` (a sheet the user made is never overwritten)
and returns the messages to show, in Chinese. A register that cannot be used (no
`保单台账` sheet, required columns missing) raises :class:`~renewal_xl.errors.SourceError`.

Periods: the renewal list covers the calendar month after ``today``; the monthly review
and the statements cover the month before ``today`` (each month last month is checked and
settled); with the statements comes the year of that month up to its last day (年度绩效,
targets from the workbook's sheet `目标` when it has one).
settled); the progress covers the month of ``today`` (the month in progress).
"""

from __future__ import annotations

import datetime as dt

from renewal_xl.app import jobs
from renewal_xl.app.book import Book, place_report
from renewal_xl.app.collect import collect, frame_rows
from renewal_xl.columns import REGISTER, TARGETS, TRACKING
from renewal_xl.dates import month_before, month_bounds
from renewal_xl.errors import SourceError
from renewal_xl.io.register import (
    REGISTER_SHEET,
    TARGETS_REQUIRED,
    TARGETS_SHEET,
    TRACKING_REQUIRED,
    TRACKING_SHEET,
    Register,
    tidy,
)
from renewal_xl.reports.renewals import LIST_SHEET
from renewal_xl.reports.spec import Report
from renewal_xl.reports.tracking import CONFLICT_SHEET, TRACKING_HEADERS, is_list_sheet
from renewal_xl.workflow.due import Window
from renewal_xl.workflow.statements import DEFAULT_TARGET


def _register(book: Book, required) -> Register:
    if REGISTER_SHEET not in book.sheet_names():
        raise SourceError("工作簿", "sheet", REGISTER_SHEET, f"没有工作表 {REGISTER_SHEET} (保单台账)")
    return tidy(book.read_frame(REGISTER_SHEET), REGISTER, required, f"工作表 {REGISTER_SHEET}")


def _tracking(book: Book) -> Register | None:
    if TRACKING_SHEET not in book.sheet_names():
        return None
    return tidy(book.read_frame(TRACKING_SHEET), TRACKING, TRACKING_REQUIRED, f"工作表 {TRACKING_SHEET}")


def _targets(book: Book) -> Register | None:
    if TARGETS_SHEET not in book.sheet_names():
        return None
    return tidy(book.read_frame(TARGETS_SHEET), TARGETS, TARGETS_REQUIRED, f"工作表 {TARGETS_SHEET}")


def _place(book: Book, outcome: jobs.Outcome) -> list[str]:
    moved = place_report(book, outcome.report)  # renames the sheets it had to move
    return [*outcome.messages, *moved, "已写入工作表: " + " ".join(s.name for s in outcome.report.sheets)]


def generate_renewal_list(
    book: Book, today: dt.date | None = None, *, hotline: str | None = None, mask_phones: bool = False
) -> list[str]:
    """续保清单, 续保-<业务员>, 续保汇总, 续保通知 for the month after ``today``."""
    today = today or dt.date.today()
    outcome = jobs.renewals(_register(book, jobs.RENEWAL_COLUMNS), today, Window.of(today), hotline=hotline)
    return _place(book, outcome.masked() if mask_phones else outcome)


def monthly_review(book: Book, today: dt.date | None = None) -> list[str]:
    """续保分析 of the month before ``today``, as of ``today``."""
    today = today or dt.date.today()
    month = Window(*month_before(today))
    return _place(book, jobs.review(_register(book, jobs.REVIEW_COLUMNS), month, _tracking(book), today))


def renewal_progress(book: Book, today: dt.date | None = None) -> list[str]:
    """续保进度 of the month of ``today``, as of ``today``."""
    today = today or dt.date.today()
    month = Window(*month_bounds(f"{today:%Y-%m}"))
    return _place(book, jobs.progress(_register(book, jobs.PROGRESS_COLUMNS), month, _tracking(book), today))


def check_data(book: Book, today: dt.date | None = None) -> list[str]:
    """数据质量: every bad cell of 保单台账."""
    return _place(book, jobs.check(_register(book, jobs.CHECK_COLUMNS), today or dt.date.today()))


def commission_statement(
    book: Book, today: dt.date | None = None, *, target: int = DEFAULT_TARGET, year: bool = True
) -> list[str]:
    """手续费结算 and 绩效提取 of the policies started in the month before ``today``; with
    ``year``, also 年度绩效 of that month's year up to the month's last day."""
    month = Window(*month_before(today or dt.date.today()))
    register = _register(book, jobs.STATEMENT_COLUMNS)
    outcome = jobs.statement(register, month, target)
    if year:
        annual = jobs.year(register, month.first.year, month.last, _targets(book))
        outcome = jobs.Outcome(
            Report([*outcome.report.sheets, *annual.report.sheets]), [*outcome.messages, *annual.messages]
        )
    return _place(book, outcome)


def collect_followups(book: Book, today: dt.date | None = None) -> list[str]:
    """The follow-ups filled in on 续保清单 / 续保-<业务员> added to 续保跟踪 (rules:
    :mod:`renewal_xl.workflow.followups`). A 续保跟踪 the user keeps is never rewritten: the
    new and updated policies are appended under its rows (the last row of a policy is the one
    the review reads); one the add-in wrote, or none, is (re)written whole. Disagreeing
    entries go to sheet 冲突. ``today`` is unused (every macro takes it)."""
    sheets = [
        (f"工作表 {name}", frame_rows(book.read_frame(name))) for name in book.sheet_names() if is_list_sheet(name)
    ]
    if not sheets:
        raise SourceError("工作簿", "sheet", LIST_SHEET, f"没有工作表 {LIST_SHEET} 或 续保-<业务员> (先生成续保清单)")
    tracking = _tracking(book)
    collected, outcome = collect(sheets, tracking, f"工作表 {TRACKING_SHEET}")
    if tracking is None or book.has_marker(TRACKING_SHEET):
        return _place(book, outcome)
    changed = collected.tracking[collected.tracking["policy_no"].isin(collected.changed)]
    rows = [
        {TRACKING_HEADERS[k]: (None if v == "" else v) for k, v in r.items() if k in TRACKING_HEADERS}
        for r in changed.to_dict("records")
    ]
    book.append_rows(TRACKING_SHEET, rows)
    outcome.report.sheets = [s for s in outcome.report.sheets if s.name == CONFLICT_SHEET]
    placed = _place(book, outcome) if outcome.report.sheets else outcome.messages
    return [*placed, f"工作表 {TRACKING_SHEET} 是用户的表格, 已在末尾追加 {len(rows)} 行 (原有各行未改动)"]

"""The macros of the templates (excel-contract §2) over the :class:`~renewal_xl.app.book.Book`
interface. The xlwings layer wraps each as an ``@xw.sub`` over an xlwings Book; tests and
Linux use :class:`~renewal_xl.io.openpyxl_book.OpenpyxlBook`.

Each macro reads `保单台账` (and `续保跟踪`), builds its report, places it with
:func:`~renewal_xl.app.book.place_report` (a sheet the user made is never overwritten)
and returns the messages to show, in Chinese. A register that cannot be used (no
`保单台账` sheet, required columns missing) raises :class:`~renewal_xl.errors.SourceError`.

Periods: the renewal list covers the calendar month after ``today``; the monthly review
and the statements cover the month before ``today`` (each month last month is checked and
settled); the progress covers the month of ``today`` (the month in progress).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from renewal_xl.app import jobs
from renewal_xl.app.book import Book, place_report
from renewal_xl.columns import REGISTER, TRACKING
from renewal_xl.dates import month_before, month_bounds
from renewal_xl.errors import SourceError
from renewal_xl.io.register import REGISTER_SHEET, TRACKING_REQUIRED, TRACKING_SHEET, tidy
from renewal_xl.reports.privacy import mask_report
from renewal_xl.workflow.due import Window
from renewal_xl.workflow.statements import DEFAULT_TARGET


def _register(book: Book, required) -> pd.DataFrame:
    if REGISTER_SHEET not in book.sheet_names():
        raise SourceError("工作簿", "sheet", REGISTER_SHEET, f"没有工作表 {REGISTER_SHEET} (保单台账)")
    return tidy(book.read_frame(REGISTER_SHEET), REGISTER, required, f"工作表 {REGISTER_SHEET}")


def _tracking(book: Book) -> pd.DataFrame | None:
    if TRACKING_SHEET not in book.sheet_names():
        return None
    return tidy(book.read_frame(TRACKING_SHEET), TRACKING, TRACKING_REQUIRED, f"工作表 {TRACKING_SHEET}")


def _place(book: Book, outcome: jobs.Outcome) -> list[str]:
    moved = place_report(book, outcome.report)  # renames the sheets it had to move
    return [*outcome.messages, *moved, "已写入工作表: " + " ".join(s.name for s in outcome.report.sheets)]


def generate_renewal_list(
    book: Book, today: dt.date | None = None, *, hotline: str | None = None, mask_phones: bool = False
) -> list[str]:
    """续保清单, 续保-<业务员>, 续保汇总, 续保通知 for the month after ``today``."""
    today = today or dt.date.today()
    outcome = jobs.renewals(
        _register(book, jobs.RENEWAL_COLUMNS), today, Window.of(today), hotline=hotline, mask_phones=mask_phones
    )
    if mask_phones:  # also phone and ID numbers inside other text (names, remarks)
        outcome.report = mask_report(outcome.report)
    return _place(book, outcome)


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


def commission_statement(book: Book, today: dt.date | None = None, *, target: int = DEFAULT_TARGET) -> list[str]:
    """手续费结算 and 绩效提取 of the policies started in the month before ``today``."""
    month = Window(*month_before(today or dt.date.today()))
    return _place(book, jobs.statement(_register(book, jobs.STATEMENT_COLUMNS), month, target))

"""The workflow jobs shared by the macros and the command line: a canonical register (and
tracking table) in, a :class:`~renewal_xl.reports.spec.Report` and Chinese messages out.

Each job names the register columns it needs (``*_COLUMNS``, passed to
:func:`renewal_xl.io.register.tidy` by whoever reads the register). The tariff used to read
channels and check values is the one in force on the job's reference day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from renewal_xl.app.settings import UNSET_HOTLINE
from renewal_xl.app.settings import hotline as configured_hotline
from renewal_xl.io.register import REGISTER_REQUIRED, empty_tracking
from renewal_xl.reports.price import price_report
from renewal_xl.reports.quality import quality_report
from renewal_xl.reports.renewals import renewals_report
from renewal_xl.reports.review import review_report
from renewal_xl.reports.spec import Report
from renewal_xl.reports.statements import statements_report
from renewal_xl.tariff import Tariff, catalogue
from renewal_xl.workflow.due import Window, due_list
from renewal_xl.workflow.policies import BASE_COLUMNS, Policies, read_policies, refuse_unusable
from renewal_xl.workflow.quality import check_register
from renewal_xl.workflow.renewal_quote import price_renewals
from renewal_xl.workflow.review import monthly_review
from renewal_xl.workflow.statements import DEFAULT_TARGET, statements

RENEWAL_COLUMNS = REGISTER_REQUIRED
REVIEW_COLUMNS = BASE_COLUMNS
STATEMENT_COLUMNS = BASE_COLUMNS
PRICE_COLUMNS = ("end_date", "first_registration", "new_car_price", "seats", "coverage")
CHECK_COLUMNS = ()  # missing columns are reported as problems


@dataclass
class Outcome:
    """A job's report, its messages for the user and (for checks) the number of problems."""

    report: Report
    messages: list[str] = field(default_factory=list)
    problems: int = 0


def tariff_on(day: dt.date) -> Tariff:
    return catalogue().for_date(day)


def _policies(register: pd.DataFrame, day: dt.date, messages: list[str]) -> Policies:
    policies = read_policies(register, tariff_on(day))
    if policies.skipped:
        messages.append(f"{policies.skipped} 行保单号/车架号/起止日期无法识别或保单号重复, 未纳入 (请运行 数据检查)")
    return policies


def renewals(
    register: pd.DataFrame, as_of: dt.date, window: Window, *, hotline: str | None = None, mask_phones: bool = False
) -> Outcome:
    """The due list workbook (续保清单, 续保-<业务员>, 续保汇总, 续保通知)."""
    messages: list[str] = []
    policies = _policies(register, as_of, messages)
    due = due_list(policies, window, as_of)
    line = configured_hotline(hotline)
    failed = int((~due.rows["quote_ok"]).sum())
    messages.insert(
        0, f"续保清单 {window.label()}: 应续 {len(due.rows)} 件, 已提前续保 {len(due.early)} 件, 报价失败 {failed} 件"
    )
    if line == UNSET_HOTLINE:
        messages.append(
            "未设置客服热线: 续保通知中显示 “(未设置客服热线)” (设置环境变量 RENEWAL_XL_HOTLINE 或 --hotline)"
        )
    return Outcome(renewals_report(due, line, mask_phones), messages)


def review(register: pd.DataFrame, month: Window, tracking: pd.DataFrame | None) -> Outcome:
    """The monthly review workbook (续保分析)."""
    messages: list[str] = []
    if tracking is None:
        tracking = empty_tracking()
        messages.append("没有续保跟踪表: 脱保原因均记为 未填写")
    result = monthly_review(_policies(register, month.first, messages), month, tracking)
    total = result.total
    messages.insert(
        0,
        f"{month.first:%Y-%m} 续保分析: 应续 {int(total['due'])} 件, 实续 {int(total['renewed'])} 件, "
        f"抢户 {len(result.poached)} 件, 未填写脱保原因 {len(result.follow_up)} 件",
    )
    return Outcome(review_report(result), messages)


def check(register: pd.DataFrame, today: dt.date) -> Outcome:
    """The data-quality workbook (数据质量); ``problems`` = number of problems."""
    problems = check_register(register, tariff_on(today))
    message = (
        f"检查 {len(register)} 行: 发现 {len(problems)} 个问题"
        if len(problems)
        else f"检查 {len(register)} 行: 未发现问题"
    )
    return Outcome(quality_report(problems, len(register)), [message], problems=len(problems))


def statement(register: pd.DataFrame, month: Window, target: int = DEFAULT_TARGET) -> Outcome:
    """The statements workbook (手续费结算, 绩效提取) of policies started in ``month``."""
    messages: list[str] = []
    t = tariff_on(month.first)
    result = statements(_policies(register, month.first, messages), month, t, target)
    if result.skipped:
        messages.append(f"{result.skipped} 份保单渠道或手续费率无法识别, 未计入结算")
    messages.insert(
        0,
        f"{month.first:%Y-%m} 结算: {len(result.policies)} 份保单, "
        f"手续费合计 {result.agencies['commission'].iloc[-1] / 100:,.2f} 元, "
        f"绩效合计 {result.salespeople['pay'].iloc[-1] / 100:,.2f} 元",
    )
    return Outcome(statements_report(result), messages)


def price(register: pd.DataFrame, today: dt.date) -> Outcome:
    """The register with its renewal quotes and breakdown (续保报价)."""
    priced = price_renewals(register, today=today)
    refuse_unusable(np.asarray(priced.errors, dtype=object), register)
    failed = int(sum(e is not None for e in priced.errors))
    return Outcome(price_report(register, priced), [f"续保报价 {len(register)} 行, 报价失败 {failed} 行"])

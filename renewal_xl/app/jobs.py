"""The workflow jobs shared by the macros and the command line: a canonical register (and
tracking table) in, a :class:`~renewal_xl.reports.spec.Report` and Chinese messages out.

Each job names the register columns it needs (``*_COLUMNS``, passed to
:func:`renewal_xl.io.register.tidy` by whoever reads the register). The tariff used to read
channels and check values is the one in force on the job's reference day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from renewal_xl.app.settings import hotline as configured_hotline
from renewal_xl.io.register import REGISTER_REQUIRED, empty_tracking
from renewal_xl.reports.handout import file_names, owner_label
from renewal_xl.reports.mix import mix_report
from renewal_xl.reports.price import price_report
from renewal_xl.reports.privacy import mask_report
from renewal_xl.reports.progress import progress_report
from renewal_xl.reports.quality import quality_report
from renewal_xl.reports.renewals import NO_HOTLINE, renewals_report
from renewal_xl.reports.review import review_report
from renewal_xl.reports.spec import Report
from renewal_xl.reports.statements import statements_report
from renewal_xl.reports.year import year_report
from renewal_xl.tariff import Tariff, catalogue
from renewal_xl.workflow.due import DueList, Window, due_list
from renewal_xl.workflow.handout import split_due
from renewal_xl.workflow.mix import business_mix
from renewal_xl.workflow.policies import BASE_COLUMNS, Policies, read_policies, refuse_unusable
from renewal_xl.workflow.progress import month_progress
from renewal_xl.workflow.quality import check_register
from renewal_xl.workflow.renewal_quote import price_renewals
from renewal_xl.workflow.review import monthly_review
from renewal_xl.workflow.statements import DEFAULT_TARGET, statements
from renewal_xl.workflow.year import problems_per_agency, targets_of, year_period, year_statements

RENEWAL_COLUMNS = REGISTER_REQUIRED
REVIEW_COLUMNS = BASE_COLUMNS
PROGRESS_COLUMNS = BASE_COLUMNS
STATEMENT_COLUMNS = BASE_COLUMNS
YEAR_COLUMNS = BASE_COLUMNS
MIX_COLUMNS = BASE_COLUMNS  # the segment columns are used where present ((未知) otherwise)
PRICE_COLUMNS = ("end_date", "first_registration", "new_car_price", "seats", "coverage")
CHECK_COLUMNS = ()  # missing columns are reported as problems
OWNER_LABELS = {"salesperson": "业务员", "agency": "代理机构"}


@dataclass
class Outcome:
    """A job's report, its messages for the user and (for checks) the number of problems."""

    report: Report
    messages: list[str] = field(default_factory=list)
    problems: int = 0

    def masked(self) -> Outcome:
        """The same outcome with phone and ID numbers masked everywhere in the report
        (``--mask-phones``, the macro's ``mask_phones``): the one place masking is applied."""
        return replace(self, report=mask_report(self.report))


def tariff_on(day: dt.date) -> Tariff:
    return catalogue().for_date(day)


def _policies(register: pd.DataFrame, day: dt.date, messages: list[str]) -> Policies:
    policies = read_policies(register, tariff_on(day))
    if policies.skipped:
        messages.append(f"{policies.skipped} 行保单号/车架号/起止日期无法识别或保单号重复, 未纳入 (请运行 数据检查)")
    return policies


def renewals(register: pd.DataFrame, as_of: dt.date, window: Window, *, hotline: str | None = None) -> Outcome:
    """The due list workbook (续保清单, 续保-<业务员>, 续保汇总, 续保通知)."""
    due, line, messages = _due(register, as_of, window, hotline)
    return Outcome(renewals_report(due, line), messages)


def renewal_lists(
    register: pd.DataFrame,
    as_of: dt.date,
    window: Window,
    by: str,
    *,
    hotline: str | None = None,
) -> tuple[list[tuple[str, Outcome]], list[str]]:
    """The due list handed out (``--split``): ``(file name, that owner's workbook)`` per
    owner (:func:`renewal_xl.workflow.handout.split_due`) and the run's messages."""
    due, line, messages = _due(register, as_of, window, hotline)
    parts = split_due(due, by)
    names = file_names([owner for owner, _ in parts], by)
    lists = []
    for owner, part in parts:
        label = f"{OWNER_LABELS[by]} {owner_label(owner, by)}"
        lists.append(
            (
                names[owner],
                Outcome(renewals_report(part, line, owner=label), [f"{label}: 应续 {len(part.rows)} 件"]),
            )
        )
    return lists, messages


def _due(
    register: pd.DataFrame, as_of: dt.date, window: Window, hotline: str | None
) -> tuple[DueList, str | None, list[str]]:
    """The due list, the hotline for its notices and the messages of the run."""
    messages: list[str] = []
    policies = _policies(register, as_of, messages)
    due = due_list(policies, window, as_of)
    line = configured_hotline(hotline)
    failed = int((~due.rows["quote_ok"]).sum())
    messages.insert(
        0, f"续保清单 {window.label()}: 应续 {len(due.rows)} 件, 已提前续保 {len(due.early)} 件, 报价失败 {failed} 件"
    )
    if line is None:
        messages.append(NO_HOTLINE)
    return due, line, messages


def review(
    register: pd.DataFrame, month: Window, tracking: pd.DataFrame | None, as_of: dt.date | None = None
) -> Outcome:
    """The monthly review workbook (续保分析) as of ``as_of`` (default today)."""
    messages: list[str] = []
    as_of = as_of or dt.date.today()
    if tracking is None:
        tracking = empty_tracking()
        messages.append("没有续保跟踪表: 脱保原因均记为 未填写")
    t = tariff_on(month.first)
    result = monthly_review(_policies(register, month.first, messages), month, tracking, as_of, t)
    total = result.total
    messages.insert(
        0,
        f"{month.first:%Y-%m} 续保分析: 应续 {int(total['due'])} 件, "
        f"实续 {int(total['renewed'])} 件, 未到期 {int(total['pending'])} 件, 脱保 {int(total['lapsed'])} 件, "
        f"待核实 {int(total['to_verify'])} 件, 非原业务员原机构续保 {len(result.poached)} 件, "
        f"未填写脱保原因 {len(result.follow_up)} 件 (截至 {as_of:%Y-%m-%d})",
    )
    return Outcome(review_report(result), messages)


def progress(register: pd.DataFrame, month: Window, tracking: pd.DataFrame | None, as_of: dt.date) -> Outcome:
    """The progress workbook (续保进度) of ``month`` as of ``as_of``."""
    messages: list[str] = []
    if tracking is None:
        tracking = empty_tracking()
        messages.append("没有续保跟踪表: 未到期的保单均记为 未联系")
    result = month_progress(_policies(register, month.first, messages), month, tracking, as_of, tariff_on(month.first))
    t = result.total
    messages.insert(
        0,
        f"{month.first:%Y-%m} 续保进度 (截至 {as_of:%Y-%m-%d}): 应续 {t['due']} 件, 已续保 {t['renewed']} 件, "
        f"未到期 {t['pending']} 件 (未联系 {t['not_contacted']} 件), 已脱保 {t['lapsed']} 件, "
        f"紧急 {len(result.urgent)} 件",
    )
    return Outcome(progress_report(result), messages)


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
        messages.append(f"{result.skipped} 份保单渠道、手续费率或是否续保无法识别, 未计入结算")
    messages.insert(
        0,
        f"{month.first:%Y-%m} 结算: {len(result.policies)} 份保单, "
        f"手续费合计 {result.agencies['commission'].iloc[-1] / 100:,.2f} 元, "
        f"绩效合计 {result.salespeople['pay'].iloc[-1] / 100:,.2f} 元",
    )
    return Outcome(statements_report(result), messages)


def year(register: pd.DataFrame, year: int, as_of: dt.date, targets: pd.DataFrame | None = None) -> Outcome:
    """The year workbook (年度绩效) of ``year`` to ``as_of``; ``targets``: a canonical targets
    table (None: no targets, no renewal bonus)."""
    messages: list[str] = []
    period = year_period(year, as_of)
    goals = targets_of(targets) if targets is not None else None
    problems = problems_per_agency(register, check_register(register, tariff_on(period.last)))
    result = year_statements(_policies(register, period.last, messages), year, as_of, catalogue(), goals, problems)
    if result.skipped:
        messages.append(f"{result.skipped} 份保单渠道或手续费率无法识别, 未计入")
    if goals is None:
        messages.append("未提供目标表: 不计续保奖励 (用 --targets 或在台账工作簿中加 目标 工作表)")
    people, total = result.salespeople.iloc[:-1], result.salespeople.iloc[-1]
    rate = "—" if pd.isna(total["premium_rate"]) else f"{total['premium_rate']:.1%}"
    messages.insert(
        0,
        f"{year}年 年度绩效 ({period.label()}): {len(people)} 名业务员, 保费 {total['premium'] / 100:,.2f} 元, "
        f"保费续保率 {rate}, 续保奖励 {total['bonus'] / 100:,.2f} 元 (达标 {int(people['count_met'].sum())} 人)",
    )
    return Outcome(year_report(result), messages)


def mix(register: pd.DataFrame, period: Window) -> Outcome:
    """The business-mix workbook (业务结构) of the policies that ended in ``period``."""
    messages: list[str] = []
    result = business_mix(_policies(register, period.last, messages), period, tariff_on(period.last))
    total = result.total
    loss = "—" if pd.isna(total["loss_ratio"]) else f"{total['loss_ratio']:.1%}"
    frequency = "—" if pd.isna(total["claim_frequency"]) else f"{total['claim_frequency']:.1%}"
    messages.insert(
        0,
        f"业务结构 {period.label()}: 满期 {int(total['policies'])} 件, 保费 {total['premium'] / 100:,.2f} 元, "
        f"出险频率 {frequency}, 赔付率 {loss}",
    )
    if result.unpaid:
        messages.append(f"{result.unpaid} 件未填写赔款金额, 不计入赔付率")
    return Outcome(mix_report(result), messages)


def price(register: pd.DataFrame, today: dt.date) -> Outcome:
    """The register with its renewal quotes and breakdown (续保报价)."""
    priced = price_renewals(register, today=today)
    refuse_unusable(np.asarray(priced.errors, dtype=object), register)
    failed = int(sum(e is not None for e in priced.errors))
    return Outcome(price_report(register, priced), [f"续保报价 {len(register)} 行, 报价失败 {failed} 行"])

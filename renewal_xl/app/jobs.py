"""The workflow jobs shared by the macros and the command line: a canonical
:class:`~renewal_xl.io.register.Register` (and tracking table) in, a
:class:`~renewal_xl.reports.spec.Report` and Chinese messages out.

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
from renewal_xl.columns import REGISTER
from renewal_xl.io.register import REGISTER_REQUIRED, Register, empty_tracking
from renewal_xl.pricing.price import Priced
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
from renewal_xl.workflow.review import Review, monthly_review
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


def _policies(register: Register, day: dt.date, messages: list[str]) -> Policies:
    policies = read_policies(register, tariff_on(day))
    messages.extend(skipped_message(policies.skipped))
    return policies


def skipped_message(skipped: int) -> list[str]:
    """The message about register rows left out (none when no row was)."""
    return [f"{skipped} 行保单号/车架号/起止日期无法识别或保单号重复, 未纳入 (请运行 数据检查)"] if skipped else []


def due_of(register: Register, as_of: dt.date, window: Window, messages: list[str]) -> DueList:
    """The due list of a register (pandas engine); rows left out are told in ``messages``."""
    return due_list(_policies(register, as_of, messages), window, as_of)


def renewals(register: Register, as_of: dt.date, window: Window, *, hotline: str | None = None) -> Outcome:
    """The due list workbook (续保清单, 续保-<业务员>, 续保汇总, 续保通知)."""
    messages: list[str] = []
    return renewals_outcome(due_of(register, as_of, window, messages), messages, hotline=hotline)


def renewals_outcome(due: DueList, messages: list[str], *, hotline: str | None = None) -> Outcome:
    """The due list workbook of ``due`` (any engine), after the register's ``messages``."""
    line, messages = _due_messages(due, hotline, messages)
    return Outcome(renewals_report(due, line), messages)


def handed_out(
    due: DueList, by: str, messages: list[str], *, hotline: str | None = None
) -> tuple[list[tuple[str, Outcome]], list[str]]:
    """The due list handed out (``--split``), from a due list made by any engine:
    ``(file name, that owner's workbook)`` per owner
    (:func:`renewal_xl.workflow.handout.split_due`) and the run's messages (the register's
    ``messages`` after the counts)."""
    line, messages = _due_messages(due, hotline, messages)
    parts = split_due(due, by)
    names = file_names([owner for owner, _ in parts], by)
    lists = []
    for owner, part in parts:
        label = f"{REGISTER[by]} {owner_label(owner, by)}"  # the owner column's register header
        lists.append(
            (
                names[owner],
                Outcome(renewals_report(part, line, owner=label), [f"{label}: 应续 {len(part.rows)} 件"]),
            )
        )
    return lists, messages


def _due_messages(due: DueList, hotline: str | None, messages: list[str]) -> tuple[str | None, list[str]]:
    """The hotline for the notices of ``due`` and the run's messages (counts first)."""
    line = configured_hotline(hotline)
    failed = int((~due.rows["quote_ok"]).sum())
    window = due.window
    head = f"续保清单 {window.label()}: 应续 {len(due.rows)} 件, 已提前续保 {len(due.early)} 件, 报价失败 {failed} 件"
    return line, [head, *messages, *([NO_HOTLINE] if line is None else [])]


NO_TRACKING = "没有续保跟踪表: 脱保原因均记为 未填写"


def tracking_or_empty(tracking: Register | None, messages: list[str], missing: str = NO_TRACKING) -> pd.DataFrame:
    """The frame of ``tracking``, or an empty tracking table and ``missing`` (what its
    absence means for the report) in ``messages``."""
    if tracking is not None:
        return tracking.frame
    messages.append(missing)
    return empty_tracking()


def review(register: Register, month: Window, tracking: Register | None, as_of: dt.date | None = None) -> Outcome:
    """The monthly review workbook (续保分析) as of ``as_of`` (default today)."""
    messages: list[str] = []
    as_of = as_of or dt.date.today()
    track = tracking_or_empty(tracking, messages)  # its message before the register's
    result = monthly_review(_policies(register, month.first, messages), month, track, as_of, tariff_on(month.first))
    return review_outcome(result, messages)


def review_outcome(result: Review, messages: list[str]) -> Outcome:
    """The review workbook of ``result`` (any engine), after the inputs' ``messages``."""
    total = result.total
    head = (
        f"{result.month.first:%Y-%m} 续保分析: 应续 {int(total['due'])} 件, "
        f"实续 {int(total['renewed'])} 件, 未到期 {int(total['pending'])} 件, 脱保 {int(total['lapsed'])} 件, "
        f"待核实 {int(total['to_verify'])} 件, 非原业务员原机构续保 {len(result.poached)} 件, "
        f"未填写脱保原因 {len(result.follow_up)} 件 (截至 {result.as_of:%Y-%m-%d})"
    )
    return Outcome(review_report(result), [head, *messages])


def progress(register: Register, month: Window, tracking: Register | None, as_of: dt.date) -> Outcome:
    """The progress workbook (续保进度) of ``month`` as of ``as_of``."""
    messages: list[str] = []
    track = tracking_or_empty(tracking, messages, "没有续保跟踪表: 未到期的保单均记为 未联系")
    result = month_progress(_policies(register, month.first, messages), month, track, as_of, tariff_on(month.first))
    t = result.total
    messages.insert(
        0,
        f"{month.first:%Y-%m} 续保进度 (截至 {as_of:%Y-%m-%d}): 应续 {t['due']} 件, 已续保 {t['renewed']} 件, "
        f"未到期 {t['pending']} 件 (未联系 {t['not_contacted']} 件), 已脱保 {t['lapsed']} 件, "
        f"紧急 {len(result.urgent)} 件",
    )
    return Outcome(progress_report(result), messages)


def check(register: Register, today: dt.date) -> Outcome:
    """The data-quality workbook (数据质量); ``problems`` = number of problems."""
    problems = check_register(register, tariff_on(today))
    rows = len(register.frame)
    message = f"检查 {rows} 行: 发现 {len(problems)} 个问题" if len(problems) else f"检查 {rows} 行: 未发现问题"
    return Outcome(quality_report(problems, rows), [message], problems=len(problems))


def statement(register: Register, month: Window, target: int = DEFAULT_TARGET) -> Outcome:
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


def year(register: Register, year: int, as_of: dt.date, targets: Register | None = None) -> Outcome:
    """The year workbook (年度绩效) of ``year`` to ``as_of``; ``targets``: a canonical targets
    table (None: no targets, no renewal bonus)."""
    messages: list[str] = []
    period = year_period(year, as_of)
    goals = targets_of(targets.frame) if targets is not None else None
    problems = problems_per_agency(register.frame, check_register(register, tariff_on(period.last)))
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


def mix(register: Register, period: Window) -> Outcome:
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


def price(register: Register, today: dt.date) -> Outcome:
    """The register with its renewal quotes and breakdown (续保报价)."""
    priced = price_renewals(register.frame, today=today)
    refuse_unusable(np.asarray(priced.errors, dtype=object), register)
    return Outcome(price_report(register, priced), [price_message(len(register.frame), priced)])


def price_message(rows: int, priced: Priced | int) -> str:
    """The message of a price run: rows priced and rows whose quote failed (``priced``:
    the quotes, or the number that failed)."""
    failed = priced if isinstance(priced, int) else int((~priced.ok).sum())
    return f"续保报价 {rows} 行, 报价失败 {failed} 行"

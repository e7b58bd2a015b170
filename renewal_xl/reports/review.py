"""The monthly review report (renewal-workflow §3, macro monthly_review): one sheet
``续保分析`` with the month's summary on top (as of a day), rate tables per month,
salesperson, agency and channel, lapse reasons, next insurers, renewals per owner class
with the commission at stake, the 抢户核查 list, the pending (未到期), 待核实 and 跟踪不一致
policies and the lapsed policies without a reason;
a bar chart of the renewal rate per salesperson and a pie chart of the lapse reasons."""

from __future__ import annotations

import math

from renewal_xl.reports.spec import Chart, Page, Report, Sheet
from renewal_xl.reports.tables import table
from renewal_xl.workflow.review import Review

REVIEW_SHEET = "续保分析"

RATE_COLUMNS = [
    ("due", "应续件数", "int"),
    ("renewed", "实续件数", "int"),
    ("pending", "未到期件数", "int"),
    ("lapsed", "脱保件数", "int"),
    ("to_verify", "待核实件数", "int"),
    ("count_rate", "件数续保率", "pct"),
    ("premium_due", "应续保费", "fen"),
    ("premium_renewed", "实续保费", "fen"),
    ("premium_rate", "保费续保率", "pct"),
    ("same_owner", "原业务员原机构续保件数", "int"),
    ("owner_share", "原业务员原机构续保占比", "pct"),
]
OWNER_COLUMNS = [
    ("owner_class", "续保归属", "text"),
    ("count", "续保件数", "int"),
    ("share", "占实续件数", "pct"),
    ("premium", "实续保费", "fen"),
    ("stake", "涉及手续费", "fen"),
]
GROUP_HEADERS = {"month": "月份", "salesperson": "业务员", "agency": "代理机构", "channel_name": "渠道"}
SHARE_COLUMNS = [("count", "件数", "int"), ("share", "占比", "pct"), ("premium", "应续保费", "fen")]
POLICY_COLUMNS = [
    ("policy_no", "保单号", "text"),
    ("plate", "车牌号", "text"),
    ("customer", "客户名称", "text"),
    ("salesperson", "业务员", "text"),
    ("agency", "代理机构", "text"),
    ("end", "终保日期", "date"),
    ("premium", "应续保费", "fen"),
]
POACHED_COLUMNS = [
    *POLICY_COLUMNS,
    ("renewal_policy_no", "续保保单号", "text"),
    ("renewal_start", "续保起保日期", "date"),
    ("renewal_salesperson", "续保业务员", "text"),
    ("renewal_agency", "续保代理机构", "text"),
    ("renewal_premium", "实续保费", "fen"),
]
CHECK_COLUMNS = [
    ("owner_class", "续保归属", "text"),
    *POACHED_COLUMNS[:5],
    ("branch", "机构", "text"),
    *POACHED_COLUMNS[5:10],
    ("renewal_branch", "续保机构", "text"),
    *POACHED_COLUMNS[10:],
    ("commission_at_stake", "涉及手续费", "fen"),
]
FOLLOW_UP_COLUMNS = [*POLICY_COLUMNS, ("phone", "联系电话", "text"), ("status", "跟进状态", "text")]
MISMATCH_COLUMNS = [*POACHED_COLUMNS, ("status", "跟进状态", "text")]

SALESPERSON_TABLE = 1  # index of the salesperson table (bar chart)
REASON_TABLE = 4  # index of the lapse-reason table (pie chart)


def _pct(value: float) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.1%}"


def review_report(review: Review) -> Report:
    """The 续保分析 sheet of ``review``."""
    total = review.total
    stake = int(review.poached["commission_at_stake"].sum())
    notes = [
        f"{review.month.first:%Y年%m月} 续保分析 (终保日期 {review.month.label()}, 截至 {review.as_of:%Y-%m-%d})",
        f"应续 {int(total['due'])} 件, 实续 {int(total['renewed'])} 件, 件数续保率 {_pct(total['count_rate'])}; "
        f"保费续保率 {_pct(total['premium_rate'])}; 原业务员原机构续保占比 {_pct(total['owner_share'])}",
        f"脱保 {int(total['lapsed'])} 件 (终保日期早于截至日且未续保), 其中未填写原因 {len(review.follow_up)} 件 "
        f"(见 待跟进); 未到期 {int(total['pending'])} 件; 待核实 {int(total['to_verify'])} 件",
        f"非原业务员原机构续保 {len(review.poached)} 件, 涉及手续费 {stake / 100:,.2f} 元 (见 抢户核查); "
        f"跟踪不一致 {len(review.mismatch)} 件",
        "续保率按各组合计计算 (实续/应续), 不取平均; 续保 = 同车架号另有保单起保日在终保日次日前后 30 天内; "
        "续保跟踪不改变台账结论",
    ]
    tables = [
        table(review.rates[g], [(g, GROUP_HEADERS[g], "text"), *RATE_COLUMNS], title=f"按{GROUP_HEADERS[g]}")
        for g in ("month", "salesperson", "agency", "channel_name")
    ]
    tables += [
        table(review.reasons, [("lapse_reason", "脱保原因", "text"), *SHARE_COLUMNS], title="脱保原因 (占脱保件数)"),
        table(review.insurers, [("next_insurer", "转投公司", "text"), *SHARE_COLUMNS], title="转投公司 (占脱保件数)"),
        table(review.owners, OWNER_COLUMNS, title="续保归属 (与到期保单的业务员、代理机构比较)"),
        table(
            review.poached,
            CHECK_COLUMNS,
            title="抢户核查: 非原业务员原机构续保 (涉及手续费 = 实续保费 × 原代理机构续保手续费率)",
        ),
        table(review.follow_up, FOLLOW_UP_COLUMNS, title="待跟进: 脱保未填写原因"),
        table(review.to_verify, FOLLOW_UP_COLUMNS, title="待核实: 跟踪为已续保, 台账中未找到续保保单"),
        table(review.mismatch, MISMATCH_COLUMNS, title="跟踪不一致: 台账已续保, 跟踪为未续保"),
        table(review.pending, FOLLOW_UP_COLUMNS, title="未到期: 尚未到期且未续保 (不计脱保)"),
    ]
    charts = [
        Chart("bar", "各业务员件数续保率", SALESPERSON_TABLE, "业务员", "件数续保率"),
        Chart("pie", "脱保原因", REASON_TABLE, "脱保原因", "件数"),
    ]
    page = Page(
        repeat_columns=1
    )  # each table's key (月份, 业务员 … 保单号) on every page of the sheet's several pages wide
    return Report([Sheet(REVIEW_SHEET, tables, notes=notes, charts=charts, freeze=False, page=page)])

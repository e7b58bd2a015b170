"""The monthly review report (renewal-workflow §3, macro monthly_review): one sheet
``续保分析`` with the month's summary on top, rate tables per month, salesperson, agency and
channel, lapse reasons, next insurers, the 抢户 list and the lost policies without a reason;
a bar chart of the renewal rate per salesperson and a pie chart of the lapse reasons."""

from __future__ import annotations

import math

from renewal_xl.reports.spec import Chart, Report, Sheet
from renewal_xl.reports.tables import table
from renewal_xl.workflow.review import Review

REVIEW_SHEET = "续保分析"

RATE_COLUMNS = [
    ("due", "应续件数", "int"),
    ("renewed", "实续件数", "int"),
    ("count_rate", "件数续保率", "pct"),
    ("premium_due", "应续保费", "fen"),
    ("premium_renewed", "实续保费", "fen"),
    ("premium_rate", "保费续保率", "pct"),
    ("same_owner", "原业务员续保件数", "int"),
    ("owner_share", "原业务员续保占比", "pct"),
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
FOLLOW_UP_COLUMNS = [*POLICY_COLUMNS, ("phone", "联系电话", "text"), ("status", "跟进状态", "text")]

SALESPERSON_TABLE = 1  # index of the salesperson table (bar chart)
REASON_TABLE = 4  # index of the lapse-reason table (pie chart)


def _pct(value: float) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.1%}"


def review_report(review: Review) -> Report:
    """The 续保分析 sheet of ``review``."""
    total = review.total
    lost = int(total["due"] - total["renewed"])
    notes = [
        f"{review.month.first:%Y年%m月} 续保分析 (终保日期 {review.month.label()})",
        f"应续 {int(total['due'])} 件, 实续 {int(total['renewed'])} 件, 件数续保率 {_pct(total['count_rate'])}; "
        f"保费续保率 {_pct(total['premium_rate'])}; 原业务员续保占比 {_pct(total['owner_share'])}",
        f"脱保 {lost} 件, 其中未填写原因 {len(review.follow_up)} 件 (见 待跟进); 抢户 {len(review.poached)} 件",
        "续保率按各组合计计算 (实续/应续), 不取平均; 续保 = 同车架号另有保单起保日在终保日次日前后 30 天内",
    ]
    tables = [
        table(review.rates[g], [(g, GROUP_HEADERS[g], "text"), *RATE_COLUMNS], title=f"按{GROUP_HEADERS[g]}")
        for g in ("month", "salesperson", "agency", "channel_name")
    ]
    tables += [
        table(review.reasons, [("lapse_reason", "脱保原因", "text"), *SHARE_COLUMNS], title="脱保原因 (占脱保件数)"),
        table(review.insurers, [("next_insurer", "转投公司", "text"), *SHARE_COLUMNS], title="转投公司 (占脱保件数)"),
        table(review.poached, POACHED_COLUMNS, title="抢户检查: 由其他业务员续保"),
        table(review.follow_up, FOLLOW_UP_COLUMNS, title="待跟进: 脱保未填写原因"),
    ]
    charts = [
        Chart("bar", "各业务员件数续保率", SALESPERSON_TABLE, "业务员", "件数续保率"),
        Chart("pie", "脱保原因", REASON_TABLE, "脱保原因", "件数"),
    ]
    return Report([Sheet(REVIEW_SHEET, tables, notes=notes, charts=charts, freeze=False)])

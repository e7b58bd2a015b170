"""The year report (renewal-workflow §6, ``statements --year``, macro commission_statement
with a year): one sheet ``年度绩效`` with the ranking of the salespeople against their targets
and the renewal bonus, the agency scorecard and the months that add up to the year; a bar
chart of the 保费续保率 per salesperson."""

from __future__ import annotations

import numpy as np
import pandas as pd

from renewal_xl.reports.review import RATE_COLUMNS
from renewal_xl.reports.spec import Chart, Page, Report, Sheet
from renewal_xl.reports.tables import table
from renewal_xl.workflow.due import TOTAL
from renewal_xl.workflow.year import Year

YEAR_SHEET = "年度绩效"

WRITTEN_COLUMNS = [
    ("count", "件数", "int"),
    ("premium", "保费", "fen"),
    ("commission", "手续费", "fen"),
]
PAY_COLUMNS = [
    ("extraction", "绩效提取", "fen"),
    ("saved", "节省手续费奖励", "fen"),
    ("pay", "绩效合计", "fen"),
]
RENEWAL_COLUMNS = [  # due and renewed, the rates from them
    c
    for c in RATE_COLUMNS
    if c[0] in ("due", "renewed", "count_rate", "premium_due", "premium_renewed", "premium_rate")
]
SALESPERSON_COLUMNS = [
    ("rank_text", "排名", "text"),
    ("salesperson", "业务员", "text"),
    *WRITTEN_COLUMNS,
    *PAY_COLUMNS,
    ("renewals", "续保单件数", "int"),
    ("renewal_premium", "续保单保费", "fen"),
    *RENEWAL_COLUMNS,
    ("target_count", "续保件数目标", "int"),
    ("count_met_text", "件数目标达成", "text"),
    ("target_rate", "续保率目标", "pct"),
    ("rate_met_text", "续保率目标达成", "text"),
    ("bonus", "续保奖励(年度)", "fen"),
]
AGENCY_COLUMNS = [
    ("agency", "代理机构", "text"),
    *WRITTEN_COLUMNS,
    *RENEWAL_COLUMNS,
    ("problems", "数据问题数", "int"),
]
MONTH_COLUMNS = [("month", "月份", "text"), *WRITTEN_COLUMNS, *PAY_COLUMNS, *RENEWAL_COLUMNS]
SALESPERSON_TABLE = 0  # index of the salesperson table (bar chart)


def _met(values: pd.Series, given: pd.Series) -> np.ndarray:
    """达标 / 未达标, blank where no target was set."""
    met = np.where(values.fillna(False).astype(bool), "达标", "未达标")
    return np.where(given & values.notna(), met, "").astype(object)


def year_report(y: Year) -> Report:
    """The 年度绩效 sheet of ``y``."""
    people = y.salespeople.copy()
    total = people["salesperson"] == TOTAL
    people["rank_text"] = np.where(people["rank"].fillna(0) > 0, people["rank"].fillna(0).astype(int).astype(str), "")
    people.loc[total, "rank_text"] = ""
    people["count_met_text"] = _met(people["count_met"], people["target_count"] > 0)
    people["rate_met_text"] = _met(people["rate_met"], people["target_rate"].notna())
    people.loc[total, ["count_met_text", "rate_met_text"]] = ""
    skipped = [f"{y.skipped} 份保单渠道或手续费率无法识别, 未计入 (请运行 数据检查)"] if y.skipped else []
    targets = (
        "续保奖励 = 全年续保单保费 × 2%, 仅当全年续保单件数达到续保件数目标时计发, 年终一次计算 (费率手册 §9); "
        "续保率目标与保费续保率比较"
        if y.targets
        else "未提供目标表 (--targets 或工作表 目标): 无续保件数目标, 不计续保奖励"
    )
    notes = [
        f"{y.year}年 年度绩效 ({y.period.label()}, 按月汇总: 各月结算与续保分析之和)",
        "件数/保费/手续费/绩效: 起保日期在期内的保单; 应续/实续: 终保日期在期内的保单 (按原业务员、原代理机构)",
        targets,
        "排名按保费续保率 (实续保费/应续保费, 由合计计算) 由高到低; 续保率相同者并列同一名次, 按业务员名称排列; "
        "无应续保单者不排名, 列在最后",
        "数据问题数: 台账中该代理机构各行的数据质量问题 (不限期间, 表头问题不计入)",
        *skipped,
    ]
    tables = [
        table(people, SALESPERSON_COLUMNS, title="按业务员 (排名)"),
        table(y.agencies, AGENCY_COLUMNS, title="代理机构评分"),
        table(y.by_month, MONTH_COLUMNS, title="按月 (各月之和即全年)"),
    ]
    charts = [Chart("bar", "各业务员保费续保率", SALESPERSON_TABLE, "业务员", "保费续保率")]
    page = Page(
        repeat_columns=2
    )  # 排名 and 业务员 (the other tables' keys are in column A) on every page of the sheet's several pages wide
    return Report([Sheet(YEAR_SHEET, tables, notes=notes, charts=charts, freeze=False, page=page)])

"""The progress report (renewal-workflow §3a, macro renewal_progress): one sheet ``续保进度``
with the month's standing on top, the table per salesperson (total last) and the urgent
list (pending, ≤ 7 days to expiry, not contacted)."""

from __future__ import annotations

from renewal_xl.reports.spec import Report, Sheet
from renewal_xl.reports.tables import table
from renewal_xl.workflow.progress import Progress

PROGRESS_SHEET = "续保进度"

SALESPERSON_COLUMNS = [
    ("salesperson", "业务员", "text"),
    ("due", "应续件数", "int"),
    ("premium_due", "应续保费", "fen"),
    ("renewed", "已续保", "int"),
    ("pending", "未到期", "int"),
    ("days_0_7", "0–7天", "int"),
    ("days_8_15", "8–15天", "int"),
    ("days_16_31", "16–31天", "int"),
    ("days_later", "31天以上", "int"),
    ("lapsed", "已脱保", "int"),
    ("to_verify", "待核实", "int"),
    ("contacted", "未到期已联系", "int"),
    ("not_contacted", "未到期未联系", "int"),
]
URGENT_COLUMNS = [
    ("days_left", "剩余天数", "int"),
    ("end", "终保日期", "date"),
    ("policy_no", "保单号", "text"),
    ("customer", "客户名称", "text"),
    ("phone", "联系电话", "text"),
    ("plate", "车牌号", "text"),
    ("salesperson", "业务员", "text"),
    ("agency", "代理机构", "text"),
    ("premium", "应续保费", "fen"),
    ("status", "跟进状态", "text"),
]


def progress_report(progress: Progress) -> Report:
    """The 续保进度 sheet of ``progress``."""
    t = progress.total
    notes = [
        f"{progress.month.first:%Y年%m月} 续保进度 (终保日期 {progress.month.label()}, 截至 {progress.as_of:%Y-%m-%d})",
        f"应续 {t['due']} 件: 已续保 {t['renewed']} 件, 未到期 {t['pending']} 件, 已脱保 {t['lapsed']} 件, "
        f"待核实 {t['to_verify']} 件",
        f"未到期中 已联系 {t['contacted']} 件, 未联系 {t['not_contacted']} 件; "
        f"紧急 (7 天内到期且未联系) {len(progress.urgent)} 件",
        "已联系 = 续保跟踪 跟进中 或填写了 联系日期; 剩余天数 = 终保日期 − 截至日期",
    ]
    tables = [
        table(progress.by_salesperson, SALESPERSON_COLUMNS, title="按业务员 (未到期按剩余天数分档)"),
        table(progress.urgent, URGENT_COLUMNS, title="紧急跟进: 7 天内到期、未续保、未联系 (按剩余天数)"),
    ]
    return Report([Sheet(PROGRESS_SHEET, tables, notes=notes)])

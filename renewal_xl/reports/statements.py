"""The statements report (renewal-workflow §5, macro commission_statement): sheets
``手续费结算`` (per agency, new and renewal business separated, then the policies) and
``绩效提取`` (per salesperson, with the renewal target, then the policies)."""

from __future__ import annotations

from renewal_xl.reports.spec import Report, Sheet
from renewal_xl.reports.tables import table
from renewal_xl.workflow.statements import Statements

COMMISSION_SHEET = "手续费结算"
PERFORMANCE_SHEET = "绩效提取"

AGENCY_COLUMNS = [
    ("agency", "代理机构", "text"),
    ("new_count", "新保件数", "int"),
    ("new_premium", "新保保费", "fen"),
    ("new_commission", "新保手续费", "fen"),
    ("renewal_count", "续保件数", "int"),
    ("renewal_premium", "续保保费", "fen"),
    ("renewal_commission", "续保手续费", "fen"),
    ("commission", "手续费合计", "fen"),
]
SALESPERSON_COLUMNS = [
    ("salesperson", "业务员", "text"),
    ("count", "件数", "int"),
    ("premium", "保费", "fen"),
    ("renewals", "续保件数", "int"),
    ("renewal_premium", "续保保费", "fen"),
    ("extraction", "绩效提取", "fen"),
    ("saved", "节省手续费奖励", "fen"),
    ("pay", "绩效合计", "fen"),
    ("target", "续保目标件数", "int"),
    ("completion", "本月目标完成率", "pct"),
]
POLICY_COLUMNS = [
    ("policy_no", "保单号", "text"),
    ("start", "起保日期", "date"),
    ("salesperson", "业务员", "text"),
    ("agency", "代理机构", "text"),
    ("channel_name", "渠道", "text"),
    ("is_renewal", "续保", "bool"),
    ("premium", "保费", "fen"),
    ("rate", "手续费率", "rate"),
    ("rate_source", "费率来源", "text"),
]
COMMISSION_DETAIL = [*POLICY_COLUMNS, ("commission", "手续费", "fen")]
PAY_DETAIL = [
    *POLICY_COLUMNS,
    ("extraction", "绩效提取", "fen"),
    ("saved", "节省手续费奖励", "fen"),
    ("pay", "绩效合计", "fen"),
]


def statements_report(st: Statements) -> Report:
    """Both statement sheets of ``st``."""
    period = f"{st.month.first:%Y年%m月} (起保日期 {st.month.label()})"
    skipped = [f"{st.skipped} 份保单渠道、手续费率或是否续保无法识别, 未计入 (请运行 数据检查)"] if st.skipped else []
    agency_rows = st.policies[st.policies["channel"] != "DIRECT"]
    commission = Sheet(
        COMMISSION_SHEET,
        [
            table(st.agencies, AGENCY_COLUMNS, title="按代理机构", total=True),
            table(agency_rows, COMMISSION_DETAIL, title="保单明细"),
        ],
        notes=[f"{period} 手续费结算; 手续费率取台账手续费率, 未填写时按费率表", *skipped],
        freeze=False,
    )
    performance = Sheet(
        PERFORMANCE_SHEET,
        [
            table(st.salespeople, SALESPERSON_COLUMNS, title="按业务员", total=True),
            table(st.policies, PAY_DETAIL, title="保单明细"),
        ],
        notes=[
            f"{period} 绩效提取; 续保目标 每名业务员 {st.target} 件/月 (本月进度)",
            "续保奖励 (续保保费 × 2%) 按全年续保件数是否达到年度目标于年终计发, 不按月计; 见 年度绩效 (statements --year)",
            *skipped,
        ],
        freeze=False,
    )
    return Report([commission, performance])

"""The business-mix report (renewal-workflow §6, ``renewal-xl mix``): one sheet ``业务结构``
with one table per segment (车龄, 新车购置价, 座位数, 客户类型, 渠道, 代理机构, 新保/续保,
险种组合, 车型 when given), each ending in its total, and bar charts of the loss ratio and
the claim frequency by segment."""

from __future__ import annotations

from renewal_xl.reports.spec import Chart, Report, Sheet
from renewal_xl.reports.tables import table
from renewal_xl.workflow.mix import SEGMENTS, Mix

MIX_SHEET = "业务结构"

COLUMNS = [
    ("policies", "件数", "int"),
    ("premium", "保费", "fen"),
    ("claims", "出险次数", "int"),
    ("claim_frequency", "出险频率", "pct"),
    ("paid_policies", "已填赔款件数", "int"),
    ("claims_paid", "赔款金额", "fen"),
    ("loss_ratio", "赔付率", "pct"),
    ("renewed", "实续件数", "int"),
    ("count_rate", "件数续保率", "pct"),
    ("premium_rate", "保费续保率", "pct"),
]
# (segment, measure): the charts, top to bottom
CHARTS = (
    ("age_band", "赔付率"),
    ("age_band", "出险频率"),
    ("price_band", "赔付率"),
    ("customer_type", "赔付率"),
    ("vehicle_model", "赔付率"),
)


def mix_report(mix: Mix) -> Report:
    """The 业务结构 sheet of ``mix``."""
    total = mix.total
    keys = list(mix.segments)
    notes = [
        f"业务结构 {mix.period.label()}: 终保日期在期内的满期保单 (一车一行, 同 续保分析), {int(total['policies'])} 件",
        "出险频率 = 出险次数 / 件数; 赔付率 = 赔款金额 / 已填赔款金额保单的保费 (赔款金额空白视为未知, 不计入); "
        "续保率 = 实续 / 应续; 各组及合计的比率均由该组合计计算, 不取平均",
        "车龄 = 起保日期时距初登日期的整年数; 新车购置价分档同费率手册 §5; (未知) = 台账中该项无法识别 (见 数据检查)",
    ]
    if mix.unpaid:
        notes.append(f"{mix.unpaid} 件未填写赔款金额, 不计入赔付率")
    if not mix.models:
        notes.append("台账未填写车型: 不按车型分析")
    tables = [
        table(mix.segments[k], [("group", SEGMENTS[k], "text"), *COLUMNS], title=f"按{SEGMENTS[k]}") for k in keys
    ]
    charts = [
        Chart("bar", f"{measure} (按{SEGMENTS[key]})", keys.index(key), SEGMENTS[key], measure)
        for key, measure in CHARTS
        if key in mix.segments
    ]
    return Report([Sheet(MIX_SHEET, tables, notes=notes, charts=charts, freeze=False)])

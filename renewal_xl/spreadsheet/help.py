"""Function Wizard help of every worksheet-function argument (Chinese, with the English
name). Excel cuts each text at 255 characters; the tests keep them shorter.

A text says what the argument is and what is allowed; :func:`arg_help` adds ``[可选]``
and what a blank means for optional arguments, from the function's signature default or,
where the default is "left to the engine", from :data:`BLANK_MEANS`.

>>> arg_help("is_renewal", True)
'[可选] 是否续保 is_renewal: 是/否 (TRUE/FALSE, 1/0, Y/N); 留空 = 是'
>>> arg_help("seats")
'座位数 seats: 2–9 座 (以费率表为准)'
"""

from __future__ import annotations

import inspect

_YES_NO = "是/否 (TRUE/FALSE, 1/0, Y/N)"

ARG_HELP: dict[str, str] = {
    "new_car_price": "新车购置价 new_car_price: 元, 1,000–10,000,000",
    "vehicle_age_months": "车龄(月) vehicle_age_months: 初次登记至起保的整月数, 0–600; 可用 MONTHS_BETWEEN 计算",
    "seats": "座位数 seats: 2–9 座 (以费率表为准)",
    "coverage": "险种组合 coverage: 套餐名 基本/经济/周到/完全 (BASIC/ECONOMY/COMPREHENSIVE/COMPLETE), "
    "或用 + 连接的险种清单, 如 车损+三者:50万+盗抢+不计免赔",
    "claim_free_years": "连续未出险年数 claim_free_years: 整数 ≥ 0",
    "claims_last_year": "上年出险次数 claims_last_year: 整数 ≥ 0; 与连续未出险年数不能同时大于 0",
    "deductible": "绝对免赔额 deductible: 0/300/500/1000/2000 元",
    "multi_accident": f"多次事故免赔特约 multi_accident: {_YES_NO}",
    "underwriting_coef": "自主核保系数 underwriting_coef: 0.85–1.15, 取 4 位小数",
    "channel_coef": "自主渠道系数 channel_coef: 0.85–1.15, 取 4 位小数",
    "is_renewal": f"是否续保 is_renewal: {_YES_NO}",
    "imported": f"进口车 imported: {_YES_NO}",
    "insured_amount": "车损保险金额 insured_amount: 元, 大于 0 且不超过实际价值 (低于实际价值为不足额投保)",
    "policy_start": "起保日期 policy_start: 日期, 决定适用的费率表版本",
    "package": "套餐 package: 基本/经济/周到/完全 (BASIC/ECONOMY/COMPREHENSIVE/COMPLETE)",
    "customer_type": "客户类型 customer_type: 个人/企业/大型企业/机关事业 (PERSONAL/COMPANY/LARGE_COMPANY/GOVERNMENT)",
    "driving_years": "驾龄(年) driving_years: 0–80",
    "price_sensitivity": "价格敏感度 price_sensitivity: 高/中/低 (HIGH/MEDIUM/LOW)",
    "channel": "渠道 channel: 直销/个人代理/专业代理/兼业代理/经纪 (DIRECT/AGENT/AGENCY/DEALER/BROKER)",
    "agency": "代理机构 agency: 代理机构代码, 如 AG001 (有单独费率的机构按其费率)",
    "premium": "保费 premium: 元",
    "commission_rate": "手续费率 commission_rate: 这张保单的手续费率, 如 0.12 或 12%; 空单元格 = 渠道标准费率",
    "renewed_count": "续保件数 renewed_count: 整数 ≥ 0",
    "target_count": "目标件数 target_count: 整数 > 0",
    "renewal_premium": "续保保费 renewal_premium: 元, 续保保单的保费合计",
    "from_date": "起始日期 from_date: 日期, 如初次登记日期",
    "to_date": "截止日期 to_date: 日期, 如起保日期",
    "end_date": "终保日期 end_date: 保险期间的最后一天",
    "as_of": "基准日期 as_of: 日期",
    "window_days": "提前天数 window_days: 整数 0–3660",
    "table": "表格 table: 含表头行的区域; 表头为报价输入 (新车购置价 车龄(月) 座位数 险种组合 连续未出险年数 "
    "上年出险次数 …) 或保单台账 (终保日期 初登日期 新车购置价 座位数 险种组合 …), 中英文均可",
}

# what a blank optional argument means when the engine, not the signature, decides
BLANK_MEANS: dict[str, str] = {
    "deductible": "0",
    "multi_accident": "否",
    "underwriting_coef": "1",
    "channel_coef": "1",
    "imported": "否",
    "insured_amount": "实际价值",
    "policy_start": "今天",
    "agency": "无 (按渠道标准费率)",
    "as_of": "计算当天 (需每天刷新时填 TODAY())",
}


def arg_help(name: str, default: object = inspect.Parameter.empty) -> str:
    """Help of argument ``name``; ``default`` is its signature default (none = required)."""
    text = ARG_HELP[name]
    if default is inspect.Parameter.empty:
        return text
    blank = BLANK_MEANS[name] if default is None else _shown(default)
    return f"[可选] {text}; 留空 = {blank}"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)

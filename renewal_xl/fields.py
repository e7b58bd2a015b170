"""Field names: English keys used in code and their Chinese labels shown to users.

Quote inputs (tariff manual §2), register columns (excel-contract §3) and the other
arguments of the worksheet functions share one vocabulary.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    # quote inputs, tariff manual §2
    "new_car_price": "新车购置价",
    "vehicle_age_months": "车龄(月)",
    "seats": "座位数",
    "coverage": "险种组合",
    "claim_free_years": "连续未出险年数",
    "claims_last_year": "上年出险次数",
    "deductible": "绝对免赔额",
    "multi_accident": "多次事故免赔特约",
    "underwriting_coef": "自主核保系数",
    "channel_coef": "自主渠道系数",
    "is_renewal": "是否续保",
    "imported": "进口车",
    "insured_amount": "车损保险金额",
    "policy_start": "起保日期",
    # other worksheet-function arguments
    "package": "险种组合",
    "customer_type": "客户类型",
    "driving_years": "驾龄(年)",
    "price_sensitivity": "价格敏感度",
    "channel": "渠道",
    "agency": "代理机构",
    "premium": "保费",
    "commission_rate": "手续费率",
    "renewed_count": "续保件数",
    "target_count": "目标件数",
    "renewal_premium": "续保保费",
    "from_date": "起始日期",
    "to_date": "截止日期",
    "end_date": "终保日期",
    "as_of": "基准日期",
    "window_days": "提前天数",
    "table": "表格",
    # command-line options
    "month": "月份",
    "days": "天数",
    "output": "输出文件",
    # register columns, excel-contract §3
    "policy_no": "保单号",
    "vin": "车架号",
    "plate": "车牌号",
    "customer": "客户名称",
    "phone": "联系电话",
    "vip": "VIP",
    "salesperson": "业务员",
    "start_date": "起保日期",
    "first_registration": "初登日期",
    "claims": "本期出险次数",
    "branch": "机构",
    "delivery": "送单方式",
    # tariff tables
    "tariff": "费率表",
}


def label(field: str) -> str:
    """Chinese label of a field key; the key itself when it has none.

    >>> label("seats")
    '座位数'
    """
    return LABELS.get(field, field)

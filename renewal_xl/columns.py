"""Column names of the sheets users exchange (excel-contract §3): English keys and
Chinese headers, and renaming a table's headers (either language) to the keys.

>>> import pandas as pd
>>> list(canonical(pd.DataFrame(columns=["保单号", "VIN", "渠道"]), REGISTER).columns)
['policy_no', 'vin', 'channel']
"""

from __future__ import annotations

import pandas as pd

from renewal_xl.fields import LABELS

# key -> Chinese header, in the contract's order
REGISTER: dict[str, str] = {
    "policy_no": "保单号",
    "vin": "车架号",
    "plate": "车牌号",
    "customer": "客户名称",
    "phone": "联系电话",
    "customer_type": "客户类型",
    "vip": "VIP",
    "salesperson": "业务员",
    "agency": "代理机构",
    "channel": "渠道",
    "start_date": "起保日期",
    "end_date": "终保日期",
    "premium": "保费",
    "coverage": "险种组合",
    "new_car_price": "新车购置价",
    "first_registration": "初登日期",
    "seats": "座位数",
    "imported": "进口车",
    "deductible": "绝对免赔额",
    "claim_free_years": "连续未出险年数",
    "claims": "本期出险次数",
    "commission_rate": "手续费率",
    "branch": "机构",
    "driving_years": "驾龄",
    "delivery": "送单方式",
}
REGISTER_OPTIONAL = ("commission_rate", "branch", "driving_years", "delivery")

TRACKING: dict[str, str] = {
    "policy_no": "保单号",
    "status": "跟进状态",
    "lapse_reason": "脱保原因",
    "next_insurer": "转投公司",
    "remark": "备注",
    "contact_date": "联系日期",
}

# quote inputs (tariff manual §2) as table columns
QUOTE: dict[str, str] = {
    key: LABELS[key]
    for key in (
        "new_car_price",
        "vehicle_age_months",
        "seats",
        "coverage",
        "claim_free_years",
        "claims_last_year",
        "deductible",
        "multi_accident",
        "underwriting_coef",
        "channel_coef",
        "is_renewal",
        "imported",
        "insured_amount",
        "policy_start",
    )
}


def canonical(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """``frame`` with headers in Chinese or English (any case, surrounding blanks ignored)
    renamed to the keys of ``columns``; other headers are kept as they are."""
    lookup = {key.upper(): key for key in columns} | {zh.upper(): key for key, zh in columns.items()}
    renamed = {c: lookup.get(str(c).strip().upper(), c) for c in frame.columns}
    return frame.rename(columns=renamed)

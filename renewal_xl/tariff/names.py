"""Chinese names of the tariff's tables and columns, for the tariff workbook people edit
(``workbooks/tariff-default.xlsx``). CSV tables keep the codes; a workbook may use either,
its sheets and headers are read back to the codes (:func:`table_code`, :func:`column_code`).

>>> TABLES["damage"], COLUMNS["renewal_rate"], table_code("车损"), column_code("续保费率"), column_code("rate")
('车损', '续保费率', 'damage', 'renewal_rate', 'rate')
"""

from __future__ import annotations

TABLES = {
    "tariff": "费率表信息",
    "tables": "表目录",
    "parameters": "单值参数",
    "seat_bands": "座位档",
    "damage": "车损",
    "deductible": "免赔额系数",
    "tpl": "三者",
    "seats_cover": "车上人员",
    "seats_cover_limits": "车上人员限额",
    "theft": "盗抢",
    "glass": "玻璃",
    "scratch": "划痕",
    "repair": "修理厂特约",
    "waiver": "不计免赔",
    "ncd": "无赔款优待系数",
    "voucher": "代金券",
    "packages": "险种组合",
    "commission": "手续费率",
    "agency_commission": "机构手续费率",
    "performance": "绩效系数",
    "retention_options": "续保方案",
    "retention_rules": "续保方案规则",
}
COLUMNS = {
    "key": "项目",
    "value": "值",
    "table": "表",
    "source": "来源",
    "description": "内容",
    "name": "参数",
    "unit": "单位",
    "note": "备注",
    "band": "档",
    "seats_from": "座位数起",
    "seats_to": "座位数止",
    "seat_band": "座位档",
    "age_from_months": "车龄起(月)",
    "base": "基础保费",
    "rate": "费率",
    "deductible": "免赔额",
    "price_from": "新车购置价起",
    "factor": "系数",
    "limit": "限额",
    "premium": "保费",
    "driver_rate": "驾驶员费率",
    "passenger_rate": "乘客费率",
    "origin": "产地",
    "item": "险种",
    "claims_last_year": "上年出险次数",
    "claim_free_years": "连续未出险年数",
    "amount": "金额",
    "code": "代码",
    "name_zh": "中文名",
    "name_en": "英文名",
    "coverage": "险种清单",
    "channel": "渠道",
    "new_rate": "新保费率",
    "renewal_rate": "续保费率",
    "agency": "代理机构",
    "commission_rate_to": "手续费率至",
    "parameter": "方案参数",
    "order": "顺序",
    "claim_free_years_from": "连续未出险年数起",
    "claims_from": "上年出险次数起",
    "claims_to": "上年出险次数止",
    "option": "方案",
}
_TABLE_CODES = {zh: code for code, zh in TABLES.items()}
_COLUMN_CODES = {zh: code for code, zh in COLUMNS.items()}
assert len(_TABLE_CODES) == len(TABLES) and len(_COLUMN_CODES) == len(COLUMNS), "Chinese names must be unique"


def table_code(sheet: str) -> str:
    """The table a sheet holds: its Chinese name read back, a code as it is."""
    return _TABLE_CODES.get(sheet, sheet)


def column_code(header: str) -> str:
    """The column a header names: its Chinese name read back, a code as it is."""
    return _COLUMN_CODES.get(header, header)

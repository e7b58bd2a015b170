"""Realistic sample rows for the templates: a few policies of one branch, with valid VINs,
plates and phones, written so that the manual's worked examples appear in them.

Row ``P2026420100001`` renews as the manual's example 1 (150,000 yuan, 30 months at
renewal, 5 seats, 经济, 2 claim-free years, no claims → 3253.15).
"""

from __future__ import annotations

import datetime as dt

from renewal_xl.columns import REGISTER
from renewal_xl.functions import renewal_premium
from renewal_xl.vin import with_check_digit

# policy_no, vin (check digit fixed below), plate, customer, phone, customer_type, vip, salesperson,
# agency, channel, start, end, coverage, new_car_price, first_registration, seats, imported,
# deductible, claim_free_years (at start), claims (this term), commission_rate
_POLICIES = [
    ("PDAA2026420100001", "LSVAU2180N2100001", "鄂A·3K721", "王建国", "13871234567", "个人", "否", "张伟", "", "直销",
     dt.date(2026, 1, 1), dt.date(2026, 12, 31), "经济", 150000, dt.date(2024, 7, 1), 5, "否", 0, 1, 0, None),
    ("PDAA2026420100002", "LFV2A21K5N3100002", "鄂A·8M215", "李秀英", "13986541234", "个人", "否", "张伟", "AG001", "专业代理",
     dt.date(2026, 1, 1), dt.date(2026, 12, 31), "经济", 150000, dt.date(2024, 7, 1), 5, "否", 500, 0, 2, None),
    ("PDAA2026420100003", "LGBH52E09N4100003", "鄂A·D5520", "武汉长江物流有限公司", "027-85551234", "企业", "是", "王芳", "AG002", "兼业代理",
     dt.date(2025, 12, 20), dt.date(2026, 12, 19), "完全", 320000, dt.date(2025, 11, 20), 7, "否", 0, 0, 0, None),
    ("PDAA2026420100004", "LHGCV1658N8100004", "鄂A·F7Q39", "陈静", "15927345678", "个人", "否", "王芳", "", "直销",
     dt.date(2026, 2, 10), dt.date(2027, 2, 9), "周到", 200000, dt.date(2024, 2, 10), 5, "否", 0, 0, 1, None),
    ("PDAA2026420100005", "LVSHFFAL3N5100005", "鄂A·2B886", "湖北省某某局", "027-87661100", "机关事业", "是", "李娜", "", "直销",
     dt.date(2026, 3, 1), dt.date(2027, 2, 28), "完全", 268000, dt.date(2022, 5, 18), 5, "否", 0, 3, 0, None),
    ("PDAA2026420100006", "WBA8E1105N7100006", "鄂A·9X001", "赵磊", "18672345612", "个人", "是", "李娜", "AG003", "个人代理",
     dt.date(2026, 1, 15), dt.date(2027, 1, 14), "车损+三者:100万+盗抢+玻璃:进口+不计免赔", 580000, dt.date(2023, 9, 3), 5, "是", 1000, 2, 0, 0.10),
    ("PDAA2026420100007", "LDC613P23N1100007", "鄂A·5H362", "黄敏", "13545678901", "个人", "否", "刘洋", "AG001", "经纪",
     dt.date(2026, 1, 20), dt.date(2027, 1, 19), "基本", 86000, dt.date(2019, 4, 12), 5, "否", 0, 5, 0, None),
    ("PDAA2026420100008", "LGWEF4A56N6100008", "鄂A·7T440", "孙丽", "13307145566", "个人", "否", "刘洋", "", "直销",
     dt.date(2025, 12, 28), dt.date(2026, 12, 27), "经济", 128000, dt.date(2021, 12, 1), 5, "否", 300, 0, 1, None),
]


def register_rows() -> list[list[object]]:
    """Sample register rows in the contract's column order (premium of the current term
    from the pricing engine, as new business terms of the default tariff)."""
    rows = []
    for p in _POLICIES:
        (no, vin, plate, customer, phone, kind, vip, sales, agency, channel, start, end, coverage,
         price, first, seats, imported, deductible, free_years, claims, rate) = p
        months = (start.year - first.year) * 12 + start.month - first.month - (start.day < first.day)
        premium = renewal_premium(price, months, seats, coverage, free_years, 0, deductible, None, None, None,
                                  free_years > 0, imported, None, start)
        values = dict(policy_no=no, vin=with_check_digit(vin), plate=plate, customer=customer, phone=phone,
                      customer_type=kind, vip=vip, salesperson=sales, agency=agency, channel=channel,
                      start_date=start, end_date=end, premium=float(premium), coverage=coverage,
                      new_car_price=price, first_registration=first, seats=seats, imported=imported,
                      deductible=deductible, claim_free_years=free_years, claims=claims, commission_rate=rate)
        rows.append([values[k] for k in REGISTER])
    return rows


# finance sample: policy_no, salesperson, agency, channel, is_renewal, start, premium
FINANCE_ROWS = [
    ("PDAA2026420100101", "张伟", "AG003", "专业代理", "是", dt.date(2026, 11, 2), 5000.00),   # commission 700.00
    ("PDAA2026420100102", "张伟", "AG001", "专业代理", "否", dt.date(2026, 11, 3), 5000.00),   # AG001 13 % → 650.00
    ("PDAA2026420100103", "张伟", "", "直销", "否", dt.date(2026, 11, 5), 5000.00),            # performance 500.00
    ("PDAA2026420100104", "王芳", "AG002", "兼业代理", "否", dt.date(2026, 11, 8), 8000.00),
    ("PDAA2026420100105", "王芳", "AG002", "兼业代理", "是", dt.date(2026, 11, 9), 3253.15),
    ("PDAA2026420100106", "王芳", "", "直销", "是", dt.date(2026, 11, 12), 8094.89),
    ("PDAA2026420100107", "李娜", "AG003", "个人代理", "是", dt.date(2026, 11, 15), 4212.37),
    ("PDAA2026420100108", "李娜", "AG001", "经纪", "是", dt.date(2026, 11, 18), 6150.40),
    ("PDAA2026420100109", "李娜", "", "直销", "否", dt.date(2026, 11, 21), 1524.90),
    ("PDAA2026420100110", "刘洋", "AG004", "专业代理", "是", dt.date(2026, 11, 25), 5187.10),
]
TARGETS = {"张伟": 1, "王芳": 3, "李娜": 2, "刘洋": 1}  # renewals wanted per salesperson

"""The worksheet-function core: recommendation, factors, dates, RENEWAL_PREMIUMS."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal_xl.errors import InputError
from renewal_xl.spreadsheet import functions as f


@pytest.mark.parametrize(
    "args, package",
    [
        (("机关事业", 20, 100000, 60, "高"), "完全"),  # government first, whatever else
        (("LARGE_COMPANY", 20, 100000, 60, "HIGH"), "完全"),
        (("个人", 1.5, 300000, 11, "高"), "完全"),  # new driver, new high-end car
        (("个人", 2, 300000, 11, "高"), "基本"),  # 2 driving years is not < 2
        (("个人", 1, 299999.99, 11, "中"), "经济"),  # price just below the bound
        (("个人", 1, 300000, 12, "低"), "周到"),  # car not new any more
        (("企业", 5, 150000, 30, "高"), "基本"),
        (("个人", 5, 150000, 30, "中"), "经济"),
        (("企业", 5, 150000, 30, "中"), "周到"),
        (("personal", 5, 150000, 30, "low"), "周到"),
    ],
)
def test_package_recommendation_rules_in_order(args, package, today):
    assert f.package_recommend(*args, today=today) == package


def test_recommendation_refuses_unknown_codes(today):
    with pytest.raises(InputError, match="客户类型 customer_type=个体户: 可选: 个人/PERSONAL 企业/COMPANY"):
        f.package_recommend("个体户", 5, 150000, 30, "中", today=today)
    with pytest.raises(InputError, match="价格敏感度 price_sensitivity=很高"):
        f.package_recommend("个人", 5, 150000, 30, "很高", today=today)
    with pytest.raises(InputError, match="驾龄\\(年\\) driving_years=-1"):
        f.package_recommend("个人", -1, 150000, 30, "中", today=today)


def test_factors(today):
    assert f.actual_value(150000, 30, today=today) == Decimal("123000.00")
    assert f.actual_value(150000, 600, today=today) == Decimal("30000.00")  # at most 80 % depreciation
    assert [f.ncd_factor(y, 0, today=today) for y in range(5)] == [
        1,
        Decimal("0.85"),
        Decimal("0.7"),
        Decimal("0.6"),
        Decimal("0.6"),
    ]
    assert [f.ncd_factor(0, c, today=today) for c in range(1, 7)] == [
        1,
        Decimal("1.25"),
        Decimal("1.5"),
        Decimal("1.75"),
        2,
        2,
    ]
    assert f.deductible_factor(2000, 49999.99, today=today) == Decimal("0.54")
    assert f.deductible_factor(2000, 50000, today=today) == Decimal("0.58")  # lower bound inclusive
    assert f.deductible_factor(1000, 500000, today=today) == Decimal("0.93")
    assert [f.renewal_voucher(y, today=today) for y in range(5)] == [0, 100, 200, 300, 300]
    assert f.renewal_voucher(3, False, today=today) == 0


def test_commission_rules(today):
    assert f.commission_rate("直销", True, "AG001", today=today) == 0  # override never applies to direct
    assert f.commission_rate("AGENT", False, "AG002", today=today) == Decimal("0.11")
    assert f.commission_rate("BROKER", "是", "AG999", today=today) == Decimal("0.14")  # no override: channel rate
    assert f.commission(8000, "兼业代理", False, today=today) == Decimal("1200.00")


def test_performance_pay_bands(today):
    # c ≤ 8 % → 0.8: 10,000 × 8 % × 0.8 = 640, saved 50 % × 10,000 × (10 % − 8 %) = 100
    assert f.performance_pay(10000, "AGENT", 0.08, False, today=today) == Decimal("740.00")
    # c 20 % (> 16 %) → 0.2: 10,000 × 8 % × 0.2 × 1.1 = 176; no saving above the standard rate
    assert f.performance_pay(10000, "DEALER", "20%", True, today=today) == Decimal("176.00")
    # blank c = the channel's rate 12 %: factor 0.6 → 480
    assert f.performance_pay(10000, "BROKER", None, False, today=today) == Decimal("480.00")


def test_dates(today):
    assert f.months_between("2024-01-31", "2024-02-29") == 0
    assert f.months_between(dt.date(2024, 1, 29), dt.date(2024, 2, 29)) == 1
    assert f.months_between(45000, 45031) == 1  # Excel serials 2023-03-15 → 2023-04-15
    assert f.days_to_expiry("2026-12-24", today=today) == 30
    assert f.days_to_expiry("2026-11-20", "2026-11-24") == -4
    assert f.renewal_due("2026-12-24", today=today) is True  # as_of + 30 days is inside
    assert f.renewal_due("2026-12-25", today=today) is False
    assert f.renewal_due("2026-11-24", today=today) is False  # as_of itself is not due
    assert f.renewal_due("2027-01-20", "2026-11-24", 60) is True
    with pytest.raises(InputError, match="终保日期 end_date=31/12/2026: 须写成 年-月-日"):
        f.days_to_expiry("31/12/2026", today=today)


def test_renewal_premiums_quote_table_and_register(today):
    quotes = [
        ["新车购置价", "车龄(月)", "座位数", "险种组合", "连续未出险年数", "上年出险次数"],
        [150000, 30, 5, "经济", 2, 0],
        [150000, 30, 12, "经济", 2, 0],
        [86000, 5, 5, "基本", 0, 0],
    ]
    out = f.renewal_premiums(quotes, today=today)
    assert out[0] == Decimal("3253.15") and out[2] == Decimal("1524.90")
    assert isinstance(out[1], InputError) and out[1].field == "seats"
    register = [
        [
            "policy_no",
            "end_date",
            "first_registration",
            "new_car_price",
            "seats",
            "coverage",
            "claim_free_years",
            "claims",
        ],
        ["P1", "2026-12-31", "2024-07-01", 150000, 5, "经济", 1, 0],  # renewal: 30 months, 2 claim-free years
        ["P2", "2026-12-31", "2024-07-01", 150000, 5, "经济", 1, 2],  # 2 claims → NCD 1.25
        ["P3", "2026-12-31", "2027-07-01", 150000, 5, "经济", 1, 0],
    ]
    out = f.renewal_premiums(register, today=today)
    assert out[0] == Decimal("3253.15")
    assert out[1] == f.renewal_premium(150000, 30, 5, "经济", 0, 2, today=today)
    assert str(out[2]).startswith("初登日期 first_registration=2027-07-01: 晚于续保起保日")
    with pytest.raises(InputError, match="缺少列: 终保日期"):
        f.renewal_premiums([["policy_no", "seats"], ["P1", 5]], today=today)

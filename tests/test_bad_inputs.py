"""Every input of the manual's input table (§2) refuses bad values with a clear message
naming the field (Chinese and English), the value and what is allowed."""

import pandas as pd
import pytest

from renewal_xl.errors import CoverageError, InputError, RenewalError
from renewal_xl.pricing.price import price_frame, quote

GOOD = dict(
    new_car_price=150000, vehicle_age_months=30, seats=5, coverage="经济", claim_free_years=2, claims_last_year=0
)

BAD = [
    # (field, bad value, expected message)
    ("new_car_price", 999, "新车购置价 new_car_price=999: 须在 1,000–10,000,000 元之间"),
    ("new_car_price", 10_000_000.01, "新车购置价 new_car_price=10000000.01: 须在 1,000–10,000,000 元之间"),
    ("new_car_price", "十五万", "新车购置价 new_car_price=十五万: 不是数字"),
    ("new_car_price", None, "新车购置价 new_car_price=(空): 不能为空"),
    ("new_car_price", float("inf"), "新车购置价 new_car_price=inf: 不是有限数字"),
    ("new_car_price", True, "新车购置价 new_car_price=True: 须为数字, 不是是/否"),
    ("vehicle_age_months", 601, "车龄(月) vehicle_age_months=601: 须在 0–600 个月 之间"),
    ("vehicle_age_months", -1, "车龄(月) vehicle_age_months=-1: 须在 0–600 个月 之间"),
    ("vehicle_age_months", 12.5, "车龄(月) vehicle_age_months=12.5: 须为整数"),
    ("seats", 12, "座位数 seats=12: 费率表 default 仅适用 2–9 座"),
    ("seats", 1, "座位数 seats=1: 费率表 default 仅适用 2–9 座"),
    ("seats", 5.5, "座位数 seats=5.5: 须为整数"),
    ("coverage", "", "险种组合 coverage=: 不能为空"),
    ("claim_free_years", -1, "连续未出险年数 claim_free_years=-1: 须在 0–100 年 之间"),
    ("claim_free_years", "two", "连续未出险年数 claim_free_years=two: 不是数字"),
    ("claims_last_year", 1.5, "上年出险次数 claims_last_year=1.5: 须为整数"),
    ("claims_last_year", 1, "上年出险次数 claims_last_year=1: 上年出险时连续未出险年数须为 0 (两者同时大于 0 不一致)"),
    ("deductible", 400, "绝对免赔额 deductible=400: 可选: 0 300 500 1000 2000 元"),
    ("multi_accident", "maybe", "多次事故免赔特约 multi_accident=maybe: 须为 是/否 (TRUE/FALSE, 1/0, Y/N)"),
    ("underwriting_coef", 0.8, "自主核保系数 underwriting_coef=0.8: 须在 0.85–1.15 之间 (取4位小数)"),
    ("underwriting_coef", 1.15006, "自主核保系数 underwriting_coef=1.15006: 须在 0.85–1.15 之间 (取4位小数)"),
    ("channel_coef", "x", "自主渠道系数 channel_coef=x: 不是数字"),
    ("channel_coef", -1, "自主渠道系数 channel_coef=-1: 须在 0.85–1.15 之间 (取4位小数)"),
    ("is_renewal", "续", "是否续保 is_renewal=续: 须为 是/否 (TRUE/FALSE, 1/0, Y/N)"),
    ("imported", 2, "进口车 imported=2: 须为 是/否 (TRUE/FALSE, 1/0, Y/N)"),
    (
        "insured_amount",
        123000.01,
        "车损保险金额 insured_amount=123000.01: 超过实际价值 123,000.00 元 (超额投保不予承保)",
    ),
    ("insured_amount", 0, "车损保险金额 insured_amount=0: 须大于 0 (空白 = 实际价值)"),
    ("policy_start", "2026-02-30", "起保日期 policy_start=2026-02-30: 不是有效日期 (如 2026-01-31 或 Excel 日期)"),
    ("policy_start", "2015-05-31", "起保日期 policy_start=2015-05-31: 该日无有效费率表 (已有: default 2015-06-01–)"),
    ("policy_start", "2301-01-01", "起保日期 policy_start=2301-01-01: 年份须在 1900–2200 之间"),
]


@pytest.mark.parametrize("field, value, message", BAD, ids=[f"{b[0]}={b[1]!r}" for b in BAD])
def test_bad_input_is_refused_with_field_value_and_rule(field, value, message, today):
    with pytest.raises(RenewalError) as info:
        quote(today=today, **{**GOOD, field: value})
    assert str(info.value) == message
    assert info.value.field == field


def test_coefficients_are_taken_to_four_decimals_half_up(today):
    # 1.15004 → 1.1500 is inside the band; 0.84995 → 0.8500 as well
    assert str(quote(today=today, **{**GOOD, "underwriting_coef": 1.15004}).underwriting_coef) == "1.15"
    assert str(quote(today=today, **{**GOOD, "channel_coef": 0.84995}).channel_coef) == "0.85"


COVERAGE_ERRORS = [
    ("车损+车损", "险种 车损 重复"),
    ("车损+航空", "未知险种 航空; 可选: 车损/DAMAGE 三者/TPL"),
    ("三者:25万", "三者 限额 25万 不在费率表中; 可选: 5万 10万 15万 20万 30万 50万 100万"),
    ("三者", "三者 限额 (未填) 不在费率表中"),
    ("车损+划痕:3000", "划痕 限额 3000 不在费率表中; 可选: 2000 5000 1万 2万"),
    ("玻璃", "玻璃 是车损的附加险, 须同时投保车损"),
    ("三者:20万+修理厂", "修理厂 是车损的附加险, 须同时投保车损"),
    ("车损+玻璃:德国", "玻璃 可选 国产/DOMESTIC 或 进口/IMPORTED"),
    ("车损:10万", "车损 不带参数"),
    ("车上人员:1万/2万/3万", "车上人员 须写限额"),
    ("不计免赔", "不计免赔须附加在车损、三者、车上人员或盗抢上"),
]


@pytest.mark.parametrize("text, reason", COVERAGE_ERRORS)
def test_bad_coverage_lists_are_refused_with_the_choices(text, reason, today):
    with pytest.raises(CoverageError) as info:
        quote(today=today, **{**GOOD, "coverage": text})
    assert str(info.value).startswith(f"险种组合 coverage={text}: ")
    assert reason in str(info.value)


def test_accepted_spellings(today):
    expected = quote(today=today, **GOOD).premium
    for text in (
        "ECONOMY",
        "economy",
        " 经济 ",
        "车损+三者:20万+盗抢+不计免赔",
        "DAMAGE+TPL:200000+THEFT+WAIVER",
        "盗抢＋车损＋三者：20万＋不计免赔",
        "车损险+三者险:200000元+盗抢险+不计免赔",
    ):
        assert quote(today=today, **{**GOOD, "coverage": text}).premium == expected, text
    for value in ("150,000", "¥150,000.00", " 150000 ", 150000.0):
        assert quote(today=today, **{**GOOD, "new_car_price": value}).premium == expected
    for yes in (True, 1, "1", "是", "Y", "yes", "TRUE"):
        assert quote(today=today, **{**GOOD, "is_renewal": yes}).voucher == 200
    for no in (False, 0, "0", "否", "N", "no", "false"):
        assert quote(today=today, **{**GOOD, "is_renewal": no}).voucher == 0


def test_a_bad_row_does_not_stop_the_others(today):
    frame = pd.DataFrame([GOOD, {**GOOD, "seats": 12}, {**GOOD, "coverage": "航空"}, GOOD])
    out = price_frame(frame, today=today)
    assert out["premium"].tolist()[0] == 3253.15 and out["premium"].tolist()[3] == 3253.15
    assert out["premium"].isna().tolist() == [False, True, True, False]
    assert isinstance(out.loc[1, "error"], InputError) and out.loc[1, "error"].field == "seats"
    assert isinstance(out.loc[2, "error"], CoverageError)


def test_unknown_quote_argument_is_a_programming_error():
    with pytest.raises(TypeError, match="unknown quote inputs"):
        quote(**GOOD, seat=5)

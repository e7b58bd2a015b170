"""The worksheet functions as Excel calls them: cell values in (blank = None, numbers as
text, serial dates, datetimes, yes/no words, Excel error values), numbers and short ``#``
texts out. On Linux xlwings' decorators leave the functions callable as they are."""

from __future__ import annotations

import datetime as dt
import inspect
import logging

import pytest

import udfs
from renewal_xl.readers import EXCEL_EPOCH
from renewal_xl.spreadsheet import functions as core

EXAMPLE_1 = (150000, 30, 5, "经济", 2, 0)


def serial(day: dt.date) -> float:
    """Excel's serial number of a date (1900 system), as a cell holds it."""
    return float((day - EXCEL_EPOCH).days)


@pytest.mark.parametrize(
    "args",
    [
        EXAMPLE_1,
        ("150,000", "30", "5", "ECONOMY", "2", "0"),
        (150000.0, 30.0, 5.0, " 经济 ", 2.0, 0.0, None, None, None, None, None, None, None, None),
        (150000, 30, 5, "经济", 2, 0, 0, "否", 1, "1.0000", "是", "N", "", dt.datetime(2026, 1, 1)),
        (
            150000,
            30,
            5,
            "车损+三者:20万+盗抢+不计免赔",
            2,
            0,
            None,
            False,
            None,
            None,
            "Y",
            0,
            None,
            serial(dt.date(2026, 1, 1)),
        ),
    ],
)
def test_renewal_premium_example_1_from_cells(args):
    assert udfs.RENEWAL_PREMIUM(*args) == 3253.15
    assert isinstance(udfs.RENEWAL_PREMIUM(*args), float)


def test_renewal_premium_worked_examples_2_to_6():
    assert udfs.RENEWAL_PREMIUM(150000, 30, 5, "经济", 0, 2, "500", "是") == 5405.96
    assert udfs.RENEWAL_PREMIUM(86000, 5, 5, "基本", 0, 0, None, None, None, None, "FALSE") == 1524.90
    assert udfs.RENEWAL_PREMIUM("320,000", 13, 7, "完全", 1, 0, None, None, "0.9", 0.95, True) == 8094.89
    assert udfs.RENEWAL_PREMIUM(320000, 13, 7, "COMPLETE", 1, 0, None, None, 0.9, 0.95, 0) == 8536.75
    assert udfs.RENEWAL_PREMIUM(200000, 24, 5, "周到", 0, 1, None, None, None, None, None, None, "100,000") == 5187.10


def test_premium_breakdown_is_two_columns_of_labels_and_numbers():
    rows = udfs.PREMIUM_BREAKDOWN(*EXAMPLE_1)
    assert all(isinstance(r, list) and len(r) == 2 for r in rows)
    table = dict(map(tuple, rows))
    assert table["实际价值"] == 123000.0
    assert table["车损"] == 2194.90 and table["三者"] == 1182.0 and table["盗抢"] == 636.60
    assert table["不计免赔"] == 633.86 and table["无赔款优待系数"] == 0.7
    assert table["保费"] == 3253.15 and table["代金券"] == 200.0 and table["足额比例"] == 1.0
    assert [r[0] for r in rows][-1] == "费率表"


def test_premium_breakdown_shows_the_waived_rider():
    table = dict(map(tuple, udfs.PREMIUM_BREAKDOWN(320000, 13, 7, "完全", 1, 0, None, None, 0.9, 0.95)))
    assert table["玻璃"] == 608.0 and table["续保免费玻璃"] == -608.0 and table["保费"] == 8094.89


def test_premium_breakdown_error_is_one_text():
    assert udfs.PREMIUM_BREAKDOWN(150000, 30, 12, "经济", 2, 0) == "#座位数 seats=12: 费率表 default 仅适用 2–9 座"


@pytest.mark.parametrize(
    "args, message",
    [
        ((150000, 30, 12, "经济", 2, 0), "#座位数 seats=12: 费率表 default 仅适用 2–9 座"),
        ((None, 30, 5, "经济", 2, 0), "#新车购置价 new_car_price=(空): 不能为空"),
        (("  ", 30, 5, "经济", 2, 0), "#新车购置价 new_car_price=(空): 不能为空"),
        ((float("nan"), 30, 5, "经济", 2, 0), "#新车购置价 new_car_price=(空): 不能为空"),
        (("#N/A", 30, 5, "经济", 2, 0), "#新车购置价 new_car_price=#N/A: 单元格为错误值"),
        ((150000, "#VALUE!", 5, "经济", 2, 0), "#车龄(月) vehicle_age_months=#VALUE!: 单元格为错误值"),
        (
            (150000, 30, 5, "经济", 2, 0, None, None, None, None, None, "#REF!"),
            "#进口车 imported=#REF!: 单元格为错误值",
        ),
        (("abc", 30, 5, "经济", 2, 0), "#新车购置价 new_car_price=abc: 不是数字"),
        ((True, 30, 5, "经济", 2, 0), "#新车购置价 new_car_price=True: 须为数字, 不是是/否"),
        (([[150000.0, 160000.0]], 30, 5, "经济", 2, 0), "#新车购置价 new_car_price=2 个单元格: 须为单个单元格"),
        ((150000, 30.5, 5, "经济", 2, 0), "#车龄(月) vehicle_age_months=30.5: 须为整数"),
        (
            (150000, 30, 5, "经济", 2, 1),
            "#上年出险次数 claims_last_year=1: 上年出险时连续未出险年数须为 0 (两者同时大于 0 不一致)",
        ),
        ((150000, 30, 5, "经济", 2, 0, 400), "#绝对免赔额 deductible=400: 可选: 0 300 500 1000 2000 元"),
        (
            (150000, 30, 5, "经济", 2, 0, None, "maybe"),
            "#多次事故免赔特约 multi_accident=maybe: 须为 是/否 (TRUE/FALSE, 1/0, Y/N)",
        ),
        (
            (150000, 30, 5, "经济", 2, 0, None, None, 1.2),
            "#自主核保系数 underwriting_coef=1.2: 须在 0.85–1.15 之间 (取4位小数)",
        ),
        (
            (150000, 30, 5, "经济", 2, 0, None, None, None, None, None, None, 200000),
            "#车损保险金额 insured_amount=200000: 超过实际价值 123,000.00 元 (超额投保不予承保)",
        ),
        (
            (150000, 30, 5, "经济", 2, 0, None, None, None, None, None, None, None, "2026-02-30"),
            "#起保日期 policy_start=2026-02-30: 不是有效日期 (如 2026-01-31 或 Excel 日期)",
        ),
    ],
)
def test_renewal_premium_bad_arguments_give_short_text(args, message):
    assert udfs.RENEWAL_PREMIUM(*args) == message


def test_long_messages_are_cut_to_255_characters():
    text = udfs.RENEWAL_PREMIUM(150000, 30, 5, "车损+" + "未知险种" * 80, 2, 0)
    assert text.startswith("#险种组合 coverage=") and len(text) <= 255


def test_commission_examples():
    assert udfs.COMMISSION(5000, "专业代理", True) == 700.0
    assert udfs.COMMISSION("5,000", "AGENCY", "是") == 700.0
    assert udfs.COMMISSION(5000, "AGENCY", "FALSE", "AG001") == 650.0
    assert udfs.COMMISSION(5000, "直销", 1) == 0.0


def test_commission_errors():
    assert udfs.COMMISSION(5000, "专业代理", None) == "#是否续保 is_renewal=(空): 不能为空; 须为 是/否"
    assert udfs.COMMISSION(-1, "专业代理", True) == "#保费 premium=-1: 须在 0–1,000,000,000 元之间"
    assert udfs.COMMISSION(5000, "专业代理", True, "#N/A") == "#代理机构 agency=#N/A: 单元格为错误值"
    assert udfs.COMMISSION(5000, "保险代理", True).startswith("#渠道 channel=保险代理: ")


def test_commission_rate():
    assert udfs.COMMISSION_RATE("AGENCY", "Y") == 0.14
    assert udfs.COMMISSION_RATE("专业代理", "N") == 0.12
    assert udfs.COMMISSION_RATE("个人代理", True, "AG002") == 0.13
    assert udfs.COMMISSION_RATE("直销", False, "AG001") == 0.0


def test_performance_pay_examples():
    assert udfs.PERFORMANCE_PAY(5000, "AGENCY", "10%", True) == 364.0
    assert udfs.PERFORMANCE_PAY(5000, "AGENCY", 0.1, "是") == 364.0
    assert udfs.PERFORMANCE_PAY(5000, "直销", None, False) == 500.0
    assert udfs.PERFORMANCE_PAY(8000, "DEALER", 0.16, "否") == 256.0
    assert (
        udfs.PERFORMANCE_PAY(8000, "DEALER", 0.25, "否") == "#手续费率 commission_rate=0.25: 须在 0–20% 之间 (报备上限)"
    )


def test_renewal_bonus():
    assert udfs.RENEWAL_BONUS(30, 25, 152000.50) == 3040.01
    assert udfs.RENEWAL_BONUS("30", "25", "152,000.50") == 3040.01
    assert udfs.RENEWAL_BONUS(24, 25, 152000.50) == 0.0
    assert udfs.RENEWAL_BONUS(30, 0, 152000.50) == "#目标件数 target_count=0: 须在 1–10000000 之间"


def test_values_and_factors():
    assert udfs.ACTUAL_VALUE(150000, 30) == 123000.0
    assert udfs.ACTUAL_VALUE(320000, "13") == 295040.0
    assert (
        udfs.NCD_FACTOR(2, 0) == 0.7
        and udfs.NCD_FACTOR(0, 2) == 1.25
        and udfs.NCD_FACTOR("3", None) == "#上年出险次数 claims_last_year=(空): 不能为空"
    )
    assert udfs.DEDUCTIBLE_FACTOR(500, 150000) == 0.89
    assert udfs.DEDUCTIBLE_FACTOR("2000", "600,000") == 0.89
    assert udfs.DEDUCTIBLE_FACTOR(250, 150000) == "#绝对免赔额 deductible=250: 可选: 0 300 500 1000 2000 元"
    assert udfs.RENEWAL_VOUCHER(2) == 200.0 and udfs.RENEWAL_VOUCHER(5, "TRUE") == 300.0
    assert udfs.RENEWAL_VOUCHER(2, "否") == 0.0 and udfs.RENEWAL_VOUCHER(2, None) == 200.0


def test_packages():
    assert udfs.PACKAGE_PRICE("基本", 86000, 5, 5) == 1524.90  # example 3: new business
    assert udfs.PACKAGE_PRICE("ECONOMY", 150000, 30, 5, 2, 0, None, None, "是") == 3253.15
    assert udfs.PACKAGE_PRICE("经济", 150000, 30, 5, 2, 0, None, None, False) == udfs.RENEWAL_PREMIUM(
        150000, 30, 5, "经济", 2, 0, None, None, None, None, False
    )
    assert udfs.PACKAGE_PRICE("豪华", 150000, 30, 5).startswith("#套餐 package=豪华: 可选: 基本/BASIC")
    assert udfs.PACKAGE_RECOMMEND("个人", 10, 150000, 30, "中") == "经济"
    assert udfs.PACKAGE_RECOMMEND("GOVERNMENT", "3", "90,000", 50, "高") == "完全"
    assert udfs.PACKAGE_RECOMMEND("企业", 10, 150000, 30, "HIGH") == "基本"
    assert (
        udfs.PACKAGE_RECOMMEND("个人", 10, 150000, 30, "很高")
        == "#价格敏感度 price_sensitivity=很高: 可选: 高/HIGH 中/MEDIUM 低/LOW"
    )


def test_dates_as_serials_datetimes_and_text():
    start, end = dt.date(2024, 1, 15), dt.date(2026, 7, 15)
    assert udfs.MONTHS_BETWEEN(dt.datetime(2024, 1, 15), dt.datetime(2026, 7, 15)) == 30
    assert udfs.MONTHS_BETWEEN(serial(start), serial(end)) == 30
    assert udfs.MONTHS_BETWEEN("2024/1/15", "2026年7月14日") == 29
    assert isinstance(udfs.MONTHS_BETWEEN(serial(start), serial(end)), int)
    assert (
        udfs.MONTHS_BETWEEN("2024-13-01", end)
        == "#起始日期 from_date=2024-13-01: 不是有效日期 (如 2026-01-31 或 Excel 日期)"
    )
    assert udfs.DAYS_TO_EXPIRY("2026-12-01", dt.datetime(2026, 11, 24)) == 7
    assert udfs.DAYS_TO_EXPIRY(serial(dt.date(2026, 11, 20)), "2026-11-24") == -4
    assert udfs.DAYS_TO_EXPIRY(None, "2026-11-24") == "#终保日期 end_date=(空): 不能为空"


def test_renewal_due():
    as_of = dt.datetime(2026, 11, 24)
    assert udfs.RENEWAL_DUE(dt.datetime(2026, 12, 24), as_of) is True
    assert udfs.RENEWAL_DUE(dt.datetime(2026, 12, 25), as_of) is False
    assert udfs.RENEWAL_DUE(dt.datetime(2026, 11, 24), as_of) is False
    assert udfs.RENEWAL_DUE(serial(dt.date(2026, 12, 4)), as_of, "10") is True
    assert udfs.RENEWAL_DUE("2026-12-05", as_of, 10.0) is False
    assert udfs.RENEWAL_DUE("2026-12-05", as_of, -1) == "#提前天数 window_days=-1: 须在 0–3660 之间"


def test_as_of_blank_means_today():
    today = dt.date.today()
    assert udfs.DAYS_TO_EXPIRY(serial(today + dt.timedelta(days=9))) == 9
    assert udfs.RENEWAL_DUE(today + dt.timedelta(days=9), None) is True


QUOTE_HEADER = [
    "新车购置价",
    "车龄(月)",
    "座位数",
    "险种组合",
    "连续未出险年数",
    "上年出险次数",
    "绝对免赔额",
    "多次事故免赔特约",
]


def test_renewal_premiums_spills_one_column_and_bad_rows_keep_their_message():
    table = [
        QUOTE_HEADER,
        [150000.0, 30.0, 5.0, "经济", 2.0, 0.0, None, None],
        ["150,000", "30", "5", "经济", "0", "2", "500", "是"],
        [None] * 8,
        [150000.0, 30.0, 12.0, "经济", 2.0, 0.0, None, None],
        [86000.0, 5.0, 5.0, "基本", 0.0, 0.0, None, "#N/A"],
    ]
    assert udfs.RENEWAL_PREMIUMS(table) == [
        [3253.15],
        [5405.96],
        [None],
        ["#座位数 seats=12: 费率表 default 仅适用 2–9 座"],
        ["#多次事故免赔特约 multi_accident=#N/A: 单元格为错误值"],
    ]


def test_renewal_premiums_prices_a_register_as_renewals():
    header = ["保单号", "终保日期", "初登日期", "新车购置价", "座位数", "险种组合", "连续未出险年数", "本期出险次数"]
    end = dt.datetime(2026, 12, 31)
    table = [
        header,
        ["P1", end, dt.datetime(2024, 7, 1), 150000.0, 5.0, "经济", 1.0, 0.0],
        ["P2", serial(end.date()), "2024-07-01", 150000.0, 5.0, "经济", 1.0, 0.0],
        ["P3", None, "2024-07-01", 150000.0, 5.0, "经济", 1.0, 0.0],
    ]
    # renewal starts 2027-01-01: 30 months old, 2 claim-free years, no claims → example 1
    assert udfs.RENEWAL_PREMIUMS(table) == [[3253.15], [3253.15], ["#终保日期 end_date=(空): 不能为空"]]


def test_renewal_premiums_whole_table_errors():
    assert udfs.RENEWAL_PREMIUMS([QUOTE_HEADER]) == "#表格 table=1 行: 须包含表头行和至少一行数据"
    assert (
        udfs.RENEWAL_PREMIUMS([["新车购置价", "车龄(月)"], [150000, 30]])
        == "#表格 table=新车购置价 车龄(月): 缺少列: 座位数 险种组合 连续未出险年数 上年出险次数"
    )
    assert udfs.RENEWAL_PREMIUMS([QUOTE_HEADER, [None] * 8]) == [[None]]


def test_unexpected_errors_are_short_and_logged_without_the_message(monkeypatch, caplog):
    customer = {"name": "张三", "phone": "13800138000"}

    def broken(*args, **kwargs):
        raise KeyError(customer["name"] + customer["phone"])

    monkeypatch.setattr(core, "renewal_premium", broken)
    with caplog.at_level(logging.ERROR, logger="udfs"):
        text = udfs.RENEWAL_PREMIUM(*EXAMPLE_1)
    assert text == "#错误 内部错误 (KeyError), 请联系管理员查看日志"
    assert "RENEWAL_PREMIUM: KeyError" in caplog.text and "broken" in caplog.text
    assert "张三" not in caplog.text and "13800138000" not in caplog.text


@pytest.mark.parametrize("name", udfs.FUNCTIONS)
def test_every_function_answers_blanks_and_cell_errors_with_text(name):
    fn = getattr(udfs, name)
    n = len(inspect.signature(fn).parameters)
    blank = fn(*([None] * n))
    assert isinstance(blank, str) and blank.startswith("#") and "Traceback" not in blank
    error = fn(*(["#N/A"] + [None] * (n - 1)))
    assert isinstance(error, str) and error.startswith("#")
    if name != "RENEWAL_PREMIUMS":
        assert error.endswith("=#N/A: 单元格为错误值")


def test_results_become_plain_cell_values():
    import numpy as np
    import pandas as pd

    from renewal_xl.spreadsheet.cells import to_cell

    assert to_cell([np.float32("nan"), np.float64(2.5), np.int64(3), np.bool_(True), pd.NaT, np.datetime64("NaT")]) == [
        None,
        2.5,
        3,
        True,
        None,
        None,
    ]
    assert (
        to_cell([dt.date(2026, 1, 5), pd.Timestamp("2026-01-05"), np.datetime64("2026-01-05")])
        == [dt.datetime(2026, 1, 5)] * 3
    )
    assert type(to_cell(np.int64(3))) is int and type(to_cell(pd.Timestamp("2026-01-05"))) is dt.datetime

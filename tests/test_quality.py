"""Data-quality checks (renewal-workflow §4): one row per problem, every check."""

import pandas as pd
import pytest
from registers import D, policy, register

from renewal_xl.columns import REGISTER
from renewal_xl.io.register import tidy
from renewal_xl.tariff import default_tariff
from renewal_xl.workflow.quality import check_register


def problems(*rows) -> list[tuple]:
    found = check_register(register(*rows), default_tariff())
    return [tuple(r) for r in found[["row", "policy_no", "column", "value", "problem"]].itertuples(index=False)]


def one(**fields) -> list[tuple]:
    return problems(policy("P1", 1, D(2025, 3, 1), **fields))


def test_a_clean_register_has_no_problems():
    assert (
        problems(
            policy("P1", 1, D(2025, 3, 1)),
            policy("P2", 1, D(2026, 3, 1)),
            policy(
                "P3",
                2,
                D(2025, 3, 1),
                channel="专业代理",
                agency="AG001",
                phone="027-87654321",
                plate="鄂A·D12345",
                commission_rate="12%",
            ),
        )
        == []
    )


def test_missing_required_columns_are_problems_on_the_header_row():
    frame = (
        pd.DataFrame([policy("P1", 1, D(2025, 3, 1))]).drop(columns=["vin", "phone", "commission_rate"]).astype(object)
    )
    found = check_register(tidy(frame, REGISTER, (), "工作表 保单台账"), default_tariff())
    assert found[["row", "column", "problem"]].head(2).values.tolist() == [
        [1, "车架号", "缺少必填列"],
        [1, "联系电话", "缺少必填列"],
    ]
    assert len(found) == 2  # no cell problems for the missing columns; commission_rate is optional


@pytest.mark.parametrize(
    "value, problem",
    [
        ("LSVAU2180N0000001", "校验位应为 4, 实为 0"),
        ("LSVAU2184N000001", "须为 17 位"),
        ("LSVAU2184N000000I", "只能含数字和字母 (不含 I O Q)"),
        ("", "车架号为空"),
    ],
)
def test_vin(value, problem):
    assert one(vin=value) == [(2, "P1", "车架号", value, problem)]


@pytest.mark.parametrize(
    "plate, ok",
    [
        ("鄂A·12345", True),
        ("鄂A12345", True),
        ("鄂AD12345", True),
        ("京B1234学", True),
        ("鄂a·12345", True),
        ("AB12345", False),
        ("鄂A·1234", False),
        ("鄂I·12345", False),
    ],
)
def test_plate(plate, ok):
    found = one(plate=plate)
    assert found == ([] if ok else [(2, "P1", "车牌号", plate, "车牌号格式不符 (应如 鄂A·12345)")])


@pytest.mark.parametrize(
    "phone, ok",
    [
        ("13812345678", True),
        ("199 1234 5678", True),
        ("027-87654321", True),
        ("0719-8765432", True),
        ("12812345678", False),
        ("1381234567", False),
        ("87654321", False),
        (13812345678.0, True),
    ],
)
def test_phone(phone, ok):
    found = one(phone=phone)
    assert (found == []) is ok
    if not ok:
        assert found[0][2] == "联系电话" and found[0][4].startswith("须为手机号")


def test_dates():
    assert one(start_date="2025-02-30") == [
        (2, "P1", "起保日期", "2025-02-30", "不是有效日期 (如 2026-01-31 或 Excel 日期)")
    ]
    assert one(end_date=D(2025, 2, 1)) == [(2, "P1", "起保日期", "2025-03-01", "起保日期晚于终保日期")]
    assert one(first_registration=D(2025, 3, 2)) == [(2, "P1", "初登日期", "2025-03-02", "初登日期晚于起保日期")]


def test_duplicate_policy_numbers_name_the_first_row():
    found = problems(policy("P1", 1, D(2025, 3, 1)), policy("P2", 2, D(2025, 3, 1)), policy("P1", 3, D(2025, 3, 1)))
    assert found == [(4, "P1", "保单号", "P1", "保单号重复 (首次出现在第 2 行)")]


def test_overlapping_policies_of_one_vin():
    found = problems(
        policy("A", 1, D(2025, 3, 1)),
        policy("B", 1, D(2026, 2, 28)),
        policy("C", 1, D(2026, 3, 1)),
        policy("D", 2, D(2025, 3, 1)),
        policy("E", 2, D(2026, 3, 1)),
    )
    assert found == [
        (3, "B", "起保日期", "2026-02-28", "与同车架号保单 A (第 2 行) 保险期间重叠"),
        (4, "C", "起保日期", "2026-03-01", "与同车架号保单 B (第 3 行) 保险期间重叠"),
    ]


def test_premium_must_be_positive():
    assert one(premium=0) == [(2, "P1", "保费", "0", "保费须大于 0")]
    assert one(premium="abc") == [(2, "P1", "保费", "abc", "不是数字")]


def test_tariff_ranges_and_coverage():
    assert one(seats=12) == [(2, "P1", "座位数", "12", "费率表 default 仅适用 2–9 座")]
    assert one(new_car_price=500) == [(2, "P1", "新车购置价", "500", "须在 1,000–10,000,000 元之间")]
    assert one(deductible=700) == [(2, "P1", "绝对免赔额", "700", "可选: 0 300 500 1000 2000 元")]
    found = one(coverage="车损+飞机")
    assert found[0][:4] == (2, "P1", "险种组合", "车损+飞机") and found[0][4].startswith("未知险种 飞机")


def test_unknown_channel_customer_type_and_agency():
    assert one(channel="电销")[0][2:4] == ("渠道", "电销")
    assert one(customer_type="个体户") == [
        (2, "P1", "客户类型", "个体户", "未知客户类型; 可选: 个人 企业 大型企业 机关事业")
    ]
    assert one(agency="AG001") == [(2, "P1", "代理机构", "AG001", "直销业务不应填写代理机构")]
    assert one(channel="兼业代理") == [(2, "P1", "代理机构", "", "非直销业务须填写代理机构代码")]
    assert one(channel="兼业代理", agency="XY01") == [
        (2, "P1", "代理机构", "XY01", "未知代理机构代码 (应为 AG+3位数字, 如 AG001)")
    ]


def test_yes_no_counts_commission_rate_and_blank_names():
    assert one(vip="maybe")[0][2:] == ("VIP", "maybe", "须为 是/否 (TRUE/FALSE, 1/0, Y/N)")
    assert one(claims=1.5)[0][2:] == ("本期出险次数", "1.5", "须为整数")
    assert one(channel="专业代理", agency="AG001", commission_rate=0.3) == [
        (2, "P1", "手续费率", "0.3", "须在 0–20% 之间 (报备上限)")
    ]
    assert one(customer=" ", salesperson=None) == [
        (2, "P1", "客户名称", " ", "不能为空"),
        (2, "P1", "业务员", "", "不能为空"),
    ]


def test_problems_are_sorted_by_row_then_column_order():
    found = problems(policy("P1", 1, D(2025, 3, 1), seats=20, vin="X"), policy("P2", 2, D(2025, 3, 1), phone="1"))
    assert [(r, c) for r, _, c, _, _ in found] == [(2, "车架号"), (2, "座位数"), (3, "联系电话")]


def test_each_problem_names_its_owner_salesperson_and_agency():
    found = check_register(
        register(
            policy("P1", 1, D(2025, 3, 1), phone="1381234567", salesperson="李娜"),
            policy("P2", 2, D(2025, 3, 1), channel="专业代理", agency="AG002", salesperson="张伟", plate=""),
        ),
        default_tariff(),
    )
    owners = [tuple(r) for r in found[["policy_no", "salesperson", "agency", "column"]].itertuples(index=False)]
    assert owners == [("P1", "李娜", "", REGISTER["phone"]), ("P2", "张伟", "AG002", REGISTER["plate"])]

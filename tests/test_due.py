"""Due list rules (renewal-workflow §2): window, one row per VIN, already renewed, owner,
quote inputs, priority, order, failed quotes, summary and notices."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from registers import D, policy, register

from renewal_xl.dates import month_bounds
from renewal_xl.pricing.price import quote
from renewal_xl.reports.privacy import mask_phones
from renewal_xl.tariff import default_tariff
from renewal_xl.workflow.due import Window, due_list, notices, priorities, summary
from renewal_xl.workflow.policies import read_policies

AS_OF = D(2026, 1, 20)


def due(*rows, as_of=AS_OF, month=None, days=None):
    p = read_policies(register(*rows), default_tariff())
    return due_list(p, Window.of(as_of, month_bounds(month) if month else None, days), as_of)


def ending(no, v, end, **fields):
    return policy(no, v, end.replace(year=end.year - 1) + dt.timedelta(days=1), end=end, **fields)


def test_default_window_is_the_month_after_as_of():
    d = due(
        ending("JAN31", 1, D(2026, 1, 31)),
        ending("FEB01", 2, D(2026, 2, 1)),
        ending("FEB28", 3, D(2026, 2, 28)),
        ending("MAR01", 4, D(2026, 3, 1)),
    )
    assert (d.window.first, d.window.last) == (D(2026, 2, 1), D(2026, 2, 28))
    assert d.rows["policy_no"].tolist() == ["FEB01", "FEB28"]


def test_month_option_and_december_rollover():
    d = due(ending("A", 1, D(2026, 12, 31)), ending("B", 2, D(2027, 1, 1)), as_of=D(2026, 11, 30), month="2026-12")
    assert d.rows["policy_no"].tolist() == ["A"]
    assert Window.of(D(2026, 12, 5)).first == D(2027, 1, 1)


def test_days_window_excludes_as_of_and_includes_the_last_day():
    d = due(
        ending("TODAY", 1, AS_OF),
        ending("NEXT", 2, AS_OF + dt.timedelta(days=1)),
        ending("LAST", 3, AS_OF + dt.timedelta(days=10)),
        ending("OUT", 4, AS_OF + dt.timedelta(days=11)),
        days=10,
    )
    assert d.rows["policy_no"].tolist() == ["NEXT", "LAST"]
    assert d.rows["days_left"].tolist() == [1, 10]


def test_one_row_per_vin_the_latest_end_date():
    d = due(
        ending("SHORT", 1, D(2026, 2, 5)), ending("LONG", 1, D(2026, 2, 20), start_date=D(2026, 2, 6)), month="2026-02"
    )
    assert d.rows["policy_no"].tolist() == ["LONG"]


def test_already_renewed_is_left_out_and_counted():
    expiring = ending("OLD", 1, D(2026, 2, 28))
    renewal = policy("NEW", 1, D(2026, 3, 1))
    d = due(expiring, renewal, ending("OPEN", 2, D(2026, 2, 15)), month="2026-02")
    assert d.rows["policy_no"].tolist() == ["OPEN"]
    assert d.early["policy_no"].tolist() == ["OLD"]
    s = summary(d).set_index("salesperson")
    assert s.loc["合计", "early"] == 1 and s.loc["合计", "count"] == 1


@pytest.mark.parametrize("offset, left_out", [(29, True), (30, False), (31, False)])
def test_already_renewed_edge_another_policy_starting_after_end_minus_30(offset, left_out):
    end = D(2026, 2, 28)
    other = policy("OTHER", 1, end - dt.timedelta(days=offset))  # starts end − offset
    d = due(ending("OLD", 1, end), other, month="2026-02")
    assert (len(d.early) == 1) is left_out
    assert (d.rows["policy_no"].tolist() == []) is left_out


def test_owner_is_the_expiring_policys_salesperson_and_agency():
    old = policy("P0", 1, D(2024, 2, 10), salesperson="张伟", agency="AG002", channel="专业代理")
    expiring = ending("P1", 1, D(2026, 2, 9), salesperson="王芳", agency="AG001", channel="专业代理")
    d = due(old, expiring, month="2026-02")
    assert d.rows[["policy_no", "salesperson", "agency"]].values.tolist() == [["P1", "王芳", "AG001"]]


def test_quote_is_the_renewal_quote_of_the_row():
    # renewal starts 2026-02-15; first registration 30 months before; 1 claim-free year, no claims
    row = ending(
        "Q",
        1,
        D(2026, 2, 14),
        first_registration=D(2023, 8, 15),
        new_car_price=150000,
        seats=5,
        coverage="经济",
        claim_free_years=1,
        claims=0,
        deductible=0,
        imported="否",
    )
    d = due(row, month="2026-02")
    by_hand = quote(
        new_car_price=150000,
        vehicle_age_months=30,
        seats=5,
        coverage="经济",
        claim_free_years=2,
        claims_last_year=0,
        deductible=0,
        imported=False,
        is_renewal=True,
        policy_start=D(2026, 2, 15),
    )
    assert by_hand.premium == Decimal("3253.15")  # manual §11 example 1
    r = d.rows.iloc[0]
    assert r["quote"] == 325315 and r["voucher"] == 20000 and r["ncd"] == 7000
    assert r["renewal_start"] == pd.Timestamp(2026, 2, 15)


def test_quote_after_claims_resets_ncd_and_gives_the_free_rider_only_when_claim_free():
    clean = ending("CLEAN", 1, D(2026, 2, 14), coverage="完全", claim_free_years=0, claims=0)
    claimed = ending("CLAIM", 2, D(2026, 2, 14), coverage="完全", claim_free_years=3, claims=2)
    rows = due(clean, claimed, month="2026-02").rows.set_index("policy_no")
    assert rows.loc["CLEAN", "free_rider"] == "玻璃" and rows.loc["CLEAN", "ncd"] == 8500
    assert rows.loc["CLAIM", "free_rider"] == "" and rows.loc["CLAIM", "ncd"] == 12500
    assert rows.loc["CLAIM", "voucher"] == 0


def test_priorities():
    vip = np.array([True, False, False, False, False, False])
    premium = np.array([100, 1_000_000, 500_000, 499_999, 900_000, 100])
    claims = np.array([3, 2, 0, 0, 1, 0])
    assert priorities(vip, premium, claims).tolist() == ["P1", "P1", "P2", "P3", "P4", "P3"]


def test_priority_uses_the_expiring_premium_and_claims():
    d = due(
        ending("VIP", 1, D(2026, 2, 3), vip="是", claims=1, premium=100),
        ending("BIG", 2, D(2026, 2, 3), premium=10000),
        ending("MID", 3, D(2026, 2, 3), premium=5000),
        ending("SMALL", 4, D(2026, 2, 3), premium=4999.99),
        ending("CLAIMS", 5, D(2026, 2, 3), premium=9000, claims=1, claim_free_years=0),
        month="2026-02",
    )
    assert dict(zip(d.rows["policy_no"], d.rows["priority"])) == {
        "BIG": "P1",
        "CLAIMS": "P4",
        "MID": "P2",
        "SMALL": "P3",
        "VIP": "P1",
    }


def test_sorted_by_end_date_then_policy_no():
    d = due(
        ending("B2", 1, D(2026, 2, 10)),
        ending("A9", 2, D(2026, 2, 10)),
        ending("Z1", 3, D(2026, 2, 2)),
        month="2026-02",
    )
    assert d.rows["policy_no"].tolist() == ["Z1", "A9", "B2"]


def test_failed_quote_keeps_the_row_with_its_message():
    d = due(ending("BAD", 1, D(2026, 2, 10), seats=12), ending("OK", 2, D(2026, 2, 11)), month="2026-02")
    rows = d.rows.set_index("policy_no")
    assert rows.loc["BAD", "quote_error"] == "座位数 seats=12: 费率表 default 仅适用 2–9 座"
    assert not rows.loc["BAD", "quote_ok"] and rows.loc["OK", "quote_ok"]
    assert summary(d).set_index("salesperson").loc["合计", "quoted"] == rows.loc["OK", "quote"]


def test_unreadable_rows_are_skipped_and_counted():
    p = read_policies(
        register(
            ending("A", 1, D(2026, 2, 10)),
            ending("A", 2, D(2026, 2, 11)),
            ending("B", 3, D(2026, 2, 12), end_date="soon"),
        ),
        default_tariff(),
    )
    assert len(p) == 1 and p.skipped == 2


def test_the_register_rows_of_policies_with_rows_left_out_are_the_kept_ones():
    rows = register(
        ending("A", 1, D(2026, 2, 10), customer="甲"),
        ending("A", 2, D(2026, 2, 11), customer="乙"),  # the policy number again: left out
        ending("B", 3, D(2026, 2, 12), end_date="soon", customer="丙"),  # unreadable end: left out
        ending("C", 4, D(2026, 2, 13), customer="丁"),
    )
    p = read_policies(rows, default_tariff())
    assert p.skipped == 2 and p.table["policy_no"].tolist() == ["A", "C"]
    assert p.register["customer"].tolist() == ["甲", "丁"] and list(p.register.index) == [0, 1]
    taken = p.register_rows(np.array([1, 0, 1]))
    assert taken["customer"].tolist() == ["丁", "甲", "丁"] and list(taken.index) == [0, 1, 2]
    whole = read_policies(register(ending("A", 1, D(2026, 2, 10), customer="甲")), default_tariff())
    assert whole.kept is None and whole.register_rows(np.array([0]))["customer"].tolist() == ["甲"]


def test_summary_per_salesperson():
    d = due(
        ending("A", 1, D(2026, 2, 10), salesperson="张伟", premium=12000),
        ending("B", 2, D(2026, 2, 11), salesperson="张伟", premium=3000),
        ending("C", 3, D(2026, 2, 12), salesperson="王芳", premium=1000, claims=1, claim_free_years=0),
        ending("D", 4, D(2026, 2, 20), salesperson="王芳"),
        policy("D2", 4, D(2026, 2, 21)),
        month="2026-02",
    )
    s = summary(d).set_index("salesperson")
    assert s.loc["张伟", ["count", "premium_due", "P1", "P3"]].tolist() == [2, 1_500_000, 1, 1]
    assert s.loc["王芳", ["count", "premium_due", "P4", "early"]].tolist() == [1, 100_000, 1, 1]
    assert s.loc["合计", ["count", "premium_due", "P1", "early"]].tolist() == [3, 1_600_000, 1, 1]


def test_notice_text_and_masked_phones():
    d = due(
        ending(
            "N1",
            1,
            D(2026, 2, 14),
            customer="李雷",
            plate="鄂A·12345",
            phone="13812341234",
            salesperson="王芳",
            first_registration=D(2023, 8, 15),
            claim_free_years=1,
        ),
        month="2026-02",
    )
    n = notices(d, "95500").iloc[0]
    assert n["phone"] == "13812341234"  # masking is applied to whole reports (reports.privacy)
    assert n["notice"] == (
        "尊敬的李雷：您的车辆 鄂A·12345 的商业车险将于 2026年2月14日 到期。续保报价 3,253.15 元，"
        "续保可获代金券 200.00 元。您的业务员 王芳 将与您联系办理续保，客服热线 95500。"
    )


def test_mask_phones_landline():
    assert mask_phones(pd.Series(["027-87654321", None])).tolist() == ["027****4321", ""]


ends = st.dates(min_value=D(2025, 12, 1), max_value=D(2026, 4, 30))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), ends), min_size=1, max_size=12), st.integers(1, 60))
def test_property_every_due_vin_is_listed_or_early_and_rows_are_inside_the_window(policies, days):
    rows = [ending(f"P{k:02d}", v, end) for k, (v, end) in enumerate(policies)]
    d = due(*rows, days=days)
    listed = d.rows["end"].dt.date
    assert ((listed > AS_OF) & (listed <= AS_OF + dt.timedelta(days=days))).all()
    in_window = {r["vin"] for r in rows if AS_OF < r["end_date"] <= AS_OF + dt.timedelta(days=days)}
    assert set(d.rows["vin"]) | set(d.early["vin"]) == in_window
    assert d.rows["vin"].is_unique and not set(d.rows["vin"]) & set(d.early["vin"])


def test_underwriting_channel_and_delivery():
    d = due(
        ending("A", 1, D(2026, 2, 5), vip="是", claims=1, delivery="邮寄"),  # VIP first, even with a claim
        ending("B", 2, D(2026, 2, 6)),  # no claim in the term: 免初核; blank 送单方式: 未指定
        ending("C", 3, D(2026, 2, 7), claims=1, delivery="业务员送达"),  # a claim: 常规
    )
    rows = d.rows.set_index("policy_no")
    assert rows["underwriting"].to_dict() == {"A": "VIP专人", "B": "免初核", "C": "常规"}
    assert rows["delivery_shown"].to_dict() == {"A": "邮寄", "B": "未指定", "C": "业务员送达"}


def test_retention_options_of_the_due_rows_are_the_worksheet_functions():
    from renewal_xl.spreadsheet.functions import renewal_options

    d = due(
        ending("B", 2, D(2026, 2, 6)),  # 2 claim-free years + a clean term → 3: 方案三 (UNDER)
        ending("C", 3, D(2026, 2, 7), claims=1, claim_free_years=0),  # 1 claim: 方案二 (MULTI)
    )
    options = d.options
    assert options.loc[options["suggested"], ["policy_no", "code"]].values.tolist() == [["B", "UNDER"], ["C", "MULTI"]]
    base = options[options["code"] == "BASE"].set_index("policy_no")["premium"]
    assert base.to_dict() == d.rows.set_index("policy_no")["quote"].to_dict()  # BASE is the renewal quote
    assert d.rows["suggested_option"].tolist() == ["方案三 车损不足额投保", "方案二 多次事故免赔特约"]
    # the same options cell by cell: renewal of B starts 2026-02-07, vehicle 2020-01-15 → 72 months
    cells = renewal_options(150000, 72, 5, "经济", 3, 0, 0, False, None, D(2026, 2, 7))
    mine = options[options["policy_no"] == "B"]
    assert [(r[0], int(r[2] * 100)) for r in cells] == list(zip(mine["name"], mine["premium"]))


def test_package_advice_uses_the_registers_driving_years():
    new_car = {"new_car_price": 350000, "first_registration": D(2025, 6, 1)}  # 8 months old at renewal
    d = due(
        ending("NEW", 1, D(2026, 2, 5), driving_years=1, **new_car),  # < 2 years, < 12 months, ≥ 300,000 → 完全
        ending("OLD", 2, D(2026, 2, 5), driving_years=10, **new_car),  # 个人, sensitivity 中 → 经济
        ending("BLANK", 3, D(2026, 2, 5), **new_car),  # no 驾龄: not taken for a new driver → 经济
        ending("GOV", 4, D(2026, 2, 5), customer_type="机关事业"),  # → 完全
    )
    assert d.rows.set_index("policy_no")["package_advice"].to_dict() == {
        "NEW": "完全",
        "OLD": "经济",
        "BLANK": "经济",
        "GOV": "完全",
    }
